"""The Atom feed (awards, revocations, expiries; conditional requests; language), favicon, robots.txt and the
meta description on public pages."""

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: N817  (parsing our own feed, in a test)

import pytest
from sqlalchemy import select

from labelapp.extensions import db
from labelapp.labels.models import Label, LabelState
from tests.registry.conftest import labels  # noqa: F401  (fixture)

ATOM = {"a": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def entries(client) -> list[tuple[str, str]]:
    with client.get("/registry/feed.atom") as response:
        root = ET.fromstring(response.data)  # noqa: S314
    return [(e.findtext("a:id", namespaces=ATOM).rsplit("#", 1)[-1], e.findtext("a:title", namespaces=ATOM))
            for e in root.findall("a:entry", ATOM)]


def test_the_feed_has_revocations_and_expiries_as_well_as_awards(app, client, labels):  # noqa: F811
    with app.app_context():
        muhu = db.session.scalar(select(Label).where(Label.public_id == labels["0478"]))
        muhu.state, muhu.valid_until = LabelState.EXPIRED, dt.date.today() - dt.timedelta(days=1)
        db.session.commit()
    kinds = entries(client)
    assert sorted(kind for kind, _title in kinds) == ["award"] * 4 + ["expired", "revoked"]
    titles = dict((kind, title) for kind, title in kinds if kind != "award")
    assert titles["revoked"].startswith("Tartu linn") and titles["expired"].startswith("Muhu vald")
    assert len({title for _kind, title in kinds}) == 6


def test_the_feed_has_a_language_and_is_not_sent_again_unchanged(client, labels):  # noqa: F811
    first = client.get("/registry/feed.atom")
    assert ET.fromstring(first.data).get(XML_LANG) == "et"  # noqa: S314
    client.set_cookie("lang", "en")
    assert ET.fromstring(client.get("/registry/feed.atom").data).get(XML_LANG) == "en"  # noqa: S314
    client.delete_cookie("lang")
    again = client.get("/registry/feed.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    since = client.get("/registry/feed.atom", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    assert first.headers["Access-Control-Allow-Origin"] == "*"


def test_the_favicon_is_served_and_linked(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    with client.get("/favicon.ico") as old_style:
        assert old_style.status_code == 200 and old_style.mimetype == "image/svg+xml"


def test_robots_txt_allows_the_registry_and_keeps_out_of_logged_in_areas(client):
    with client.get("/robots.txt") as response:
        assert response.mimetype == "text/plain"
        lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Allow: /registry", "Allow: /verify/", "Allow: /api/v1/"} <= set(lines)
    assert {"Disallow: /admin/", "Disallow: /account", "Disallow: /applications/", "Disallow: /survey/",
            "Disallow: /assessments/", "Disallow: /dashboard"} <= set(lines)


@pytest.mark.parametrize("path", ["/", "/registry", "/registry/0784", "/verify/{id}",
                                  "/registry/certificate/{id}"])
def test_public_pages_have_a_meta_description(client, labels, path):  # noqa: F811
    html = client.get(path.format(id=labels["0784"])).get_data(as_text=True)
    start = html.index('<meta name="description" content="') + len('<meta name="description" content="')
    assert len(html[start:html.index('"', start)]) >= 40
