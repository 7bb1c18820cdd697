"""Hostile office files (ZIP and XML bombs) are refused before any parser reads them, for evidence and surveys."""

import io
import os
import zipfile

import pytest
from sqlalchemy import select

from labelapp.assessment.models import Evidence
from labelapp.extensions import db
from labelapp.surveys.models import SurveyWave
from tests.support.evidence import stored_files, upload


@pytest.fixture
def config_overrides():
    return {"ARCHIVE_MAX_UNCOMPRESSED_BYTES": 256 * 1024, "EVIDENCE_MAX_UNCOMPRESSED_BYTES": 256 * 1024}


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                            for i in range(1, 10))
                  + ']><x>&lol9;</x>')
EXTERNAL_ENTITY = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'


def hostile_office_file(kind: str, part: str, content: bytes | str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
        archive.writestr(part, content)
    return buffer.getvalue()


@pytest.mark.parametrize("content,message", [
    (hostile_office_file("xlsx", "xl/sharedStrings.xml", BILLION_LAUGHS), "declares XML entities or a DTD"),
    (hostile_office_file("docx", "word/styles.xml", EXTERNAL_ENTITY), "declares XML entities or a DTD"),
    (hostile_office_file("xlsx", "xl/worksheets/sheet1.xml", b"<x>" + b" " * (2 * 1024 * 1024) + b"</x>"),
     "unpacks to more than"),
    (hostile_office_file("xlsx", "xl/worksheets/sheet1.xml", os.urandom(300 * 1024)), "unpacks to more than"),
])
def test_office_file_bombs_are_refused_before_parsing(app, client, evidence_url, content, message):
    client.set_cookie("lang", "en")
    response = upload(client, evidence_url, content, "tabel.xlsx")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_files(app) == []
    with app.app_context():
        assert db.session.scalar(select(Evidence)) is None


def test_highly_compressed_part_is_refused_even_under_the_total_limit(app):
    from labelapp.core import uploads

    path = app.instance_path + "/bomb.xlsx"
    with open(path, "wb") as out:
        out.write(hostile_office_file("xlsx", "xl/worksheets/sheet1.xml", b"<x>" + b"a" * (4 * 1024 * 1024) + b"</x>"))
    with app.app_context(), pytest.raises(uploads.UploadError, match="compressed more than 100 times"):
        uploads.check_archive(path, 64 * 1024 * 1024)


def test_survey_import_refuses_an_entity_bomb_and_stores_nothing(app, runner, tmp_path):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(hostile_office_file("xlsx", "xl/sharedStrings.xml", BILLION_LAUGHS))
    result = runner.invoke(args=["survey", "import", str(path), "--wave", "2025"])
    assert result.exit_code != 0
    assert "declares XML entities or a DTD" in result.output
    with app.app_context():
        assert db.session.scalar(select(SurveyWave)) is None


LATE_DTD = "<!--" + "x" * (70 * 1024) + "-->" + BILLION_LAUGHS.removeprefix('<?xml version="1.0"?>')


@pytest.mark.parametrize("part,content", [
    ("xl/sharedStrings.xml", LATE_DTD),  # the DTD starts after 70 KiB, beyond where parsing used to stop
    ("xl/drawings/vmlDrawing1.vml", BILLION_LAUGHS),
    ("customXml/item1.dat", EXTERNAL_ENTITY),  # XML by content, whatever the name
    ("word/_rels/document.xml.rels", "\ufeff" + EXTERNAL_ENTITY),
])
def test_a_dtd_anywhere_in_any_xml_part_is_refused(app, client, evidence_url, part, content):
    app.config["ARCHIVE_MAX_UNCOMPRESSED_BYTES"] = app.config["EVIDENCE_MAX_UNCOMPRESSED_BYTES"] = 1024 * 1024
    client.set_cookie("lang", "en")
    response = upload(client, evidence_url, hostile_office_file("docx", part, content), "kiri.docx")
    assert response.status_code == 422
    assert f"Part {part} of the file declares XML entities or a DTD" in response.get_data(as_text=True)
    assert stored_files(app) == []


def many_parts(count: int, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<x/>")
        for index in range(count):
            # two letters at random: about eight times smaller packed, so that the upload stays small
            archive.writestr(f"word/media/image{index}.bin", bytes(b"ab"[byte & 1] for byte in os.urandom(size)))
    return buffer.getvalue()


def test_evidence_has_a_lower_unpacked_limit_than_surveys(app, client, evidence_url):
    from labelapp.core import uploads

    app.config.update(ARCHIVE_MAX_UNCOMPRESSED_BYTES=4 * 1024 * 1024, EVIDENCE_MAX_UNCOMPRESSED_BYTES=512 * 1024)
    content = many_parts(5, 200 * 1024)  # (500 parts just under 1 MiB, scaled down) 1 MB unpacked
    assert len(content) < 400 * 1024
    client.set_cookie("lang", "en")
    response = upload(client, evidence_url, content, "kiri.docx")
    assert response.status_code == 422
    assert "The file unpacks to more than 512 KB" in response.get_data(as_text=True)
    assert stored_files(app) == []
    path = app.instance_path + "/survey.docx"
    with open(path, "wb") as out:
        out.write(content)
    with app.app_context():
        assert uploads.check_archive(path, app.config["ARCHIVE_MAX_UNCOMPRESSED_BYTES"]) is None
