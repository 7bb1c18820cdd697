"""The audit log and the outbox are paginated, with the same few statements however many rows there are."""

import pytest

from labelapp.core import audit, mail
from labelapp.extensions import db
from tests.support.queries import count_queries


@pytest.fixture
def config_overrides():
    return {"AUDIT_PAGE_SIZE": 3, "OUTBOX_PAGE_SIZE": 3}


def add_rows(app, count: int, start: int) -> None:
    with app.test_request_context():
        for number in range(start, start + count):
            mail.queue(f"person{number}@example.org", f"Message {number}", "Body " * 200)
            audit.record("test.event", "thing", number)
        db.session.commit()


@pytest.mark.parametrize("url", ["/admin/audit", "/admin/audit?action=test.&object_type=thing", "/admin/outbox",
                                 "/admin/outbox?status=pending"])
def test_list_statements_do_not_grow_with_rows(app, client, login_as, url):
    login_as("coordinator")
    add_rows(app, 2, 1)
    with count_queries(app) as few:
        assert client.get(url).status_code == 200
    add_rows(app, 20, 3)
    with count_queries(app) as many:
        html = client.get(url).get_data(as_text=True)
    assert len(many) == len(few) <= 12
    assert 'rel="next"' in html
