"""Decisions released together, labels, and the label lifecycle over a simulated calendar."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry, OutboxMessage
from labelapp.extensions import db
from labelapp.labels import decisions, lifecycle
from labelapp.labels.models import Label, LabelReminder, LabelState
from tests.support.factories import recommended_application
from tests.support.web import csrf_token, login, submit
from tests.surveys.files import write_text


@pytest.fixture
def application_id(app, users):
    with app.test_request_context():
        return recommended_application(find_user(users["staff"]), find_user(users["assessor"])).id


def decide(client, application_id, outcome, reasons=""):
    url = f"/applications/{application_id}"
    return submit(client, url + "/decision", {"outcome": outcome, "reasons": reasons}, form_page=url)


def mails_to(app, email) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.to_address == email)).all()


def test_award_is_pending_until_released_with_the_mail_shown_first(app, client, login_as, users, application_id):
    login_as("coordinator")
    assert decide(client, application_id, "award").headers["Location"] == "/applications/decisions"
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.RECOMMENDED
        assert db.session.scalar(select(Label)) is None
    page = client.get("/applications/decisions").get_data(as_text=True)
    assert users["staff"] in page and "Tallinn" in page
    assert "Tee otsus teatavaks" in page  # one decision: the singular, not "Tee 1 otsust teatavaks"
    assert submit(client, "/applications/decisions", form_page="/applications/decisions").status_code == 302
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.AWARDED
        label = db.session.scalar(select(Label))
        assert len(label.public_id) >= 16 and re.fullmatch(r"[A-Za-z0-9_-]+", label.public_id)
        assert label.valid_until == lifecycle.add_months(dt.date.today(), 24)
        assert label.level == "label"  # 66.7 % self-assessment, no survey: the first level
        assert label.state == LabelState.VALID
    assert mails_to(app, users["staff"])


def test_overriding_the_panel_or_declining_needs_reasons_the_municipality_reads(app, client, login_as, users,
                                                                                application_id):
    login_as("coordinator")
    decide(client, application_id, "decline", "no")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(decisions.Decision)) == 0
    decide(client, application_id, "decline", "The survey results are too weak this year.")
    submit(client, "/applications/decisions", form_page="/applications/decisions")
    staff = app.test_client()
    login(staff, users["staff"])
    page = staff.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "The survey results are too weak this year." in page
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.DECLINED
        assert db.session.scalar(select(decisions.Decision)).overrides_panel is True


def test_tick_moves_labels_by_date_and_reminds_exactly_once(app, client, login_as, users, application_id, runner):
    login_as("coordinator")
    decide(client, application_id, "award")
    submit(client, "/applications/decisions", form_page="/applications/decisions")
    with app.app_context():
        until = db.session.scalar(select(Label.valid_until))
        before = len(mails_to(app, users["staff"]))

    def tick(day: dt.date) -> str:
        result = runner.invoke(args=["labels", "tick", "--today", day.isoformat()])
        assert result.exit_code == 0, result.output
        return result.output

    def state() -> LabelState:
        with app.app_context():
            return db.session.scalar(select(Label.state))

    assert "0 reminder" in tick(until - dt.timedelta(days=91)) and state() == LabelState.VALID
    assert "1 reminder" in tick(until - dt.timedelta(days=90)) and state() == LabelState.EXPIRING
    assert "0 reminder" in tick(until - dt.timedelta(days=90))  # run twice: no second mail
    assert "0 reminder" in tick(until - dt.timedelta(days=31))
    assert "1 reminder" in tick(until - dt.timedelta(days=30))
    assert "0 reminder" in tick(until) and state() == LabelState.EXPIRING
    assert "1 expired" in tick(until + dt.timedelta(days=1)) and state() == LabelState.EXPIRED
    assert "0 expired" in tick(until + dt.timedelta(days=2))
    with app.app_context():
        assert sorted(db.session.scalars(select(LabelReminder.days_before))) == [30, 90]
    assert len(mails_to(app, users["staff"])) == before + 2


def test_a_weak_new_survey_wave_puts_the_label_under_review(app, client, login_as, users, application_id, runner,
                                                             tmp_path):
    login_as("coordinator")
    decide(client, application_id, "award")
    submit(client, "/applications/decisions", form_page="/applications/decisions")
    path = write_text(tmp_path / "kov.csv", [["EHAK", "Osakaal", "n"], ["0784", "31", "600"],
                                             ["0793", "20", "600"]])
    assert runner.invoke(args=["survey", "import", str(path), "--wave", "2026"]).exit_code == 0
    with app.app_context():
        label = db.session.scalar(select(Label))
        assert label.state == LabelState.UNDER_REVIEW and "31" in label.state_reason
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "label.under_review"))
        label_id = label.id
    assert any("läbivaatamisel" in s or "under review" in s for s in mails_to(app, users["coordinator"]))
    url = f"/applications/{application_id}"
    submit(client, f"/applications/labels/{label_id}/end-review",
           {"reason": "The municipality presented an improvement plan."}, form_page=url)
    with app.app_context():
        assert db.session.get(Label, label_id).state == LabelState.VALID


def test_revocation_needs_a_reason_and_is_recorded(app, client, login_as, application_id):
    login_as("coordinator")
    decide(client, application_id, "award")
    submit(client, "/applications/decisions", form_page="/applications/decisions")
    with app.app_context():
        label_id = db.session.scalar(select(Label.id))
    url = f"/applications/{application_id}"
    submit(client, f"/applications/labels/{label_id}/revoke", {"reason": "short"}, form_page=url)
    with app.app_context():
        assert db.session.get(Label, label_id).state == LabelState.VALID
    submit(client, f"/applications/labels/{label_id}/revoke", {"reason": "Engagement principles were repealed."},
           form_page=url)
    with app.app_context():
        label = db.session.get(Label, label_id)
        assert (label.state, label.state_reason) == (LabelState.REVOKED, "Engagement principles were repealed.")


def test_the_below_threshold_reason_uses_the_pages_decimal_comma(app, client, login_as, users, application_id):
    from tests.surveys.test_views import upload

    login_as("coordinator")
    decide(client, application_id, "award")
    submit(client, "/applications/decisions", form_page="/applications/decisions")
    client.set_cookie("lang", "et")
    preview_url = upload(client, b"EHAK;Osakaal;n\n0784;31,05;600\n", year="2026").headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    client.post(preview_url + "/confirm", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert "31,05 %" in db.session.scalar(select(Label.state_reason))


def test_pending_decisions_page_reads_with_statements_that_do_not_grow(app, client, login_as, users):
    from labelapp.assessment import services as assessment_services
    from labelapp.auth.models import Role
    from labelapp.criteria import services as criteria_services
    from tests.support.factories import filled_assessment, make_user, open_round
    from tests.support.queries import count_queries

    def pending_with(codes) -> int:
        with app.test_request_context():
            for code in codes:
                staff = make_user(Role.STAFF, code, commit=False)
                assessment = filled_assessment(staff, criteria_services.current_round() or open_round(), level=2)
                assessment_services.submit(assessment, staff)
                application = recommended_application(staff, find_user(users["assessor"]), assessment=assessment)
                decisions.decide(application, find_user(users["coordinator"]), "award", "")
            db.session.commit()
        with count_queries(app) as statements:
            page = client.get("/applications/decisions").get_data(as_text=True)
        assert page.count('class="mail-preview"') == len(decisions_waiting(app))
        return len(statements)

    login_as("coordinator")
    one = pending_with(["0784"])
    three = pending_with(["0793", "0714"])
    assert one == three


def decisions_waiting(app) -> list:
    with app.app_context():
        return decisions.pending()
