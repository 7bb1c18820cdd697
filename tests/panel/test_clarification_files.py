"""A clarification answer can attach a file: checked by content and size like all evidence, a new revision,
downloaded only as an attachment; a refused file keeps nothing."""

import io

from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.states import ApplicationStatus
from labelapp.assessment.models import Evidence, EvidenceKind
from labelapp.extensions import db
from tests.support.evidence import PDF, stored_files
from tests.support.panel import form_panel
from tests.support.web import csrf_token, login


def asked(app, client, login_as, setup, users):
    login_as("coordinator")
    a, b = setup["assessors"][:2]
    form_panel(app, client, setup, [a, b], a)
    url = f"/applications/{setup['application']}"
    assessor = app.test_client()
    login(assessor, b)
    page = assessor.get(url).get_data(as_text=True)
    assessor.post(url + "/clarification", data={"csrf_token": csrf_token(page),
                                                 "question": "Where is the council decision adopting the principles?"})
    staff = app.test_client()
    login(staff, users["staff"])
    staff.set_cookie("lang", "en")
    return staff, url


def answer(staff, url, content: bytes, name: str, criterion: str = "strategy.principles"):
    page = staff.get(url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    return staff.post(url + "/clarification/answer", data={
        "csrf_token": csrf_token(page), "answer": "The minutes are attached.", "criterion": criterion,
        "title": "Council minutes", "file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def test_the_answer_carries_a_file_downloaded_as_an_attachment(app, client, login_as, setup, users):
    staff, url = asked(app, client, login_as, setup, users)
    with app.app_context():
        revision = db.session.get(Application, setup["application"]).revision
    assert answer(staff, url, PDF, "protokoll.pdf").status_code == 302
    with app.app_context():
        application = db.session.get(Application, setup["application"])
        assert application.status == ApplicationStatus.IN_REVIEW and application.revision == revision + 1
        item = db.session.scalar(select(Evidence).where(Evidence.kind == EvidenceKind.FILE))
        assert (item.criterion_id, item.title, item.original_name) == ("strategy.principles", "Council minutes",
                                                                       "protokoll.pdf")
        download = f"/assessments/{application.assessment_id}/evidence/{item.id}/download"
    assert stored_files(app) == [item.stored_name]
    response = staff.get(download)
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    response.close()


def test_a_refused_file_keeps_nothing_and_the_question_stays_open(app, client, login_as, setup, users):
    staff, url = asked(app, client, login_as, setup, users)
    response = answer(staff, url, b"MZ\x90\x00program", "protokoll.pdf")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Application, setup["application"]).status == ApplicationStatus.CLARIFICATION
        assert db.session.scalar(select(Evidence).where(Evidence.kind == EvidenceKind.FILE)) is None
    assert stored_files(app) == []
    assert "PDF" in staff.get(url).get_data(as_text=True)  # the flashed reason names the accepted kinds


def test_a_file_needs_its_criterion(app, client, login_as, setup, users):
    staff, url = asked(app, client, login_as, setup, users)
    answer(staff, url, PDF, "protokoll.pdf", criterion="")
    with app.app_context():
        assert db.session.get(Application, setup["application"]).status == ApplicationStatus.CLARIFICATION
    assert "choose the criterion it is evidence for" in staff.get(url).get_data(as_text=True)
