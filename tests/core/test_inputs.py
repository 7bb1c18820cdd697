"""Numbers and text from URLs: a huge id is a 404, a malformed or out-of-range number parameter a 400."""

import re
import tempfile

import pytest

from labelapp import create_app
from tests.support.factories import open_round
from tests.support.web import csrf_token

HUGE = "99999999999999999999"


def int_rules() -> list:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True,
                      "INSTANCE_PATH": tempfile.mkdtemp(prefix="labelapp-rules-")})
    return sorted((rule.rule, "GET" if "GET" in rule.methods else "POST") for rule in app.url_map.iter_rules()
                  if "<int:" in rule.rule)


def concrete(rule: str, number: str) -> str:
    return re.sub(r"<[^>]+>", "x", re.sub(r"<int:[^>]+>", number, rule))


@pytest.mark.parametrize("rule,method", int_rules(), ids=lambda v: v)
def test_a_huge_or_non_ascii_id_is_a_404(client, login_as, rule, method):
    login_as("coordinator")
    data = {"csrf_token": csrf_token(client.get("/dashboard").get_data(as_text=True))} if method == "POST" else None
    statuses = {number: client.open(concrete(rule, number), method=method, data=data).status_code
                for number in (HUGE, str(2**31), "²", "٣")}
    assert statuses == {HUGE: 404, str(2**31): 404, "²": 404, "٣": 404}
    # The largest id the database holds reaches the view: missing (404), or not the coordinator's to use (403).
    assert client.open(concrete(rule, str(2**31 - 1)), method=method, data=data).status_code in {403, 404}


LISTS = [("/registry", None), ("/api/v1/labels", None), ("/admin/users/", "coordinator"),
         ("/admin/audit", "coordinator"), ("/admin/outbox", "coordinator")]


@pytest.mark.parametrize("path,who", LISTS)
@pytest.mark.parametrize("parameter", ["page", "year", "per_page"])
@pytest.mark.parametrize("value", [HUGE, "²", "٣", "-1", "0", "abc", "1" * 5000, "1\x00"])
def test_a_malformed_or_huge_number_parameter_is_a_400(client, login_as, path, who, parameter, value):
    login_as(who)
    assert client.get(path, query_string={parameter: value}).status_code == 400


@pytest.mark.parametrize("path,who", LISTS)
def test_list_pages_take_sane_numbers(client, login_as, path, who):
    login_as(who)
    assert client.get(path, query_string={"page": "2", "year": "2025", "per_page": "10"}).status_code == 200


@pytest.mark.parametrize("query", ["q=Tal%00", "county=%01", "sort=%7F", "x%00=1"])
def test_control_characters_in_query_parameters_are_a_400(client, query):
    assert client.get(f"/registry?{query}").status_code == 400


@pytest.mark.parametrize("path", ["/registry/07%0084", "/badge/ab%00c.svg", "/verify/%00"])
def test_control_characters_in_path_segments_are_a_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("version", [HUGE, str(2**31), "-1"])
def test_a_huge_form_version_is_the_forms_error(app, client, login_as, version):
    with app.test_request_context():
        open_round()
    login_as("staff")
    start = client.get("/assessments/start").get_data(as_text=True)
    location = client.post("/assessments/start", data={"csrf_token": csrf_token(start)}).headers["Location"]
    url = re.search(r"/assessments/\d+", location).group(0) + "/areas/strategy"
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "version": version, "level-strategy--principles": "2"})
    assert response.status_code == 422
