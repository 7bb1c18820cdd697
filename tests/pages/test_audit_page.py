from sqlalchemy import select

from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from tests.support.web import login


def test_state_changes_write_audit_rows_with_before_and_after(app, client, login_as, users):
    from labelapp.auth.services import find_user
    from tests.support.web import submit

    login_as("coordinator")
    with app.app_context():
        target = find_user(users["assessor"])
        target_id = target.id
    submit(client, f"/admin/users/{target_id}", {"name": "Renamed Assessor", "role": "assessor",
                                                  "municipality": "", "active": "y"})
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
        assert entry.actor_label == users["coordinator"]
        assert entry.before["name"] != "Renamed Assessor"
        assert entry.after["name"] == "Renamed Assessor"
        assert entry.object_id == str(target_id)


def test_audit_log_filters_by_action_and_actor(client, login_as, users):
    login(client.application.test_client(), users["staff"], "wrong password here")
    login_as("coordinator")
    html = client.get("/admin/audit?action=login.failure").get_data(as_text=True)
    assert "login.failure" in html and "login.success" not in html
    html = client.get(f"/admin/audit?action=login&actor={users['coordinator']}").get_data(as_text=True)
    assert "login.success" in html and "login.failure" not in html


def test_audit_log_bad_date_is_reported_on_the_field(client, login_as):
    login_as("coordinator")
    html = client.get("/admin/audit?since=yesterday").get_data(as_text=True)
    assert 'id="dates-error"' in html


def test_audit_page_query_count_does_not_grow_with_rows(app, client, login_as):
    from tests.support.queries import count_queries

    login_as("coordinator")
    with count_queries(app) as few:
        client.get("/admin/audit")
    with app.app_context():
        from labelapp.core import audit

        for number in range(60):
            audit.record("test.bulk", "thing", number, after={"n": number})
        db.session.commit()
    with count_queries(app) as many:
        client.get("/admin/audit")
    assert len(many) == len(few)


def test_audit_log_shows_letters_as_they_are(client, login_as, users, app):
    from labelapp.auth.services import find_user
    from tests.support.web import submit

    login_as("coordinator")
    with app.app_context():
        target_id = find_user(users["assessor"]).id
    submit(client, f"/admin/users/{target_id}", {"name": "Õie Ülle-Äär", "role": "assessor", "municipality": "",
                                                  "active": "y"})
    html = client.get("/admin/audit?action=user.update").get_data(as_text=True)
    assert "Õie Ülle-Äär" in html and "\\u00d5" not in html


def test_outbox_states_are_words(client, login_as, app, users):
    from labelapp.core import mail

    with app.app_context():
        mail.queue(users["staff"], "Subject", "Body")
        db.session.commit()
    login_as("coordinator")
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert "ootab saatmist" in html and ">pending<" not in html
