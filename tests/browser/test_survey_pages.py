"""The coordinator imports a survey wave in Chromium (upload → preview → confirm); axe-core on every page."""

from tests.support.browser import log_in


def test_survey_import_journey(page, live_server, axe, tmp_path):
    base = live_server.url
    log_in(page, base, "koordinaator@demo.kaasav.ee")
    page.goto(base + "/admin/surveys/")
    axe.check(page)
    page.click("main a.button")
    axe.check(page)
    page.click("main button[type=submit]")  # nothing chosen: errors tied to the fields
    page.wait_for_selector("#url-error")
    axe.check(page)
    bad = tmp_path / "vigane.csv"
    bad.write_text("Pealkiri\n\nA;B;C\n0784;62,5;800\n9999;50;10\n", encoding="utf-8")
    page.fill("#year", "2024")
    page.set_input_files("#file", str(bad))
    page.click("main button[type=submit]")
    page.wait_for_url("**/admin/surveys/import/*")
    axe.check(page)
    page.select_option("#column_0", "code")
    page.select_option("#column_1", "share")
    page.select_option("#column_2", "n")
    page.click("form[action$='/mapping'] button")
    page.wait_for_selector(".error-summary")
    assert "9999" in page.inner_text(".error-summary")
    axe.check(page)
    page.click("form[action$='/discard'] button")
    page.wait_for_url(base + "/admin/surveys/")

    good = tmp_path / "kov.csv"
    good.write_text("EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;62,5;800\n0793;Tartu linn;55;400\n", encoding="utf-8")
    page.goto(base + "/admin/surveys/import")
    page.fill("#year", "2024")
    page.set_input_files("#file", str(good))
    page.click("main button[type=submit]")
    page.wait_for_url("**/admin/surveys/import/*")
    axe.check(page)
    page.click("form[action$='/confirm'] button")
    page.wait_for_url(base + "/admin/surveys/")
    axe.check(page)
    page.click("table a >> nth=0")
    axe.check(page)
    page.click("table a:has-text('Tallinn')")
    axe.check(page)
    page.click("form[action='/logout'] button")

    log_in(page, base, "tallinn@demo.kaasav.ee")
    page.goto(base + "/survey")
    assert "62,5 %" in page.inner_text("main")
    axe.check(page)
