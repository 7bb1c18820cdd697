"""Programme results, the library of good practice, publishing and the printable report in Chromium, with the
demo data; et and en; axe on every page."""

import pytest

from tests.support.browser import log_in


def _english(page, language: str) -> None:
    if language == "en":
        page.click("nav.language-nav a[lang=en]")
        page.wait_for_selector("html[lang=en]")


@pytest.mark.parametrize("language", ["et", "en"])
def test_results_and_library_pages(page, live_server, axe, language):
    base = live_server.url
    page.goto(base + "/programme")
    _english(page, language)
    axe.check(page)
    assert page.is_visible("svg.chart") and page.locator("table").count() == 3
    page.select_option("#f-type", "rural")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/programme?*type=rural*")
    axe.check(page)
    page.goto(base + "/library")
    axe.check(page)
    assert page.locator("article.example").count() == 5
    page.select_option("#f-criterion", "cocreation.formats")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/library?*criterion=cocreation.formats*")
    assert page.locator("article.example").count() == 1 and "Paide linn" in page.inner_text("main")
    axe.check(page)


@pytest.mark.parametrize("language", ["et", "en"])
def test_staff_withdraw_and_publish_again_and_the_coordinators_report(page, live_server, axe, language):
    base = live_server.url
    log_in(page, base, "demo.0247@demo.kaasav.ee")
    page.goto(base + "/my/examples")
    _english(page, language)
    axe.check(page)
    page.click("form.inline-form button.secondary >> nth=0")
    page.wait_for_url(base + "/my/examples")
    axe.check(page)
    page.goto(base + "/library")
    assert page.locator("article.example").count() == 4
    page.goto(base + "/my/examples")
    page.click("section.criterion form button[type=submit]")
    page.wait_for_url(base + "/my/examples")
    page.goto(base + "/library")
    assert page.locator("article.example").count() == 5
    page.click("header form.inline-form button")  # log out
    log_in(page, base, "koordinaator@demo.kaasav.ee")
    page.goto(base + "/programme")
    page.click("text=" + ("Printable yearly report" if language == "en" else "Prinditav aastaaruanne"))
    page.wait_for_url("**/programme/report?year=*")
    axe.check(page)
    page.emulate_media(media="print")
    assert not page.is_visible("header.site-header") and not page.is_visible("form.filters")
