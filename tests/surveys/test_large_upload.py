"""Survey files larger than the app-wide request limit go through the browser, still CSRF-checked; the file is
parsed once, at staging, and the parsed table is reused by the preview, each reload, remapping and confirm."""

import gc
import io

import pytest
from sqlalchemy import func, select

from labelapp.extensions import db
from labelapp.surveys import reader
from labelapp.surveys.models import SurveyResult
from tests.support.web import csrf_token

MIB = 1024 * 1024
# About 3 MB of respondent rows (Tallinn), larger than the 1 MB MAX_CONTENT_LENGTH configured below.
BIG = b"EHAK;Omavalitsus;Vastus;Kaal\n" + b"0784;Tallinn;V\xc3\xa4ga rahul;1,25\n" * 110_000


@pytest.fixture
def config_overrides():
    return {"MAX_CONTENT_LENGTH": MIB}


# Werkzeug (the test client's request body, and its parser when it refuses a body as too large) leaves spooled
# temporary files of large bodies to the garbage collector: collected here, so that no later test hears of it.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(autouse=True)
def _collect_spooled_files():
    yield
    gc.collect()


def post_import(client, content: bytes, token: str | None):
    data = {"year": "2024", "description": "", "shape": "", "url": "", "file": (io.BytesIO(content), "big.csv")}
    if token is not None:
        data["csrf_token"] = token
    return client.post("/admin/surveys/import", data=data, content_type="multipart/form-data")


def test_a_file_larger_than_the_request_limit_is_staged_for_the_coordinator(app, client, login_as):
    assert len(BIG) > 3 * MIB > app.config["MAX_CONTENT_LENGTH"]
    login_as("coordinator")
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    response = post_import(client, BIG, token)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "110000" in page


def test_a_large_post_without_the_csrf_token_is_refused(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    response = post_import(client, BIG, None)
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


def test_the_raised_limit_is_only_for_the_coordinator(app, client, login_as):
    login_as("staff")
    response = post_import(client, BIG, "x")
    assert response.status_code == 413


def test_the_raw_file_is_read_once_for_preview_reloads_remapping_and_confirm(app, client, login_as, monkeypatch):
    calls = []
    original = reader.pd.read_csv
    monkeypatch.setattr(reader.pd, "read_csv", lambda *a, **k: calls.append(1) or original(*a, **k))
    login_as("coordinator")
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    preview_url = post_import(client, BIG, token).headers["Location"]
    assert len(calls) == 1
    page = client.get(preview_url).get_data(as_text=True)
    client.get(preview_url)
    client.post(preview_url + "/mapping", data={"csrf_token": csrf_token(page), "column_0": "code",
                                                "column_1": "", "column_2": "answer", "column_3": "weight"})
    page = client.get(preview_url).get_data(as_text=True)
    assert "/confirm" in page
    confirmed = client.post(preview_url + "/confirm", data={"csrf_token": csrf_token(page)})
    assert confirmed.headers["Location"] == "/admin/surveys/"
    assert len(calls) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResult)) == 1


def test_a_duplicate_file_is_named_in_the_preview_before_import(app, client, login_as):
    small = b"EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;62,5;800\n"
    login_as("coordinator")
    client.set_cookie("lang", "en")
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    first = post_import(client, small, token).headers["Location"]
    page = client.get(first).get_data(as_text=True)
    client.post(first + "/confirm", data={"csrf_token": csrf_token(page)})
    again = post_import(client, small, token).headers["Location"]
    page = client.get(again).get_data(as_text=True)
    assert "This file was already imported on" in page and "as the 2024 wave" in page
    assert "/confirm" not in page


def test_the_command_line_shows_progress_on_a_file_of_a_few_mb(app, runner, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(BIG + BIG.split(b"\n", 1)[1])  # about 6 MB
    result = runner.invoke(args=["survey", "import", str(path), "--wave", "2024", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Reading the file" in result.output and "Parsing" in result.output and "Checking rows" in result.output
    small = tmp_path / "small.csv"
    small.write_bytes(BIG[:2000].rsplit(b"\n", 1)[0] + b"\n")
    result = runner.invoke(args=["survey", "import", str(small), "--wave", "2024", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Parsing" not in result.output


def test_a_column_read_as_text_with_no_values_is_reported_not_a_crash(app, tmp_path):
    from labelapp.surveys import services

    path = tmp_path / "kov.csv"
    path.write_bytes(b"EHAK;Osakaal;n\n0784;;800\n0793;;400\n")
    with app.app_context():
        report = services.preview(services.stage_path(path))
    assert [str(p) for p in report.errors][0].startswith("row 2, column 'Osakaal'")
