"""A municipal official completes and submits a whole self-assessment in Chromium; axe-core on every page."""

import re

from tests.support.browser import log_in

NEEDS_EVIDENCE_AT_LEVEL_1 = ["strategy.planning", "cocreation.formats", "initiatives.support"]


def tab_until(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")




def test_staff_complete_and_submit_a_self_assessment(page, live_server, axe, tmp_path):
    base = live_server.url
    log_in(page, base, "tallinn@demo.kaasav.ee")

    page.goto(base + "/assessments/")
    axe.check(page)
    page.click("main a.button")
    page.wait_for_url(base + "/assessments/start")
    axe.check(page)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/assessments/\d+$"))
    axe.check(page)
    overview = page.url

    # First area with the keyboard only: choose level 1 in every group, write one comment, save and continue.
    page.click("ol.area-list a >> nth=0")
    page.wait_for_url(re.compile(r".*/areas/strategy$"))
    axe.check(page)
    groups = page.eval_on_selector_all("fieldset.levels input[type=radio][value='0']", "els => els.map(e => e.id)")
    for index, radio_id in enumerate(groups):
        tab_until(page, f"[id='{radio_id}']")
        page.keyboard.press("ArrowDown")  # moves to and selects level 1
        if index == 0:
            page.keyboard.press("Tab")
            page.keyboard.type("Põhimõtted on arutlusel.")
    tab_until(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/areas/communities$"))
    assert page.locator(".flash--success").count() == 1

    # The other areas with the mouse.
    while "/areas/" in page.url:
        axe.check(page)
        for radio in page.locator("fieldset.levels input[type=radio][value='1']").all():
            radio.check()
        page.click("button[value=next]")
        page.wait_for_load_state()
    assert page.url.endswith("/review")
    axe.check(page)
    assert page.locator("text=Valitud tasemel on vaja tõendeid").count() == 1

    assessment = overview.rsplit("/", 1)[-1]
    for number, criterion in enumerate(NEEDS_EVIDENCE_AT_LEVEL_1):
        page.goto(f"{base}/assessments/{assessment}/criteria/{criterion}/evidence")
        if number == 0:
            pdf = tmp_path / "arengukava.pdf"
            pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
            page.set_input_files("#upload-file", str(pdf))
            page.click("form:has(#upload-file) button[type=submit]")
        else:
            page.fill("#link-title", "Arengukava")
            page.fill("#link-url", "https://www.tallinn.ee/arengukava")
            page.click("form:has(#link-url) button[type=submit]")
        page.wait_for_selector(".flash--success")
        axe.check(page)

    page.goto(f"{base}/assessments/{assessment}/review")
    assert page.locator("text=igale kriteeriumile on vastatud").count() == 1
    page.click("main a[href$='/submit']")  # a confirmation page names what submitting does
    page.wait_for_url(re.compile(r".*/submit$"))
    axe.check(page)
    page.click("form[action$='/submit'] button")
    page.wait_for_url(re.compile(r".*/applications/new/\d+$"))  # straight on to the application
    page.wait_for_selector(".flash--success")
    axe.check(page)
    page.click(".breadcrumbs a")
    assert "esitatud" in page.inner_text(".breadcrumbs")
    page.goto(f"{base}/assessments/{assessment}/areas/strategy")
    assert page.locator("input[type=radio]").count() == 0
    assert "Põhimõtted on arutlusel." in page.inner_text("main")
    axe.check(page)

    # The submitted self-assessment becomes an application.
    page.goto(base + "/applications/")
    axe.check(page)
    page.click(f"form[action='/applications/new/{assessment}'] button")
    page.wait_for_url(re.compile(r".*/applications/\d+$"))
    axe.check(page)
    application = page.url
    page.click("form[action$='/submit'] button")
    page.wait_for_selector(".flash--success")
    axe.check(page)
    page.click("form[action='/logout'] button")
    log_in(page, base, "koordinaator@demo.kaasav.ee")
    page.goto(application)
    page.click("form[action$='/start_screening'] button")
    page.wait_for_selector("text=Eeltingimuste kontroll")
    axe.check(page)
    page.click("form[action$='/accept'] button")
    page.wait_for_selector(".flash--success")

    # The coordinator forms the panel from the suggestion; two assessors review; the chair consolidates.
    page.goto(application + "/panel?suggest=1")
    axe.check(page)
    assert page.locator("input[name=members]:checked").count() == 3
    page.click("main button[type=submit]")
    page.wait_for_url(application)
    axe.check(page)
    page.click("form[action='/logout'] button")

    # An assessor asks for clarification; the municipality answers with a link; the review continues.
    log_in(page, base, "hindaja2@demo.kaasav.ee")
    page.goto(application)
    page.fill("#question", "Palun lisage volikogu otsus kaasamise põhimõtete kohta.")
    page.click("form[action$='/clarification'] button")
    page.wait_for_selector(".flash--success")
    assert "täpsustus küsitud" in page.inner_text("main")
    axe.check(page)
    page.click("form[action='/logout'] button")
    log_in(page, base, "tallinn@demo.kaasav.ee")
    page.goto(application)
    axe.check(page)
    page.fill("#answer", "Otsus on volikogu 12. mai protokollis.")
    page.select_option("#criterion", "strategy.principles")
    page.fill("#title", "Volikogu protokoll")
    page.fill("#url", "https://www.tallinn.ee/protokoll")
    page.click("form[action$='/clarification/answer'] button")
    page.wait_for_selector(".flash--success")
    assert "hindamisel" in page.inner_text("main")
    axe.check(page)
    page.click("form[action='/logout'] button")

    for email in ("hindaja2@demo.kaasav.ee", "hindaja3@demo.kaasav.ee", "hindaja1@demo.kaasav.ee"):
        log_in(page, base, email)
        page.goto(application + "/review")
        axe.check(page)
        for select in page.locator("select[name^=level-]").all():
            select.select_option("1")
        page.check("input[name=recommendation][value=award]")
        page.click("button[value=submit]")
        page.wait_for_selector(".flash--success")
        axe.check(page)
        if not email.startswith("hindaja1"):
            page.click("form[action='/logout'] button")
    page.goto(application + "/consolidate")  # Hannes Hindaja chairs: the least loaded, first by name
    axe.check(page)
    for select in page.locator("select[name^=level-]").all():
        select.select_option("1")
    page.check("input[name=recommendation][value=award]")
    page.fill("#reasons", "Mõlemad hindajad nõustuvad enesehindamisega.")
    page.click("main button[type=submit]")
    page.wait_for_url(application)
    assert "komisjon on soovitanud" in page.inner_text("main")
    assert "Komisjoni kinnitatud tulemus" in page.inner_text("main")
    axe.check(page)
    page.click("form[action='/logout'] button")
    log_in(page, base, "koordinaator@demo.kaasav.ee")
    page.goto(base + "/applications/calibration")
    assert page.locator("svg.chart").count() == 2
    axe.check(page)

    # The coordinator confirms the recommendation, reads the e-mail and releases the decision.
    page.goto(application)
    page.check("input[name=outcome][value=award]")
    page.click("form[action$='/decision'] button")
    page.wait_for_url(base + "/applications/decisions")
    assert "tallinn@demo.kaasav.ee" in page.inner_text("main")
    axe.check(page)
    page.click("main a[href$='/decisions/release']")  # the confirmation page names what releasing does
    page.wait_for_url(base + "/applications/decisions/release")
    axe.check(page)
    page.click("main form button")
    page.wait_for_url(base + "/applications/")
    page.goto(application)
    assert "märgis antud" in page.inner_text("main")
    axe.check(page)


def test_coordinator_criteria_page_is_accessible(page, live_server, axe):
    base = live_server.url
    log_in(page, base, "koordinaator@demo.kaasav.ee")
    page.goto(base + "/admin/criteria/")
    assert "2026.1" in page.inner_text("main")
    axe.check(page)
    page.goto(base + "/admin/criteria/files")
    axe.check(page)
    page.goto(base + "/assessments/")
    axe.check(page)
