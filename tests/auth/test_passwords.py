import pytest
from argon2 import extract_parameters
from argon2.low_level import Type

from labelapp import create_app
from labelapp.auth import passwords
from labelapp.auth.services import find_user
from labelapp.config import DEFAULTS


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
    ("x" * 64, True),
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
