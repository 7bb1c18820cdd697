"""Password resets: limited per account and per address, and answered alike whether or not the account exists
(issue #15, finding 3)."""

import pytest
from sqlalchemy import func, select

from labelapp.auth.models import AuthToken, ResetRequest
from labelapp.core.models import OutboxMessage
from labelapp.extensions import db
from tests.support.web import csrf_token, sent


def forgot(client, email: str, address: str | None = None):
    token = csrf_token(client.get("/password/forgot").get_data(as_text=True))
    headers = {"X-Forwarded-For": address} if address else {}
    return sent(client.post("/password/forgot", data={"email": email, "csrf_token": token}, headers=headers))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def mails_to(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_address == email))


def test_forty_two_requests_for_one_account_send_at_most_three_mails(app, client, users):
    statuses = {forgot(client, users["staff"], f"203.0.113.{n % 20}").status_code for n in range(42)}
    assert statuses == {302}
    assert mails_to(app, users["staff"]) == 3


@pytest.mark.parametrize("config_overrides", [{"PROXY_FIX_X_FOR": 1}])
def test_one_address_asking_for_many_accounts_is_limited(app, client, users):
    for number in range(12):
        assert forgot(client, users["staff"] if number == 11 else f"n{number}@example.org",
                      "198.51.100.4").status_code == 302
    assert (count(app, ResetRequest), mails_to(app, users["staff"])) == (10, 0)
    assert forgot(client, users["staff"], "198.51.100.5").status_code == 302
    assert mails_to(app, users["staff"]) == 1


def test_known_and_unknown_accounts_get_the_same_answer_and_the_same_writes(app, users):
    answers = []
    for email in (users["staff"], "nobody@example.org"):
        client = app.test_client()
        token = csrf_token(client.get("/password/forgot").get_data(as_text=True))
        before = (count(app, AuthToken), count(app, OutboxMessage), count(app, ResetRequest))
        response = client.post("/password/forgot", data={"email": email, "csrf_token": token})
        # What the client has received, and what was written, before the server closes the response.
        after = (count(app, AuthToken), count(app, OutboxMessage), count(app, ResetRequest))
        answers.append((response.status_code, response.location, response.get_data(as_text=True),
                        tuple(a - b for a, b in zip(after, before, strict=True))))
        response.close()
        page = client.get(response.location).get_data(as_text=True)
        answers[-1] += (page.split('name="csrf_token"')[0].split("<main")[1],)
    assert answers[0] == answers[1]
    assert answers[0][3] == (0, 0, 1)  # nothing but the request row was written before the answer
    assert (count(app, AuthToken), mails_to(app, users["staff"])) == (1, 1)
