"""The improvement plan in Chromium, in both languages, axe-core on every page: the demo municipality of Pärnu
plans an action, takes it a step, meets a field error, sees its renewal self-assessment with the previous
cycle beside each criterion, and its published progress in the registry."""

import datetime as dt
import re

from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.extensions import db
from labelapp.labels.models import Label
from labelapp.municipalities.lookup import by_code
from tests.support.browser import log_in

PARNU_STAFF = "demo.0624@demo.kaasav.ee"


def renewal_assessment(app) -> int:
    with app.app_context():
        parnu = by_code("0624", "EE").id
        return db.session.scalar(select(Application.assessment_id).join(Label, Label.application_id == Application.id)
                                 .where(Label.municipality_id == parnu, Label.previous_label_id.is_not(None)))


def test_a_municipality_works_on_its_improvement_plan(page, live_server, axe, app):
    base = live_server.url
    log_in(page, base, PARNU_STAFF)
    axe.check(page)
    page.click("a[href='/plan']")
    page.wait_for_url(base + "/plan")
    axe.check(page)
    demo_row = page.locator("tr", has_text="Loome linnaosades kaasamise kontaktisikute võrgustiku.")
    assert demo_row.locator("td >> nth=3").inner_text() == "töös"

    # A past date is refused on its field, the error tied to it.
    section = page.locator("section.criterion >> nth=0")
    section.locator("textarea").fill("Korraldame kogukondadega ümarlaua.")
    section.locator("input[name$='-who']").fill("Kaasamisnõunik")
    section.locator("input[type=date]").fill("2020-01-01")
    section.locator("form[action$='/actions'] button").click()
    page.wait_for_load_state()
    axe.check(page)
    date_field = page.locator("input[type=date][aria-invalid=true]")
    assert "-error" in date_field.get_attribute("aria-describedby")
    assert page.locator("text=Kuupäev peab olema täna või hiljem.").count() >= 1

    due = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    section = page.locator("section.criterion >> nth=0")
    section.locator("input[type=date]").fill(due)
    section.locator("form[action$='/actions'] button").click()
    page.wait_for_url(re.compile(r".*/plan#point-\d+$"))
    assert page.locator(".flash--success").count() == 1
    row = page.locator("tr", has_text="Korraldame kogukondadega ümarlaua.")
    assert row.locator("td >> nth=3").inner_text() == "kavandatud"
    row.locator("button[value=start]").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="Korraldame kogukondadega ümarlaua.")
    assert row.locator("td >> nth=3").inner_text() == "töös"
    axe.check(page)

    row.locator("a", has_text="Muuda").click()
    page.wait_for_url(re.compile(r".*/plan/actions/\d+$"))
    axe.check(page)

    # The renewal self-assessment shows the first cycle beside each criterion.
    page.goto(f"{base}/assessments/{renewal_assessment(app)}/areas/strategy")
    assert page.locator(".carried-over").count() == 4
    assert page.locator(".carried-over", has_text="tehtud").count() >= 1
    axe.check(page)

    page.goto(base + "/registry/0624")
    assert page.locator("h2", has_text="Parendusplaan").count() == 1
    axe.check(page)

    page.goto(base + "/language/en?next=/plan")
    page.goto(base + "/plan")
    assert page.locator("h1").inner_text().startswith("Improvement plan")
    assert page.locator("td", has_text="in progress").count() >= 1
    assert page.locator("text=in_progress").count() == 0
    axe.check(page)
    page.goto(f"{base}/assessments/{renewal_assessment(app)}/areas/strategy")
    assert page.locator(".carried-over", has_text="From the previous cycle").count() == 4
    axe.check(page)
    page.goto(base + "/registry/0624")
    assert page.locator("h2", has_text="Improvement plan").count() == 1
    axe.check(page)
