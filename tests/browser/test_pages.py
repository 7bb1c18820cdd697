"""Every page each demo role reaches, in Estonian and English, with axe-core after each step."""

import pytest

from labelapp import demo
from tests.support.browser import log_in

ROLE_PAGES = {
    "koordinaator@demo.kaasav.ee": ["/dashboard", "/account", "/admin/users/", "/admin/users/invite",
                                    "/admin/audit", "/admin/outbox", "USER_EDIT", "/applications/",
                                    "APPLICATION", "STALE_DECISION"],
    "hindaja2@demo.kaasav.ee": ["/dashboard", "/account", "/account/ties"],
    "tallinn@demo.kaasav.ee": ["/dashboard", "/account"],
}
PUBLIC_PAGES = ["/", "/registry", "/login", "/password/forgot", "/no-such-page"]




def switch_language(page, language):
    page.click(f"nav.language-nav a[lang={language}]")
    page.wait_for_selector(f"html[lang={language}]")


@pytest.mark.parametrize("language", ["et", "en"])
def test_public_pages_are_accessible(page, live_server, axe, language):
    page.goto(live_server.url + "/")
    if language != "et":
        switch_language(page, language)
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "lang") == language
        axe.check(page)


@pytest.mark.parametrize("language", ["et", "en"])
@pytest.mark.parametrize("email", list(ROLE_PAGES))
def test_each_demo_role_sees_accessible_pages(page, live_server, axe, email, language):
    base = live_server.url
    page.goto(base + "/")
    if language != "et":
        switch_language(page, language)
    log_in(page, base, email)
    axe.check(page)
    for path in ROLE_PAGES[email]:
        if path == "USER_EDIT":
            page.goto(base + "/admin/users/")
            page.click("table a >> nth=0")
        elif path == "APPLICATION":
            page.goto(base + "/applications/?sort=municipality")
            page.click("table a >> nth=0")
        elif path == "STALE_DECISION":  # a decision posted on an application decided long ago: the 409 page
            page.evaluate("""() => { const f = document.createElement('form'); f.method = 'post';
                f.action = location.pathname + '/decision';
                for (const [k, v] of [['csrf_token', document.querySelector('input[name=csrf_token]').value],
                                      ['outcome', 'award']]) {
                  const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v;
                  f.appendChild(i); }
                document.body.appendChild(f); f.submit(); }""")
            page.wait_for_selector("h1")
            assert page.inner_text("h1") in ("See samm ei ole enam võimalik", "This step is no longer possible")
        else:
            page.goto(base + path)
        assert page.get_attribute("html", "lang") == language
        axe.check(page)
    page.click("form[action='/logout'] button")
    page.wait_for_url(base + "/")
    axe.check(page)


def test_form_errors_are_accessible_and_tied_to_fields(page, live_server, axe):
    base = live_server.url
    page.goto(base + "/login")
    page.fill("#email", "koordinaator@demo.kaasav.ee")
    page.fill("#password", "not the password")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.get_attribute("#password", "aria-invalid") == "true"
    assert page.get_attribute("#password", "aria-describedby") == "password-error"
    axe.check(page)
    page.goto(base + "/password/forgot")
    page.fill("#email", "not an address")
    page.click("main button[type=submit]")
    page.wait_for_selector("#email-error")
    axe.check(page)


def test_second_factor_step_by_keyboard_with_accessible_errors(page, live_server, axe, app):
    from tests.support.factories import second_factor_code

    base = live_server.url
    page.goto(base + "/login")
    page.fill("#email", "koordinaator@demo.kaasav.ee")
    page.fill("#password", demo.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/login/second-factor")
    axe.check(page)
    assert page.get_attribute("#code", "autocomplete") == "one-time-code"
    page.fill("#code", "123456")
    page.keyboard.press("Enter")
    page.wait_for_selector("#code-error")
    assert page.get_attribute("#code", "aria-describedby") == "code-hint code-error"
    axe.check(page)
    page.fill("#code", second_factor_code(app, "koordinaator@demo.kaasav.ee"))
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/dashboard")
    page.goto(base + "/account/second-factor")
    axe.check(page)


def test_keyboard_skip_link_and_login(page, live_server, axe):
    base = live_server.url
    page.goto(base + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.focus("#email")
    page.keyboard.type("tallinn@demo.kaasav.ee")
    page.keyboard.press("Tab")
    page.keyboard.type(demo.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/dashboard")
    assert "Tallinn" in page.inner_text("main")


def test_login_and_logout_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "tartu@demo.kaasav.ee")
    assert "Tartu" in page.inner_text("main")
    page.click("form[action='/logout'] button")
    page.wait_for_url(base + "/")
    assert page.is_visible("a[href='/login']")
    context.close()


def test_invitation_flow_in_the_browser(page, live_server, axe, app, capsys):
    import re

    from labelapp.auth import second_factor

    base = live_server.url
    log_in(page, base, "koordinaator@demo.kaasav.ee")
    page.goto(base + "/admin/users/invite")
    page.fill("#email", "uus.hindaja@example.org")
    page.fill("#name", "Uus Hindaja")
    page.select_option("#role", "assessor")
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/admin/users/")
    axe.check(page)
    link = re.search(r"http://[^\s]+/invitation/[A-Za-z0-9_-]+", capsys.readouterr().err).group(0)
    page.click("form[action='/logout'] button")
    assert link.startswith(base)
    page.goto(link)
    axe.check(page)
    page.fill("#password", "uue hindaja parool")
    page.fill("#confirm", "uue hindaja parool")
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/login")
    # An assessor must set up the second factor before anything else.
    log_in(page, base, "uus.hindaja@example.org", "uue hindaja parool", lands_on="/account/second-factor")
    axe.check(page)
    page.fill("#code", "000000")
    page.click("main button[type=submit]")
    assert page.locator("#code-error").is_visible()
    axe.check(page)
    secret = page.inner_text("code.secret")
    page.fill("#code", second_factor.code_at(secret, second_factor.current_step()))
    page.click("main button[type=submit]")
    assert page.locator(".recovery-codes li").count() == 10
    axe.check(page)
    page.click("main a[href='/dashboard']")
    page.wait_for_url(base + "/dashboard")
    assert "Uus Hindaja" in page.inner_text("main")


def test_axe_check_catches_a_real_violation(page, axe):
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><input id="x"></main></body></html>')
    assert "label" in {v["id"] for v in axe.violations(page)}
