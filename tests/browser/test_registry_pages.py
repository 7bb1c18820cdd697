"""The public registry in Chromium: search and filter, a municipality page, verification; et and en; axe."""

import pytest

from labelapp.auth.services import find_user
from tests.support.factories import awarded_labels


@pytest.mark.parametrize("language", ["et", "en"])
def test_registry_search_filter_and_municipality_page(page, live_server, axe, app, language):
    with app.test_request_context():
        labels = awarded_labels(["0784", "0714"], find_user("hindaja1@demo.kaasav.ee"),
                                find_user("koordinaator@demo.kaasav.ee"))
        public_id = labels[0].public_id
    base = live_server.url
    page.goto(base + "/registry")
    if language == "en":
        page.click("nav.language-nav a[lang=en]")
        page.wait_for_selector("html[lang=en]")
    axe.check(page)
    page.fill("#f-q", "saare")
    page.press("#f-q", "Enter")
    page.wait_for_url("**/registry?*q=saare*")
    assert "Saaremaa vald" in page.inner_text("tbody") and "Tallinn" not in page.inner_text("tbody")
    axe.check(page)
    page.goto(base + "/registry?county=Harju+maakond")
    page.click("tbody a")
    page.wait_for_url(base + "/registry/0784")
    axe.check(page)
    page.goto(f"{base}/verify/{public_id}")
    assert ("Kehtib" in page.inner_text("main")) or ("Valid" in page.inner_text("main"))
    axe.check(page)


@pytest.mark.parametrize("language", ["et", "en"])
def test_certificate_print_preview(page, live_server, axe, app, tmp_path, language):
    from labelapp.labels.models import Label

    with app.app_context():
        from sqlalchemy import select

        from labelapp.extensions import db

        public_id = db.session.scalar(select(Label.public_id).where(Label.previous_label_id.is_not(None)))
    page.goto(f"{live_server.url}/registry/certificate/{public_id}")
    if language == "en":
        page.click("nav.language-nav a[lang=en]")
        page.wait_for_selector("html[lang=en]")
    axe.check(page)
    page.emulate_media(media="print")
    assert not page.is_visible("header.site-header")
    assert page.is_visible(".certificate svg")
    page.pdf(path=str(tmp_path / "certificate.pdf"), format="A4")
    assert (tmp_path / "certificate.pdf").stat().st_size > 1000
