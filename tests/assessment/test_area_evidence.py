"""Evidence added on the area page itself, beside each criterion, in the same post as the levels (no JavaScript)."""

import io

from sqlalchemy import select

from labelapp.assessment.models import Answer, Evidence
from labelapp.extensions import db
from tests.support.evidence import PDF, stored_files
from tests.support.web import csrf_token


def area_url(evidence_url: str) -> str:
    return evidence_url.split("/criteria/")[0] + "/areas/strategy"


def post_area(client, url, **fields):
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "version": "1", "then": "stay", "level-strategy--principles": "2"}
    data.update(fields)
    return client.post(url, data=data, content_type="multipart/form-data")


def test_the_area_page_is_a_multipart_form_with_evidence_fields_beside_each_criterion(client, evidence_url):
    html = client.get(area_url(evidence_url)).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    for name in ("evurl-strategy--principles", "evfile-strategy--principles", "evtitle-strategy--principles"):
        assert f'id="{name}"' in html and f'for="{name}"' in html
    assert "data-warn-unsaved" in html and "/static/js/unsaved.js" in html


def test_levels_links_and_files_are_saved_in_one_post(app, client, evidence_url):
    response = post_area(client, area_url(evidence_url), **{
        "evurl-strategy--principles": "https://www.tallinn.ee/otsus",
        "evfile-strategy--planning": (io.BytesIO(PDF), "arengukava.pdf"),
        "evtitle-strategy--planning": "Arengukava",
        "level-strategy--planning": "1"})
    assert response.status_code == 302
    with app.app_context():
        items = {e.criterion_id: e for e in db.session.scalars(select(Evidence))}
        assert items["strategy.principles"].url == "https://www.tallinn.ee/otsus"
        assert items["strategy.principles"].title == "https://www.tallinn.ee/otsus"  # the address when untitled
        assert (items["strategy.planning"].title, items["strategy.planning"].original_name) == (
            "Arengukava", "arengukava.pdf")
        levels = {a.criterion_id: a.level for a in db.session.scalars(select(Answer))}
        assert levels["strategy.principles"] == 2
    assert len(stored_files(app)) == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Arengukava" in page


def test_a_refused_file_keeps_nothing_and_shows_the_error_on_its_field(app, client, evidence_url):
    response = post_area(client, area_url(evidence_url), **{
        "evurl-strategy--principles": "https://www.tallinn.ee/otsus",
        "evfile-strategy--planning": (io.BytesIO(b"MZ\x90\x00program"), "kava.pdf"),
        "comment-strategy--principles": "Kommentaar jääb vormi"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="evfile-strategy--planning-error"' in html
    assert "Kommentaar jääb vormi" in html
    with app.app_context():
        assert db.session.scalar(select(Evidence)) is None
        assert db.session.scalar(select(Answer).where(Answer.level.is_not(None))) is None
    assert stored_files(app) == []


def test_a_bad_link_is_named_on_its_field(app, client, evidence_url):
    response = post_area(client, area_url(evidence_url), **{"evurl-strategy--principles": "not an address"})
    assert response.status_code == 422
    assert 'id="evurl-strategy--principles-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Evidence)) is None
