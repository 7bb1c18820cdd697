import io
import re

from sqlalchemy import func, select

from labelapp.extensions import db
from labelapp.surveys.models import SurveyResult, SurveyWave
from tests.support.web import csrf_token, login

CSV = b"EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;62,5;800\n0793;Tartu linn;55;400\n"


def upload(client, content: bytes, name="kov.csv", year="2024", **extra):
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    data = {"csrf_token": token, "year": year, "description": "Minu omavalitsus", "shape": "", "url": "",
            "file": (io.BytesIO(content), name), **extra}
    return client.post("/admin/surveys/import", data=data, content_type="multipart/form-data")


def waves(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SurveyWave))


def test_upload_preview_confirm(app, client, login_as):
    login_as("coordinator")
    response = upload(client, CSV)
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "Tallinn" in page and "62,5 %" in page and waves(app) == 0
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    confirmed = client.post(f"/admin/surveys/import/{token}/confirm", data={"csrf_token": csrf_token(page)})
    assert confirmed.headers["Location"] == "/admin/surveys/"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResult)) == 2
    assert client.get(preview_url).status_code == 404  # the staged file is gone after import


def test_preview_of_a_bad_file_offers_no_import(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    preview_url = upload(client, b"EHAK;Osakaal;n\n0784;250;800\n").headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "expected a share in per cent from 0 to 100" in page
    assert "/confirm" not in page
    token = preview_url.rsplit("/", 1)[-1]
    client.post(f"/admin/surveys/import/{token}/confirm", data={"csrf_token": csrf_token(page)})
    assert waves(app) == 0


def test_mapping_step_for_unrecognised_columns(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    preview_url = upload(client, b"A;B;C\n0784;62,5;800\n").headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "missing required column(s)" in page
    token = preview_url.rsplit("/", 1)[-1]
    mapped = client.post(f"/admin/surveys/import/{token}/mapping", data={
        "csrf_token": csrf_token(page), "column_0": "code", "column_1": "share", "column_2": "n"})
    assert mapped.status_code == 302
    page = client.get(preview_url).get_data(as_text=True)
    assert "/confirm" in page and "Tallinn" in page


def test_missing_file_and_url_is_reported_on_the_field(client, login_as):
    login_as("coordinator")
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    response = client.post("/admin/surveys/import", data={"csrf_token": token, "year": "2024", "url": ""})
    assert response.status_code == 422
    assert 'id="url-error"' in response.get_data(as_text=True)


def test_staff_see_their_own_municipality_only(app, client, login_as, users):
    coordinator = app.test_client()
    login(coordinator, users["coordinator"])
    preview_url = upload(coordinator, CSV).headers["Location"]
    page = coordinator.get(preview_url).get_data(as_text=True)
    coordinator.post(preview_url + "/confirm", data={"csrf_token": csrf_token(page)})
    login_as("staff")  # Tallinn
    html = client.get("/survey").get_data(as_text=True)
    assert "62,5 %" in html and "55,0 %" not in html
    assert client.get("/admin/surveys/").status_code == 403
    assert re.search(r"/admin/surveys/\d+", html) is None


def test_too_large_survey_upload_gets_413_and_leaves_no_staged_file(app, client, login_as):
    import os

    app.config["SURVEY_MAX_BYTES"] = 64
    login_as("coordinator")
    response = upload(client, CSV * 4)
    assert response.status_code == 413
    assert "64 B" in response.get_data(as_text=True)
    staging = os.path.join(app.instance_path, "uploads", "survey-staging")
    assert not os.path.isdir(staging) or os.listdir(staging) == []
    assert waves(app) == 0


def staged_and_previewed(client, content: bytes) -> tuple[str, str]:
    preview_url = upload(client, content).headers["Location"]
    return preview_url, client.get(preview_url).get_data(as_text=True)


def test_confirm_imports_what_the_preview_checked_without_checking_every_row_again(app, client, login_as,
                                                                                   monkeypatch):
    from labelapp.surveys import analysis

    login_as("coordinator")
    preview_url, page = staged_and_previewed(client, CSV)
    assert "/confirm" in page
    checks = []
    original = analysis.analyse
    monkeypatch.setattr(analysis, "analyse", lambda *a, **k: checks.append(1) or original(*a, **k))
    confirmed = client.post(preview_url + "/confirm", data={"csrf_token": csrf_token(page)})
    assert confirmed.headers["Location"] == "/admin/surveys/"
    assert checks == []
    with app.app_context():
        stored = db.session.execute(select(SurveyResult.value, SurveyResult.n).order_by(SurveyResult.n)).all()
    assert [tuple(row) for row in stored] == [(55.0, 400), (62.5, 800)]


def test_confirm_checks_again_when_the_rule_the_preview_used_has_changed(app, client, login_as):
    login_as("coordinator")
    app.config["SURVEY_MIN_SAMPLE"] = 30
    preview_url, page = staged_and_previewed(client, CSV)
    app.config["SURVEY_MIN_SAMPLE"] = 500  # e.g. changed between the preview and the import
    client.post(preview_url + "/confirm", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        flags = db.session.execute(select(SurveyResult.n, SurveyResult.flag).order_by(SurveyResult.n)).all()
    assert [tuple(row) for row in flags] == [(400, "insufficient"), (800, "ok")]
