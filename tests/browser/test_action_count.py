"""Figures: how many actions (clicks, key entries, selections) a municipal official needs from the login page to
a submitted application, for a self-assessment with evidence on every criterion that requires it.

Every step goes through ``Journey``, which counts what a person would do; navigation is only by clicking links
and buttons (no typed addresses after the login page). Each criterion is answered at level 2, from which every
criterion of 2025.1 requires evidence, and each gets one link as evidence.
"""

import re

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
        # Beside each criterion: the level and a link to the evidence, saved together with the page.
        for radio in page.locator(f"fieldset.levels input[type=radio][value='{LEVEL}']").all():
            journey.check(radio)
        for link in page.locator("input[id^=evurl-]").all():
            journey.fill(f"[id='{link.get_attribute('id')}']", "https://www.tallinn.ee/otsus")
        journey.click("button[value=next]")
    assert page.url.endswith("/review")
    assert page.locator("text=igale kriteeriumile on vastatud").count() == 1
    journey.click("main a[href$='/submit']")  # the confirmation page
    journey.click("form[action$='/submit'] button")
    page.wait_for_url(re.compile(r".*/applications/new/\d+$"))  # straight on to the application
    journey.click("form[action^='/applications/new/'] button")
    page.wait_for_url(re.compile(r".*/applications/\d+$"))
    assert "esitatud" in page.inner_text("main")
    return journey.actions


BEFORE = 157  # measured with this journey on the pages before evidence moved beside the answers (commit 38d4f36)


def test_actions_from_login_to_a_submitted_application(page, live_server):
    actions = count_staff_journey(page, live_server.url)
    print(f"\nactions from login to a submitted application: {actions} (before: {BEFORE})")
    assert actions <= BEFORE / 2
