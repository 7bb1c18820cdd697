"""Login throttling: per (address, account), per account, and a short backoff for an address guessing at many
accounts (issue #15, finding 2). Time passes by moving the stored attempts back, never by sleeping."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from labelapp.auth import throttle
from labelapp.auth.models import AttemptOutcome, LoginAttempt
from labelapp.core.types import utcnow
from labelapp.extensions import db
from tests.support.factories import PASSWORD
from tests.support.web import csrf_token

WRONG = "wrong password here"


def attempt(client, email: str, password: str = PASSWORD, address: str | None = None):
    headers = {"X-Forwarded-For": address} if address else {}
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token}, headers=headers)


def let_time_pass(app, seconds: float) -> None:
    with app.app_context():
        for row in db.session.scalars(select(LoginAttempt)):
            row.at -= timedelta(seconds=seconds)
        db.session.commit()


def stored(app) -> list[tuple[str, str, AttemptOutcome]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(LoginAttempt.email, LoginAttempt.client, LoginAttempt.outcome).order_by(LoginAttempt.id))]


def test_guessing_at_many_accounts_delays_the_address_briefly_not_for_a_quarter_hour(app, client, users):
    statuses = [attempt(client, f"nobody{number}@example.org", WRONG).status_code for number in range(8)]
    assert statuses == [422] * 6 + [429] * 2  # the sixth account's failure starts the backoff
    with app.app_context():  # twenty failures on different accounts in the last seconds, however they came
        db.session.add_all(LoginAttempt(email=f"other{number}@example.org", client="127.0.0.1",
                                        outcome=AttemptOutcome.FAILURE) for number in range(20))
        db.session.commit()
    refused = attempt(client, users["staff"])
    assert refused.status_code == 429
    assert "Too many failed logins from your network address" in refused.get_data(as_text=True) \
        or "Teie võrguaadressilt" in refused.get_data(as_text=True)
    let_time_pass(app, app.config["LOGIN_CLIENT_MAX_DELAY_SECONDS"])
    assert attempt(client, users["staff"]).status_code == 302
    assert stored(app)[-2:] == [(users["staff"], "127.0.0.1", AttemptOutcome.THROTTLED),
                                (users["staff"], "127.0.0.1", AttemptOutcome.SUCCESS)]


def test_the_address_backoff_doubles_with_each_further_account(app):
    with app.test_request_context():
        now = utcnow()
        delays = []
        for accounts in range(1, 13):
            db.session.add(LoginAttempt(email=f"n{accounts}@example.org", client="198.51.100.7",
                                        outcome=AttemptOutcome.FAILURE, at=now))
            db.session.flush()
            until = throttle.address_backoff("198.51.100.7")
            delays.append(None if until is None else (until - now).total_seconds())
        db.session.rollback()
    assert delays == [None] * 5 + [2, 4, 8, 16, 32, 64, 120]


def test_the_same_wrong_account_many_times_is_not_a_backoff_for_the_address(app, client, users):
    for _ in range(8):
        attempt(client, users["other_staff"], WRONG)
    assert attempt(client, users["staff"]).status_code == 302


@pytest.mark.parametrize("config_overrides", [{"PROXY_FIX_X_FOR": 1}])
def test_behind_one_proxy_guessing_from_one_address_leaves_the_owner_in_from_another(app, client, users):
    for _ in range(5):
        assert attempt(client, users["staff"], WRONG, "203.0.113.5").status_code == 422
    refused = attempt(client, users["staff"], PASSWORD, "203.0.113.5")
    assert refused.status_code == 429
    assert "Too many failed logins for this account" in refused.get_data(as_text=True) \
        or "Sellele kontole" in refused.get_data(as_text=True)
    assert attempt(client, users["staff"], PASSWORD, "203.0.113.6").status_code == 302
    assert {address for _, address, _ in stored(app)} == {"203.0.113.5", "203.0.113.6"}


@pytest.mark.parametrize("config_overrides", [{"PROXY_FIX_X_FOR": 1}])
def test_behind_one_proxy_only_the_hop_the_proxy_appended_counts(app, client, users):
    attempt(client, users["staff"], WRONG, "10.9.9.9, 203.0.113.5")
    assert stored(app) == [(users["staff"], "203.0.113.5", AttemptOutcome.FAILURE)]


@pytest.mark.parametrize("config_overrides", [{"PROXY_FIX_X_FOR": 1}])
def test_guessing_spread_over_addresses_locks_the_account_everywhere(app, client, users):
    for number in range(20):
        assert attempt(client, users["staff"], WRONG, f"203.0.113.{number // 5 + 1}").status_code == 422
    assert attempt(client, users["staff"], PASSWORD, "203.0.113.99").status_code == 429
    assert attempt(client, users["other_staff"], PASSWORD, "203.0.113.1").status_code == 302


def test_without_a_configured_proxy_x_forwarded_for_is_ignored(app, client, users):
    for number in range(5):
        attempt(client, users["staff"], WRONG, f"203.0.113.{number}")
    assert attempt(client, users["staff"], PASSWORD, "203.0.113.99").status_code == 429
    assert {address for _, address, _ in stored(app)} == {"127.0.0.1"}


def test_the_lock_message_says_when_and_promises_no_reset(app, client, users):
    client.set_cookie("lang", "en")
    for _ in range(5):
        attempt(client, users["staff"], WRONG)
    html = attempt(client, users["staff"]).get_data(as_text=True)
    assert "Too many failed logins for this account. Try again after " in html
    assert "reset" not in html.split('id="password-error"')[1].split("</")[0]
