"""Evidence uploads: checked by content, size-capped, stored under instance/ randomly, served as attachment."""

import gc
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from labelapp.assessment.models import Evidence
from labelapp.extensions import db
from tests.support.evidence import PDF, PNG, stored_files, upload
from tests.support.web import csrf_token


def office_file(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind in ("odt", "ods"):
            text = "text" if kind == "odt" else "spreadsheet"
            archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{text}")
            archive.writestr("content.xml", "<x/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("content,name", [
    (PDF, "otsus.pdf"), (PNG, "foto.png"), (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "pilt.jpg"),
    (office_file("docx"), "kord.docx"), (office_file("xlsx"), "tabel.xlsx"), (office_file("odt"), "kord.odt"),
    (office_file("ods"), "tabel.ods"),
])
def test_accepted_kinds_are_stored_with_random_names(app, client, evidence_url, content, name):
    assert upload(client, evidence_url, content, name).status_code == 302
    with app.app_context():
        item = db.session.scalar(select(Evidence))
        assert (item.original_name, item.size) == (name, len(content))
        assert re.fullmatch(r"[0-9a-f]{32}", item.stored_name)
    assert stored_files(app) == [item.stored_name]


@pytest.mark.parametrize("content,name", [
    (b"<html><script>alert(1)</script></html>", "otsus.pdf"),
    (b"MZ\x90\x00executable", "kord.docx"),
    (zipfile.ZipFile.__name__.encode(), "tabel.xlsx"),
])
def test_wrong_content_is_refused_whatever_the_name(app, client, evidence_url, content, name):
    response = upload(client, evidence_url, content, name)
    assert response.status_code == 422
    assert 'id="upload-file-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Evidence)) is None
    assert stored_files(app) == []


@pytest.fixture
def config_overrides():
    return {"EVIDENCE_MAX_BYTES": 2048}


def test_too_large_file_is_refused_and_nothing_is_kept(app, client, evidence_url):
    response = upload(client, evidence_url, PDF + b"0" * 4096, "big.pdf")
    assert response.status_code == 413
    assert "2 KB" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Evidence)) is None
    assert stored_files(app) == []


# Werkzeug leaves its spooled temporary file to the garbage collector when it refuses a body as too large.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_request_above_the_limit_gets_413(app, client, evidence_url):
    response = upload(client, evidence_url, PDF + b"0" * (2 * 1024 * 1024), "huge.pdf")
    assert response.status_code == 413
    del response
    gc.collect()
    assert stored_files(app) == []


def test_download_is_an_attachment_with_a_sandbox(app, client, evidence_url, users):
    upload(client, evidence_url, PDF, "otsus.pdf", "Council decision")
    page = client.get(evidence_url).get_data(as_text=True)
    link = re.search(r'href="(/assessments/\d+/evidence/\d+/download)"', page).group(1)
    with client.get(link) as response:
        body = response.data
    assert body == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    other = app.test_client()
    from tests.support.web import login

    login(other, users["other_staff"])
    assert other.get(link).status_code == 404


def test_links_are_added_and_removed(app, client, evidence_url):
    token = csrf_token(client.get(evidence_url).get_data(as_text=True))
    bad = client.post(evidence_url, data={"csrf_token": token, "form": "link", "link-title": "Plan",
                                          "link-url": "javascript:alert(1)"})
    assert bad.status_code == 422
    good = client.post(evidence_url, data={"csrf_token": token, "form": "link", "link-title": "Plan",
                                           "link-url": "https://vald.example.ee/arengukava"})
    assert good.status_code == 302
    with app.app_context():
        item_id = db.session.scalar(select(Evidence.id))
    page = client.get(evidence_url).get_data(as_text=True)
    delete = re.search(r'action="(/assessments/\d+/evidence/\d+/delete)"', page).group(1)
    assert client.post(delete, data={"csrf_token": csrf_token(page)}).status_code == 302
    with app.app_context():
        assert db.session.get(Evidence, item_id) is None



@pytest.mark.parametrize("name,content,stored_as,mimetype", [
    ("kava.pdf", PNG, "kava.png", "image/png"),
    ("scan", PNG, "scan.png", "image/png"),
    ("otsus.png", PDF, "otsus.pdf", "application/pdf"),
    ("pilt.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "pilt.jpeg", "image/jpeg"),
    ("tabel.docx", office_file("xlsx"), "tabel.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
], ids=["png-as-pdf", "png-without-extension", "pdf-as-png", "jpeg", "xlsx-as-docx"])
def test_the_name_takes_the_extension_of_the_detected_type(app, client, evidence_url, name, content, stored_as,
                                                          mimetype):
    assert upload(client, evidence_url, content, name).status_code == 302
    with app.app_context():
        item = db.session.scalar(select(Evidence))
        assert (item.original_name, item.title, item.content_type) == (stored_as, stored_as, mimetype)
        link = f"/assessments/{item.assessment_id}/evidence/{item.id}/download"
    with client.get(link) as response:
        assert (response.mimetype, response.headers["Content-Disposition"]) == (
            mimetype, f"attachment; filename={stored_as}")


def test_a_link_must_start_with_https_as_its_hint_says(app, client, evidence_url):
    page = client.get(evidence_url).get_data(as_text=True)
    assert "Algab https://" in page or "Starts with https://" in page
    refused = client.post(evidence_url, data={"csrf_token": csrf_token(page), "form": "link", "link-title": "Plan",
                                              "link-url": "http://vald.example.ee/arengukava"})
    assert refused.status_code == 422
    assert "Aadress peab algama https://" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Evidence.id)) is None
