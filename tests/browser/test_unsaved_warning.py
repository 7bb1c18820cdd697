"""With JavaScript, leaving the self-assessment's area page with a level chosen but not saved asks first."""

import re

from labelapp import demo


def test_leaving_an_area_page_with_unsaved_changes_asks_first(page, live_server):
    base = live_server.url
    page.goto(base + "/login")
    page.fill("#email", "tallinn@demo.kaasav.ee")
    page.fill("#password", demo.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/dashboard")
    page.click("nav.site-nav a[href='/assessments/']")
    page.click("main a.button")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/assessments/\d+$"))
    page.click("ol.area-list a >> nth=0")
    area = page.url
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    # Nothing changed yet: following a link leaves without a question.
    page.click("nav.site-nav a[href='/dashboard']")
    page.wait_for_url(base + "/dashboard")
    assert dialogs == []
    page.goto(area)
    page.locator("fieldset.levels input[type=radio][value='2']").first.check()
    page.click("nav.site-nav a[href='/dashboard']")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == area  # dismissed: the choice is still there to save
    assert page.locator("fieldset.levels input[type=radio][value='2']").first.is_checked()
    # Saving is not leaving with unsaved changes: no question.
    page.click("button[value=next]")
    page.wait_for_load_state()
    assert dialogs == ["beforeunload"]
