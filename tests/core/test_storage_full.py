"""A full disk: the upload or save is refused with 507, nothing is changed or left on disk, and it is logged."""

import errno
import io
import logging
import os

import pytest
from sqlalchemy import func, select

from labelapp.assessment.models import Evidence
from labelapp.core import uploads
from labelapp.extensions import db
from labelapp.surveys.models import SurveyWave
from tests.support.evidence import PDF, stored_files, upload
from tests.support.web import csrf_token

MESSAGE = "The server has run out of storage space, so this could not be saved. Nothing was changed"


@pytest.fixture
def full_disk(monkeypatch):
    """Fault injection at the file system: every upload write fails as on a full disk (or a full quota)."""

    def refuse(code):
        def write(_out, _chunk):
            raise OSError(code, "No space left on device")
        monkeypatch.setattr(uploads, "write_chunk", write)

    return refuse


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_evidence_upload_on_a_full_disk_is_a_507_and_changes_nothing(app, client, evidence_url, full_disk, caplog,
                                                                    code):
    client.set_cookie("lang", "en")
    full_disk(code)
    with caplog.at_level(logging.ERROR):
        response = upload(client, evidence_url, PDF, "otsus.pdf")
    assert response.status_code == 507
    assert MESSAGE in response.get_data(as_text=True)
    assert stored_files(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0
    assert [r.levelname for r in caplog.records if f"storage full on POST {evidence_url}" in r.getMessage()] == [
        "ERROR"]


def test_survey_upload_on_a_full_disk_is_a_507_and_leaves_no_staging_file(app, client, login_as, full_disk):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    full_disk(errno.ENOSPC)
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    response = client.post("/admin/surveys/import", content_type="multipart/form-data", data={
        "csrf_token": token, "year": "2024",
        "file": (io.BytesIO(b"EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;62,5;800\n"), "survey.csv")})
    assert response.status_code == 507
    assert MESSAGE in response.get_data(as_text=True)
    assert os.listdir(app.instance_path + "/uploads/survey-staging") == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyWave)) == 0
