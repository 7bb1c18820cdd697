import pytest
from argon2 import extract_parameters
from argon2.low_level import Type

from labelapp import create_app
from labelapp.auth import passwords
from labelapp.auth.services import find_user
from labelapp.config import DEFAULTS
from tests.support.factories import PASSWORD
from tests.support.web import submit


def test_production_cost_is_argon2id_rfc9106(tmp_path):
    app = create_app({"SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["ARGON2_MEMORY_KIB"] == DEFAULTS["ARGON2_MEMORY_KIB"] == 65536
    with app.app_context():
        params = extract_parameters(passwords.hash_password("a long enough password"))
    assert (params.type, params.time_cost, params.memory_cost, params.parallelism) == (Type.ID, 3, 65536, 4)


def test_stored_hash_is_argon2id_and_not_the_password(app, users):
    with app.app_context():
        stored = find_user(users["staff"]).password_hash
    assert stored.startswith("$argon2id$")
    assert "correct horse battery" not in stored


@pytest.mark.parametrize("password,ok", [
    ("short", False),
    ("eleven char", False),
    ("twelve chars", True),
    ("".join(chr(97 + i % 26) + str(i % 10) for i in range(32)), True),  # 64 characters
    ("".join(chr(97 + i % 26) + str(i % 10) for i in range(128)), True),  # 256 characters
    ("x" * 257, False),
])
def test_password_policy_lengths(app, password, ok):
    with app.test_request_context():
        assert (passwords.policy_problem(password) is None) == ok


def test_password_equal_to_email_is_refused(app):
    with app.test_request_context():
        assert passwords.policy_problem("someone@example.org", "someone@example.org") is not None


def test_login_rehashes_when_cost_changes(app, client, users):
    from tests.support.web import login

    app.config["ARGON2_TIME_COST"] = 2
    assert login(client, users["staff"]).status_code == 302
    with app.app_context():
        assert extract_parameters(find_user(users["staff"]).password_hash).time_cost == 2


@pytest.mark.parametrize("password", [
    "password1234", "Password123!", "qwertyuiop123", "iloveyou1234", "1234567890123", "aaaaaaaaaaaa",
    "abcabcabcabc", "paroolparool", "Parool2026!!", "Tallinn2026!!", "kaasavomavalitsus",
])
def test_common_passwords_are_refused_also_padded_or_repeated(app, password):
    with app.app_context():
        assert "too common" in passwords.policy_problem(password)


@pytest.mark.parametrize("password", ["correct horse battery", "Põltsamaa kevadine jõgi", "x7#kq!Lm2@pZ"])
def test_uncommon_passwords_pass(app, password):
    with app.app_context():
        assert passwords.policy_problem(password) is None


def test_the_bundled_list_is_the_full_one(app):
    assert len(passwords.common_passwords()) > 19_000
    assert {"password", "123456", "parool"} <= passwords.common_passwords()


def test_a_common_password_is_refused_on_the_field_when_changing_it(client, login_as):
    login_as("staff")
    response = submit(client, "/account", {"current": PASSWORD, "password": "password12345",
                                           "confirm": "password12345"})
    assert response.status_code == 422
    assert 'id="password-error"' in response.get_data(as_text=True)
