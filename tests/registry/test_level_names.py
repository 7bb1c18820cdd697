"""Label levels are shown by their name from the criteria file, in the page's language; the id stays in URLs,
filters and the API (issue 18: "märgis (label)" must go)."""

import re

from sqlalchemy import select

from labelapp.core.models import OutboxMessage
from labelapp.extensions import db


def cells(html: str) -> str:
    return html.split("<tbody>")[-1]


def test_registry_shows_level_names_in_estonian(client, labels):
    html = client.get("/registry").get_data(as_text=True)
    assert '<option value="label" >põhitase</option>' in html.replace("  ", " ")
    assert "<td>põhitase</td>" in cells(html)
    assert "<td>label</td>" not in cells(html)


def test_registry_shows_level_names_in_english(client, labels):
    client.set_cookie("lang", "en")
    html = client.get("/registry").get_data(as_text=True)
    assert "<td>standard</td>" in cells(html)
    assert "<td>label</td>" not in cells(html)


def test_registry_filter_keeps_the_level_id(client, labels):
    assert "Tallinn" in cells(client.get("/registry?level=label").get_data(as_text=True))
    assert "Tallinn" not in cells(client.get("/registry?level=gold").get_data(as_text=True))


def test_verify_certificate_and_municipality_page_name_the_level(client, labels):
    public_id = labels["0784"]
    for url in (f"/verify/{public_id}", f"/registry/certificate/{public_id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<dd>põhitase</dd>" in html, url
        assert "<dd>label</dd>" not in html, url
    assert "Tase: põhitase." in client.get("/registry/0784").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "<dd>standard</dd>" in client.get(f"/verify/{public_id}").get_data(as_text=True)


def test_api_keeps_the_level_id(client, labels):
    items = client.get("/api/v1/labels").get_json()["items"]
    assert {item["level"] for item in items} == {"label"}


def test_award_email_names_the_level_and_reads_until_in_both_languages(app, labels):
    with app.app_context():
        bodies = db.session.scalars(select(OutboxMessage.body)).all()
    award = next(body for body in bodies if "(tase: põhitase)" in body)
    assert "(level: standard)" in award
    assert "(label)" not in award
    assert re.search(r"mis kehtib \d{1,2}\. [a-zäõöü]+ini \d{4}\.", award)
    assert re.search(r"valid until \d{1,2} [A-Z][a-z]+ \d{4}\.", award)


def test_award_email_subject_is_bilingual(app, labels):
    with app.app_context():
        subjects = db.session.scalars(select(OutboxMessage.subject)).all()
    assert "Kaasava omavalitsuse märgis on antud / The inclusive municipality label is awarded: Tallinn" in subjects
