"""Every form refuses control characters: NUL cannot be stored in PostgreSQL, and none belongs in typed text."""

import ast
import importlib
import io
import pkgutil
import re
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import IntegerField
from wtforms.validators import NumberRange

import labelapp
from labelapp.assessment.models import Answer, Evidence
from labelapp.auth.models import User
from labelapp.core.forms import INT_MAX, Form, control_character
from labelapp.extensions import db
from labelapp.surveys.models import SurveyWave
from tests.support.evidence import PDF, stored_files, upload
from tests.support.factories import open_round
from tests.support.web import csrf_token, submit

PACKAGE = Path(labelapp.__file__).parent


def all_modules():
    return [importlib.import_module(m.name) for m in pkgutil.walk_packages([str(PACKAGE)], "labelapp.")]


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_every_form_class_is_built_on_the_checking_base():
    all_modules()
    forms = [c for c in subclasses(FlaskForm) if c.__module__.startswith("labelapp.")]
    assert len(forms) > 20
    assert [c.__qualname__ for c in forms if not issubclass(c, Form)] == []


def test_no_form_is_built_on_flaskform_directly():
    """Forms made at run time with type() (area, review, mapping forms) are caught by reading the source."""
    uses = [f"{path.relative_to(PACKAGE)}:{node.lineno}" for path in PACKAGE.rglob("*.py")
            if path.name != "forms.py" or path.parent.name != "core"
            for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Name) and node.id == "FlaskForm"]
    assert uses == []


def test_every_integer_field_is_range_checked():
    all_modules()
    fields = {f"{c.__qualname__}.{name}": value.kwargs.get("validators", []) for c in subclasses(Form)
              for name, value in vars(c).items() if getattr(value, "field_class", None) is IntegerField}
    assert fields
    assert [name for name, validators in fields.items() if not any(
        isinstance(v, NumberRange) and v.max is not None and v.max <= INT_MAX for v in validators)] == []


@pytest.mark.parametrize("text,multiline,found", [
    ("plain", False, None), ("tab\there", True, None), ("lines\r\nand\nmore", True, None),
    ("tab\there", False, "U+0009"), ("new\nline", False, "U+000A"), ("nul\x00", True, "U+0000"),
    ("bell\x07", True, "U+0007"), ("del\x7f", True, "U+007F"), ("c1\x85", True, "U+0085"),
    ("õun ja šokolaad", False, None),
])
def test_control_characters(text, multiline, found):
    assert control_character(text, multiline) == found


@pytest.fixture
def assessment_id(app, client, login_as):
    with app.test_request_context():
        open_round()
    login_as("staff")
    response = submit(client, "/assessments/start", {})
    return int(re.search(r"/assessments/(\d+)", response.headers["Location"]).group(1))


def area_post(client, url, comment):
    html = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html).group(1)
    return client.post(url, data={"csrf_token": csrf_token(html), "version": version, "then": "stay",
                                  "level-strategy--principles": "2", "comment-strategy--principles": comment})


MESSAGE = "This text contains a control character (U+0000), which cannot be stored"


def test_nul_in_an_area_comment_is_refused_on_the_field(app, client, assessment_id):
    client.set_cookie("lang", "en")
    response = area_post(client, f"/assessments/{assessment_id}/areas/strategy", "Adopted\x00 in May")
    assert response.status_code == 422
    assert MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_line_breaks_and_tabs_in_an_area_comment_are_kept(app, client, assessment_id):
    response = area_post(client, f"/assessments/{assessment_id}/areas/strategy", "Adopted\tin May\r\nsecond line")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Answer.comment)) == "Adopted\tin May\r\nsecond line"


@pytest.mark.parametrize("data", [
    {"form": "link", "link-title": "Plan\x00", "link-url": "https://example.org/plan"},
    {"form": "link", "link-title": "Plan\tA", "link-url": "https://example.org/plan"},
])
def test_control_character_in_a_link_title_is_refused(app, client, evidence_url, data):
    client.set_cookie("lang", "en")
    response = submit(client, evidence_url, data)
    assert response.status_code == 422
    assert "This text contains a control character" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0


@pytest.mark.parametrize("name,title,message", [
    ("plan\x00.pdf", "", "The file's name contains a control character (U+0000)"),
    ("plan\x1b.pdf", "", "The file's name contains a control character (U+001B)"),
    ("plan.pdf", "Plan\x00", MESSAGE),
])
def test_control_character_in_an_upload_is_refused_and_nothing_is_stored(app, client, evidence_url, name, title,
                                                                        message):
    client.set_cookie("lang", "en")
    response = upload(client, evidence_url, PDF, name, title)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_files(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0


def test_nul_in_a_survey_description_is_refused(app, client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    response = client.post("/admin/surveys/import", content_type="multipart/form-data", data={
        "csrf_token": token, "year": "2024", "description": "Statistics\x00 Estonia",
        "file": (io.BytesIO(b"EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;62,5;800\n"), "survey.csv")})
    assert response.status_code == 422
    assert MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyWave)) == 0


def test_nul_in_a_user_name_is_refused(app, client, login_as, users):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == users["staff"]))
        user_id, name = user.id, user.name
    response = submit(client, f"/admin/users/{user_id}", {"name": "Mari\x00 Maasikas", "role": "staff",
                                                          "municipality": str(user.municipality_id),
                                                          "active": "y"})
    assert response.status_code == 422
    assert MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).name == name


def test_a_prefixed_forms_csrf_field_keeps_its_common_name(app, client, login_as):
    """Scanners (wapiti's csrf module) and browsers' password managers look for ``csrf_token`` by name; a form
    with a prefix keeps that name (CSRFProtect checks it for every request) and a prefixed, unique id."""
    from labelapp.criteria.forms import OpenRoundForm

    with app.test_request_context():
        html = str(OpenRoundForm(prefix="round").csrf_token)
    assert re.findall(r'(id|name)="([^"]+)"', html) == [("id", "round-csrf_token"), ("name", "csrf_token")]
    login_as("coordinator")
    page = client.get("/admin/criteria/").get_data(as_text=True)
    assert "round-csrf_token" not in re.findall(r'name="([^"]+)"', page)
