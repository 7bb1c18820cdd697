"""The API says what is wrong: RFC 9457 problem details naming the parameter, JSON 404/405/500, open CORS."""

import re

import pytest

from labelapp.registry import api

PROBLEM = "application/problem+json"


def problem_of(response) -> dict:
    assert response.mimetype == PROBLEM
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


FILTERS = [("state=bogus", "state"), ("sort=bogus", "sort"), ("state=", "state"), ("year=abc", "year"),
           ("year=9223372036854775808", "year"), ("year=", "year"), ("q=" + "x" * 101, "q"), ("q=Tal%00", "q"),
           ("state=valid&state=revoked", "state")]
PAGING = [("page=abc", "page"), ("page=-1", "page"), ("page=0", "page"), ("per_page=0", "per_page"),
          ("per_page=101", "per_page"), ("per_page=", "per_page")]


@pytest.mark.parametrize("path,query,name", [("/api/v1/labels", *case) for case in FILTERS + PAGING] +
                         [("/api/v1/labels.csv", *case) for case in FILTERS])
def test_an_invalid_parameter_is_a_400_naming_it(client, path, query, name):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    body = problem_of(response)
    assert (body["status"], body["title"], body["type"]) == (400, "Bad Request", "about:blank")
    assert [p["name"] for p in body["invalid-params"]] == [name]
    assert body["invalid-params"][0]["reason"] and name in body["detail"]


def test_valid_parameters_are_taken_as_given(client):
    body = client.get("/api/v1/labels?state=valid&sort=name&year=2025&page=3&per_page=100&q=Tal").get_json()
    assert (body["page"], body["per_page"]) == (3, 100)


@pytest.mark.parametrize("path", ["/api/v1/labels/unknown", "/api/v1/labels/unknown/credential",
                                  "/api/v1/municipalities/9999", "/api/v1/nothing-here"])
def test_unknown_ids_and_paths_are_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = problem_of(response)
    assert (body["status"], body["title"]) == (404, "Not Found")


def test_a_wrong_method_is_a_json_405_with_allow(client):
    response = client.delete("/api/v1/labels")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert problem_of(response)["status"] == 405


def test_a_wrong_method_on_a_page_has_allow_too(client):
    response = client.delete("/registry")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_an_unexpected_error_is_a_json_500(app, client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(api.queries, "municipality_page", broken)
    response = client.get("/api/v1/municipalities/0784")
    assert response.status_code == 500
    body = problem_of(response)
    assert (body["status"], body["title"]) == (500, "Internal Server Error")
    assert re.search(r"\b[0-9a-f]{12}\b", body["detail"]) is not None  # the incident number in the log


@pytest.mark.parametrize("path", ["/api/v1/labels", "/api/v1/labels.csv", "/api/v1/openapi.json",
                                  "/api/v1/issuer-key", "/api/v1/municipalities/0784"])
def test_public_data_is_readable_from_any_origin(client, path):
    assert client.get(path, headers={"Origin": "https://elsewhere.example"}).headers[
        "Access-Control-Allow-Origin"] == "*"


def test_pages_that_need_a_login_are_not_opened_to_other_origins(client, login_as):
    login_as("coordinator")
    assert "Access-Control-Allow-Origin" not in client.get("/admin/audit").headers


@pytest.mark.parametrize("path,query,name", [
    ("/api/v1/labels", "stat=valid", "stat"), ("/api/v1/labels", "pagee=2", "pagee"),
    ("/api/v1/labels.csv", "page=2", "page"), ("/api/v1/labels/ABC", "verbose=1", "verbose"),
    ("/api/v1/municipalities/0784", "lang=en", "lang"), ("/api/v1/status-lists/revocation", "x=1", "x"),
    ("/api/v1/openapi.json", "v=2", "v")])
def test_an_unknown_parameter_name_is_a_400_naming_it(client, path, query, name):
    """A misspelt filter would otherwise be ignored silently and the client given data it did not ask for."""
    body = problem_of(client.get(f"{path}?{query}"))
    assert body["status"] == 400
    assert [p["name"] for p in body["invalid-params"]] == [name]
    assert name in body["detail"]
