"""Mapping profiles: a confirmed mapping kept under a name and applied to a later file with the same headers,
on the web and on the command line; saving and deleting one is audited; coordinators only."""

import io

from sqlalchemy import select

from labelapp.core.audit import AuditEntry
from labelapp.extensions import db
from labelapp.surveys.models import SurveyProfile, SurveyWave
from tests.support.web import csrf_token

# Headers that say nothing: read only with a mapping chosen by hand or from a profile.
FIRST = b"A;B;C\n0784;62,5;800\n"
LATER = b"A;B;C\n0784;60;900\n0793;55;400\n"
MAPPING = {"column_0": "code", "column_1": "share", "column_2": "n"}


def stage(client, content: bytes, year: str) -> str:
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    response = client.post("/admin/surveys/import", content_type="multipart/form-data", data={
        "csrf_token": token, "year": year, "description": "", "shape": "", "url": "",
        "file": (io.BytesIO(content), "kov.csv")})
    assert response.status_code == 302
    return response.headers["Location"]


def actions(app) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
                if e.action.startswith("survey.profile")]


def import_first_file_with_profile(client, name="Uuringufirma 2024"):
    preview = stage(client, FIRST, "2024")
    page = client.get(preview).get_data(as_text=True)
    client.post(preview + "/mapping", data={"csrf_token": csrf_token(page), **MAPPING})
    page = client.get(preview).get_data(as_text=True)
    assert "/confirm" in page and "profile_name" in page
    response = client.post(preview + "/confirm", data={"csrf_token": csrf_token(page), "profile_name": name})
    assert response.headers["Location"] == "/admin/surveys/"


def test_a_confirmed_mapping_is_saved_and_applied_to_a_later_file_with_the_same_headers(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    import_first_file_with_profile(client)
    with app.app_context():
        profile = db.session.scalar(select(SurveyProfile))
        assert (profile.name, profile.headers, profile.mapping) == (
            "Uuringufirma 2024", ["A", "B", "C"], {"A": "code", "B": "share", "C": "n"})
    assert actions(app) == ["survey.profile_save"]

    preview = stage(client, LATER, "2025")
    page = client.get(preview).get_data(as_text=True)
    assert "Mapping profile “Uuringufirma 2024” applied" in page
    assert "/confirm" in page and "Tartu linn" in page  # no columns chosen by hand

    # The coordinator can read the file without the profile: the columns are then unknown again.
    client.post(preview + "/profile", data={"csrf_token": csrf_token(page), "profile": ""})
    page = client.get(preview).get_data(as_text=True)
    assert "applied" not in page and "missing required column(s)" in page and "/confirm" not in page
    with app.app_context():
        profile_id = db.session.scalar(select(SurveyProfile.id))
    client.post(preview + "/profile", data={"csrf_token": csrf_token(page), "profile": str(profile_id)})
    page = client.get(preview).get_data(as_text=True)
    assert "applied" in page
    client.post(preview + "/confirm", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.scalar(select(SurveyWave).where(SurveyWave.year == 2025)).rows == 2


def test_a_profile_is_not_applied_to_other_headers(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    import_first_file_with_profile(client)
    preview = stage(client, b"A;B;D\n0784;60;900\n", "2025")
    page = client.get(preview).get_data(as_text=True)
    assert "applied" not in page and "missing required column(s)" in page


def test_deleting_a_profile_is_audited_and_a_second_delete_is_stale(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    import_first_file_with_profile(client)
    page = client.get("/admin/surveys/profiles").get_data(as_text=True)
    assert "Uuringufirma 2024" in page and "A → Municipality code (EHAK)" in page
    with app.app_context():
        profile_id = db.session.scalar(select(SurveyProfile.id))
    url = f"/admin/surveys/profiles/{profile_id}/delete"
    assert client.post(url, data={"csrf_token": csrf_token(page)}).status_code == 302
    assert actions(app) == ["survey.profile_save", "survey.profile_delete"]
    assert client.post(url, data={"csrf_token": csrf_token(page)}).status_code == 409
    with app.app_context():
        assert db.session.scalar(select(SurveyProfile)) is None


def test_staff_cannot_see_or_delete_profiles(client, login_as):
    login_as("staff")
    assert client.get("/admin/surveys/profiles").status_code == 403


def test_command_line_uses_a_profile_by_name_or_by_headers(app, runner, tmp_path):
    first, later = tmp_path / "first.csv", tmp_path / "later.csv"
    first.write_bytes(FIRST)
    later.write_bytes(LATER)
    result = runner.invoke(args=["survey", "import", str(first), "--wave", "2024", "--map", "A=code", "--map",
                                 "B=share", "--map", "C=n", "--save-profile", "Uuringufirma 2024"])
    assert result.exit_code == 0, result.output
    assert actions(app) == ["survey.profile_save"]
    missing = runner.invoke(args=["survey", "import", str(later), "--wave", "2025", "--profile", "Muu"])
    assert missing.exit_code == 1 and "no mapping profile named 'Muu'" in missing.output
    assert "Uuringufirma 2024" in missing.output  # the names there are
    result = runner.invoke(args=["survey", "import", str(later), "--wave", "2025", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "mapping profile 'Uuringufirma 2024' applied" in result.output
    result = runner.invoke(args=["survey", "import", str(later), "--wave", "2025", "--profile", "Uuringufirma 2024"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(SurveyWave).where(SurveyWave.year == 2025)).rows == 2
