"""Pages with charts in Chromium, et and en, with axe-core: the subgroup charts (staff, public, coordinator), the
registry's area chart and the calibration bars. A screenshot of each is kept in the test's folder."""

import pytest

from labelapp.auth.services import find_user
from tests.support.browser import log_in
from tests.support.factories import awarded_labels
from tests.surveys.files import write_text


def weak_and_grouped_wave(runner, tmp_path):
    rows = [["ehak", "vastus", "keel"]]
    rows += [["0784", "Pigem rahul", "et"]] * 45 + [["0784", "Pigem ei ole rahul", "et"]] * 15
    rows += [["0784", "Väga rahul", "ru"]] * 20 + [["0784", "Pigem ei ole rahul", "ru"]] * 14
    rows += [["0784", "Pigem rahul", "en"]] * 12
    path = write_text(tmp_path / "vastajad.csv", rows)
    result = runner.invoke(args=["survey", "import", str(path), "--wave", "2026"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("language", ["et", "en"])
def test_chart_pages_read_and_are_accessible(page, live_server, axe, app, runner, tmp_path, language):
    with app.test_request_context():
        awarded_labels(["0784", "0714"], find_user("hindaja1@demo.kaasav.ee"), find_user("koordinaator@demo.kaasav.ee"))
    weak_and_grouped_wave(runner, tmp_path)
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/")
    if language != "et":
        page.click(f"nav.language-nav a[lang={language}]")
        page.wait_for_selector(f"html[lang={language}]")

    page.goto(base + "/registry/0784")
    axe.check(page)
    assert page.locator("svg.chart").count() == 2  # areas, questionnaire language
    assert ("2 rühma" in page.inner_text("main")) is False  # only English answers are under 30 here
    page.screenshot(path=str(tmp_path / f"registry-{language}.png"), full_page=True)

    log_in(page, base, "tallinn@demo.kaasav.ee")
    page.goto(base + "/survey")
    axe.check(page)
    main = page.inner_text("main")
    assert ("Vene keel" in main and "1 rühm on alla 30 vastaja" in main) if language == "et" else \
        ("Russian" in main and "1 group has fewer than 30 respondents" in main)
    page.screenshot(path=str(tmp_path / f"survey-staff-{language}.png"), full_page=True)
    page.click("form[action='/logout'] button")

    log_in(page, base, "koordinaator@demo.kaasav.ee")
    page.goto(base + "/admin/surveys/")
    page.click("table a >> nth=0")
    axe.check(page)
    page.screenshot(path=str(tmp_path / f"wave-{language}.png"), full_page=True)
    page.goto(base + "/applications/calibration")
    axe.check(page)
    page.screenshot(path=str(tmp_path / f"calibration-{language}.png"), full_page=True)
