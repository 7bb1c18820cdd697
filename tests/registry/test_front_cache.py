"""Anonymous GETs of public pages are answered in front of the app from responses kept per change marker; the
marker is read at most once per interval, so a change shows within it; two app instances on one database
(separate instance folders, as two servers behind a proxy) see each other's changes within that interval."""

import time

import pytest

from labelapp import create_app
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code
from tests.conftest import base_config
from tests.support.queries import count_queries

INTERVAL = 1.0


@pytest.fixture
def config_overrides():
    return {"FRONT_CACHE_SECONDS": INTERVAL}


def rename(app, name: str) -> None:
    """Tallinn renamed through ``app`` (its models, its database connection)."""
    with app.app_context():
        by_code("0784", "EE").name = name
        db.session.commit()


def test_a_hit_never_reaches_the_app_and_a_change_shows_within_the_interval(app, labels):
    client = app.test_client()
    first = client.get("/registry?sort=name")
    assert first.status_code == 200 and "Tallinn" in first.get_data(as_text=True)
    with count_queries(app) as statements:
        again = client.get("/registry?sort=name")
    assert again.get_data() == first.get_data() and statements == []
    listed = client.get("/api/v1/labels")
    assert listed.get_data()  # read whole, as a server does: then it is kept
    with count_queries(app) as statements:
        unchanged = client.get("/api/v1/labels", headers={"If-None-Match": listed.headers["ETag"]})
    assert (unchanged.status_code, statements) == (304, [])
    rename(app, "Tallinna linn")
    time.sleep(INTERVAL + 0.1)
    assert "Tallinna linn" in client.get("/registry?sort=name").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/registry?sort=name", "/api/v1/labels.csv", "/registry/feed.atom"])
def test_a_hit_is_sent_as_the_app_answered_with_the_length_of_its_body_and_no_old_date(app, labels, path):
    client = app.test_client()
    first = client.get(path)
    body = first.get_data()  # read whole, as a server does: then it is kept (the CSV is streamed)
    with count_queries(app) as statements:
        hit = client.get(path)
    assert statements == [] and hit.status_code == 200 and hit.get_data() == body
    assert hit.headers["Content-Length"] == str(len(body))
    assert "Date" not in hit.headers  # the first answer's Date is never replayed: the server adds its own
    assert {k: v for k, v in hit.headers.items() if k != "Content-Length"} == \
        {k: v for k, v in first.headers.items() if k not in ("Content-Length", "Date")}
    head = client.head(path)
    assert head.status_code == 200 and head.get_data() == b"" and head.headers["Content-Length"] == str(len(body))


def test_cookies_logins_and_foreign_hosts_are_never_answered_from_the_cache(app, client, users, labels, login_as):
    anonymous = app.test_client()
    assert anonymous.get("/registry").status_code == 200
    assert anonymous.get("/registry", headers={"Host": "evil.example"}).status_code == 400
    login_as("coordinator")
    with count_queries(app) as statements:
        response = client.get("/registry")
    assert response.status_code == 200 and statements  # the logged-in visitor went through the app
    assert response.headers["Cache-Control"] == "no-store"


def test_two_instances_on_one_database_see_a_change_within_the_interval(app, labels, database_url, tmp_path):
    other = create_app({**base_config(database_url, tmp_path / "second-instance"),
                        "FRONT_CACHE_SECONDS": INTERVAL})
    first, second = app.test_client(), other.test_client()
    assert "Tallinn<" in second.get("/registry/0784").get_data(as_text=True)
    assert "Tallinn<" in first.get("/registry/0784").get_data(as_text=True)
    rename(app, "Tallinna linn")  # through the first instance's database connection
    time.sleep(INTERVAL + 0.1)
    assert "Tallinna linn" in second.get("/registry/0784").get_data(as_text=True)
    assert "Tallinna linn" in second.get("/registry?q=tallinna").get_data(as_text=True)
    with other.app_context():
        db.engine.dispose()


def test_a_new_survey_wave_shows_on_the_cached_municipality_page(app, labels, tmp_path):
    from labelapp.surveys import services as survey_services

    client = app.test_client()
    assert "71,3" not in client.get("/registry/0784").get_data(as_text=True)
    path = tmp_path / "wave.csv"
    path.write_text("EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;71,3;800\n", encoding="utf-8")
    with app.test_request_context():
        survey_services.import_wave(survey_services.stage_path(path), 2031, "wave.csv")
        db.session.commit()
    time.sleep(INTERVAL + 0.1)
    assert "71,3" in client.get("/registry/0784").get_data(as_text=True)
