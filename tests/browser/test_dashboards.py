"""Each role's dashboard in Chromium, in Estonian and English, axe-checked; the confirmation pages too.

Set LABELAPP_SCREENSHOTS to a folder to keep a full-page screenshot of each dashboard."""

import os
import re
from pathlib import Path

import pytest

from tests.support.browser import log_in

ROLES = {"staff": "tallinn@demo.kaasav.ee", "assessor": "hindaja1@demo.kaasav.ee",
         "coordinator": "koordinaator@demo.kaasav.ee"}
HEADINGS = {
    "staff": ("Teie omavalitsuse seis", "Where your municipality stands"),
    "assessor": ("Teie hindamised", "Your reviews"),
    "coordinator": ("Teid ootavad tööd", "Work waiting for you"),
}


def shoot(page, name: str) -> None:
    folder = os.environ.get("LABELAPP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder, f"{name}.png")), full_page=True)


@pytest.fixture
def cycle_under_way(app, live_server):
    """Tallinn's application in review by a panel that Hannes Hindaja chairs, with a question open."""
    import datetime as dt

    from labelapp.applications import services as applications
    from labelapp.applications.states import Action
    from labelapp.auth.services import find_user
    from labelapp.criteria import services as criteria_services
    from labelapp.extensions import db
    from labelapp.panel import assignment, clarification
    from tests.support.factories import application_from

    with app.test_request_context():
        chair, second = find_user(ROLES["assessor"]), find_user("hindaja3@demo.kaasav.ee")
        application = application_from(find_user(ROLES["staff"]), steps=(Action.SUBMIT, Action.START_SCREENING),
                                       round_=criteria_services.current_round())
        assignment.assign(application, [chair, second], chair, dt.date.today() + dt.timedelta(days=14))
        applications.change_status(application, Action.ACCEPT)
        clarification.ask(application, second, "Palun lisage volikogu otsus kaasamise põhimõtete kohta.")
        db.session.commit()
    return live_server


@pytest.mark.parametrize("role", list(ROLES))
def test_dashboard_of_each_role_in_both_languages(page, cycle_under_way, axe, role):
    base = cycle_under_way.url
    log_in(page, base, ROLES[role])
    estonian, english = HEADINGS[role]
    assert page.locator("h2", has_text=estonian).count() == 1
    if role == "staff":
        assert "Palun lisage volikogu otsus" in page.inner_text("main")
    if role == "assessor":
        assert page.locator("main table a[href$='/review']").count() == 1
    axe.check(page)
    shoot(page, f"{role}-et")
    page.click("nav.language-nav a[hreflang=en]")
    page.wait_for_url(base + "/dashboard")
    assert page.locator("h2", has_text=english).count() == 1
    axe.check(page)
    shoot(page, f"{role}-en")
    links = page.eval_on_selector_all("main section a", "els => els.map(e => e.getAttribute('href'))")
    for href in links[:6]:  # each item leads to a page that exists
        assert page.request.get(base + href).status < 400, href


def test_coordinator_confirmation_pages_are_accessible(page, live_server, axe):
    base = live_server.url
    log_in(page, base, ROLES["coordinator"])
    page.goto(base + "/admin/criteria/")
    page.click("main a.button[href*='/publish?']")
    page.wait_for_url(re.compile(r".*/admin/criteria/publish\?.*"))
    assert page.locator("h1").inner_text().startswith("Kas avaldada kriteeriumid")
    axe.check(page)
    page.click("text=Loobu")
    page.wait_for_url(base + "/admin/criteria/")
    page.click("main a.button[href$='/retire']")
    assert page.locator("main form button[type=submit]").count() == 1
    axe.check(page)
