"""The survey waves list is paginated, with the same few statements at any number of waves and results."""

import io

import pytest

from tests.support.queries import count_queries
from tests.support.web import csrf_token


@pytest.fixture
def config_overrides():
    return {"SURVEY_WAVES_PAGE_SIZE": 2}


def imported(client, year: int) -> None:
    """A wave imported through the upload, preview and confirm pages."""
    content = f"EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;{50 + year % 40},5;800\n0793;Tartu linn;55;400\n".encode()
    token = csrf_token(client.get("/admin/surveys/import").get_data(as_text=True))
    preview = client.post("/admin/surveys/import", content_type="multipart/form-data", data={
        "csrf_token": token, "year": str(year), "description": "Test", "shape": "", "url": "",
        "file": (io.BytesIO(content), "kov.csv")}).headers["Location"]
    page = client.get(preview).get_data(as_text=True)
    token = preview.rstrip("/").rsplit("/", 1)[-1]
    assert client.post(f"/admin/surveys/import/{token}/confirm",
                       data={"csrf_token": csrf_token(page)}).status_code == 302


def statements(app, client, url: str) -> tuple[int, str]:
    with count_queries(app) as found:
        response = client.get(url)
    assert response.status_code == 200
    return len(found), response.get_data(as_text=True)


def test_waves_list_is_paginated_with_statements_that_do_not_grow(app, client, login_as):
    login_as("coordinator")
    imported(client, 2021)
    few, _html = statements(app, client, "/admin/surveys/")
    for year in (2022, 2023, 2024):
        imported(client, year)
    many, first = statements(app, client, "/admin/surveys/")
    assert few == many <= 12
    table = first.split("<tbody>")[1].split("</tbody>")[0]
    assert ">2024<" in table and ">2023<" in table and ">2022<" not in table
    assert 'rel="next"' in first
    _count, second = statements(app, client, "/admin/surveys/?page=2")
    assert ">2022<" in second.split("<tbody>")[1] and ">2021<" in second.split("<tbody>")[1]
