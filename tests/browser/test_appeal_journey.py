"""Decline → appeal → new panel → award, checking the municipality's view at each step; axe-core throughout."""

import re

from labelapp.applications.models import Application
from labelapp.assessment import services as assessment_services
from labelapp.auth.services import find_user
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.panel import reviews
from tests.support.browser import log_in
from tests.support.factories import filled_assessment, recommended_application

STAFF, COORDINATOR = "tallinn@demo.kaasav.ee", "koordinaator@demo.kaasav.ee"


def switch(page, base, email):
    page.click("form[action='/logout'] button")
    log_in(page, base, email)


def test_decline_appeal_new_panel_award(page, live_server, axe, app):
    base = live_server.url
    with app.test_request_context():
        staff = find_user(STAFF)
        assessment = filled_assessment(staff, criteria_services.current_round(), level=2)
        assessment_services.submit(assessment, staff)
        application = recommended_application(staff, find_user("hindaja1@demo.kaasav.ee"),
                                              recommendation="decline", assessment=assessment)
        url = f"{base}/applications/{application.id}"
        application_id, assessment_id = application.id, assessment.id

    log_in(page, base, COORDINATOR)
    page.goto(url)
    page.check("input[name=outcome][value=decline]")
    page.fill("#reasons", "Tõendid ei kata enamikku valdkondi.")
    page.click("form[action$='/decision'] button")
    page.wait_for_url(base + "/applications/decisions")
    axe.check(page)
    page.click("main a[href$='/decisions/release']")  # the confirmation page names what releasing does
    page.wait_for_url(base + "/applications/decisions/release")
    axe.check(page)
    page.click("main form button")
    page.wait_for_url(base + "/applications/")

    switch(page, base, STAFF)
    page.goto(url)
    text = page.inner_text("main")
    assert "tagasi lükatud" in text and "Tõendid ei kata enamikku valdkondi." in text
    axe.check(page)
    page.fill("#statement", "Volikogu võttis põhimõtted vastu mais; protokoll on lisatud.")
    page.click("form[action$='/appeal'] button")
    page.wait_for_selector(".flash--success")
    assert "vaidlustatud" in page.inner_text("main")
    axe.check(page)

    switch(page, base, COORDINATOR)
    page.goto(url)
    page.click("form[action$='/to_new_panel'] button")
    page.wait_for_selector(".flash--success")
    page.goto(url + "/panel?suggest=1")
    checked = page.eval_on_selector_all("input[name=members]:checked", "els => els.map(e => e.id)")
    earlier = page.get_attribute("label:has-text('Hannes Hindaja')", "for")
    assert earlier not in checked and len(checked) == 2
    assert page.is_disabled(f"#{earlier}")
    axe.check(page)
    page.click("main button[type=submit]")
    page.wait_for_url(url)
    page.click("form[action$='/accept'] button")
    page.wait_for_selector(".flash--success")

    with app.test_request_context():  # the new panel reviews and recommends the award
        application = db.session.get(Application, application_id)
        criteria = assessment_services.criteria_of(application.assessment)
        levels = {c.id: (2, "") for _a, c in criteria.criteria()}
        chair = next(m.user for m in application.panel if m.is_chair)
        for member in application.panel:
            reviews.save(application, member.user, levels, "award", "", criteria, submit=True)
        reviews.consolidate(application, chair, levels, "award", "Apellatsiooni tõendid on piisavad.", criteria)
        db.session.commit()
        assert application.status.value == "panel_recommended"

    page.goto(url)
    page.check("input[name=outcome][value=award]")
    page.click("form[action$='/decision'] button")
    page.wait_for_url(base + "/applications/decisions")
    page.click("main a[href$='/decisions/release']")
    page.wait_for_url(base + "/applications/decisions/release")
    page.click("main form button")
    page.wait_for_url(base + "/applications/")

    switch(page, base, STAFF)
    page.goto(url)
    text = page.inner_text("main")
    assert "märgis antud" in text and re.search(r"Kehtib kuni", text)
    assert "Tõendid ei kata enamikku valdkondi." in text  # the history stays
    axe.check(page)
    page.goto(f"{base}/assessments/{assessment_id}/what-if")
    assert "2026.1" in page.inner_text("main")
    axe.check(page)
