"""Figures: how many actions (clicks, key entries, selections) a municipal official needs from the login page to
a submitted application, for a self-assessment with evidence on every criterion that requires it.

Every step goes through ``Journey``, which counts what a person would do; navigation is only by clicking links
and buttons (no typed addresses after the login page). Each criterion is answered at level 2, from which every
criterion of 2025.1 requires evidence, and each gets one link as evidence.
"""

import re

from tests.support.browser import log_in  # noqa: F401  (the journey logs in by hand, counted)

LEVEL = "2"


class Journey:
    """A page whose person-actions are counted: a click, a filled field (one key entry), a choice."""

    def __init__(self, page) -> None:
        self.page = page
        self.actions = 0

    def click(self, selector: str) -> None:
        self.actions += 1
        self.page.click(selector)
        self.page.wait_for_load_state()

    def fill(self, selector: str, text: str) -> None:
        self.actions += 1
        self.page.fill(selector, text)

    def check(self, locator) -> None:
        self.actions += 1
        locator.check()


def count_staff_journey(page, base: str) -> int:
    from labelapp import demo

    journey = Journey(page)
    page.goto(base + "/login")
    journey.fill("#email", "tallinn@demo.kaasav.ee")
    journey.fill("#password", demo.PASSWORD)
    journey.click("main button[type=submit]")
    page.wait_for_url(base + "/dashboard")

    journey.click("nav.site-nav a[href='/assessments/']")
    journey.click("main a.button")
    journey.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/assessments/\d+$"))
    journey.click("ol.area-list a >> nth=0")
    while "/areas/" in page.url:
        for radio in page.locator(f"fieldset.levels input[type=radio][value='{LEVEL}']").all():
            journey.check(radio)
        journey.click("button[value=next]")
    assert page.url.endswith("/review")

    # Evidence: from the review page's list of what is missing, one criterion after the other.
    while page.locator("a[href$='/evidence']").count():
        journey.click("main ul a[href$='/evidence'] >> nth=0")
        journey.fill("#link-title", "Volikogu otsus")
        journey.fill("#link-url", "https://www.tallinn.ee/otsus")
        journey.click("form:has(#link-url) button[type=submit]")
        journey.click("p.breadcrumbs a")  # the self-assessment's overview
        journey.click("main a.button[href$='/review']")
    assert page.locator("text=igale kriteeriumile on vastatud").count() == 1
    journey.click("form[action$='/submit'] button")
    assert page.locator(".flash--success").count() == 1

    journey.click("nav.site-nav a[href='/applications/']")
    journey.click("form[action^='/applications/new/'] button")
    page.wait_for_url(re.compile(r".*/applications/\d+$"))
    journey.click("form[action$='/submit'] button")
    assert "esitatud" in page.inner_text("main")
    return journey.actions


def test_actions_from_login_to_a_submitted_application(page, live_server):
    actions = count_staff_journey(page, live_server.url)
    print(f"\nactions from login to a submitted application: {actions}")
    assert actions > 0
