"""Accessibility beyond axe-core alone: pa11y (axe-core and HTML_CodeSniffer, WCAG 2 AA) over every page type of
every role, the languages taking turns; reflow at 320 CSS px and 200 % text in both languages; visible focus;
forced colours; the grouped menu.

The demo data is completed with work in every stage (a draft self-assessment, an application in review, one
recommended by its panel), so that each role's pages show their forms and tables, not empty states.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from sqlalchemy import select

from labelapp.applications import services as applications
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.auth.services import find_user
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.labels.models import Label, LabelState
from labelapp.panel import assignment, reviews
from tests.conftest import skip_or_fail
from tests.support.browser import chromium_path, log_in
from tests.support.factories import application_from, filled_assessment, recommended_application

PA11Y = Path(__file__).resolve().parent.parent / "support" / "pa11y"
LANGUAGES = ["et", "en"]
COORDINATOR, CHAIR, STAFF_DRAFT, STAFF_APPLIED = ("koordinaator@demo.kaasav.ee", "hindaja1@demo.kaasav.ee",
                                                 "tallinn@demo.kaasav.ee", "saaremaa@demo.kaasav.ee")


def work_in_every_stage(app) -> dict:
    """Tallinn: a draft self-assessment with evidence; Tartu: an application in review by hindaja1 (chair) and
    hindaja3 (submitted); Saaremaa: an application the panel recommended. Returns the ids the pages need."""
    with app.test_request_context():
        round_ = criteria_services.current_round()
        tallinn = filled_assessment(find_user(STAFF_DRAFT), round_, level=2)
        chair, second = find_user(CHAIR), find_user("hindaja3@demo.kaasav.ee")
        tartu = application_from(find_user("tartu@demo.kaasav.ee"), round_=round_,
                                 steps=(Action.SUBMIT, Action.START_SCREENING))
        assignment.assign(tartu, [chair, second], chair, dt.date.today() + dt.timedelta(days=20))
        applications.change_status(tartu, Action.ACCEPT)
        criteria = assessment_services.criteria_of(tartu.assessment)
        levels = {c.id: (2, "Matches the evidence.") for _a, c in criteria.criteria()}
        reviews.save(tartu, second, levels, "award", "Well documented.", criteria, submit=True)
        saaremaa_staff = find_user(STAFF_APPLIED)
        assessment = filled_assessment(saaremaa_staff, round_, level=2)
        assessment_services.submit(assessment, saaremaa_staff)
        saaremaa = recommended_application(saaremaa_staff, chair, assessment=assessment, second=second)
        valid = db.session.scalar(select(Label.public_id).where(Label.state == LabelState.VALID).limit(1))
        revoked = db.session.scalar(select(Label.public_id).where(Label.state == LabelState.REVOKED).limit(1))
        db.session.commit()
        return {"draft": tallinn.id, "in_review": tartu.id, "recommended": saaremaa.id,
                "recommended_assessment": assessment.id, "valid": valid, "revoked": revoked,
                "chair_id": chair.id}


def pages_by_role(ids: dict) -> dict[str | None, list[str]]:
    """Every page type each role reaches (None: the public, not logged in)."""
    draft, review, recommended = ids["draft"], ids["in_review"], ids["recommended"]
    return {
        None: ["/", "/registry", "/registry/0624", f"/verify/{ids['valid']}", f"/verify/{ids['revoked']}",
               f"/registry/certificate/{ids['valid']}", "/login", "/password/forgot", "/no-such-page"],
        STAFF_DRAFT: ["/dashboard", "/account", "/account/second-factor", "/assessments/", f"/assessments/{draft}",
                      f"/assessments/{draft}/areas/strategy",
                      f"/assessments/{draft}/criteria/strategy.principles/evidence", f"/assessments/{draft}/review",
                      f"/assessments/{draft}/what-if", f"/assessments/{draft}/print", "/applications/"],
        STAFF_APPLIED: ["/dashboard", f"/applications/{recommended}",
                        f"/assessments/{ids['recommended_assessment']}/review"],
        CHAIR: ["/dashboard", "/account", "/account/ties", "/applications/", f"/applications/{review}",
                f"/applications/{review}/review", f"/applications/{review}/consolidate",
                f"/applications/{recommended}"],
        COORDINATOR: ["/dashboard", "/admin/users/", f"/admin/users/{ids['chair_id']}", "/admin/users/invite",
                      "/admin/users/ties", "/admin/audit", "/admin/outbox", "/admin/criteria/",
                      "/admin/criteria/files", "/admin/surveys/", "/admin/surveys/import",
                      "/admin/surveys/municipalities/0784", "/applications/", "/applications/?status=in_review",
                      f"/applications/{review}", f"/applications/{recommended}", f"/applications/{review}/panel",
                      "/applications/calibration", "/applications/decisions", "/assessments/",
                      f"/assessments/{draft}/review"],
    }


def cookies_of(browser, base: str, email: str | None, language: str) -> list[dict]:
    """The cookies of a browser logged in as ``email`` (or not) with ``language`` chosen, for pa11y's pages."""
    context = browser.new_context(locale="et-EE")
    page = context.new_page()
    page.goto(f"{base}/language/{language}?next=/")
    if email:
        log_in(page, base, email)
    cookies = [{key: c[key] for key in ("name", "value", "domain", "path", "httpOnly", "secure", "sameSite")}
               for c in context.cookies()]
    context.close()
    return cookies


def run_pa11y(pages: list[dict]) -> list[dict]:
    if not (PA11Y / "node_modules" / "pa11y").is_dir():
        skip_or_fail("BROWSER", "pa11y is not installed (make install-dev runs npm ci in tests/support/pa11y)")
    done = subprocess.run(["node", str(PA11Y / "run.mjs")], cwd=PA11Y, capture_output=True, text=True, timeout=1200,
                          input=json.dumps({"executablePath": chromium_path(), "pages": pages}), check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout)


def test_every_page_of_every_role_passes_axe_and_html_codesniffer_in_both_languages(browser, live_server):
    """Each page type once, the languages taking turns down each role's list, so that every role's pages are
    checked in both languages (the templates are the same; axe checks every page visited in both languages in
    the other browser tests, and the reflow test below visits every page type in both)."""
    base = live_server.url
    ids = work_in_every_stage(live_server.app)
    pages = []
    for email, paths in pages_by_role(ids).items():
        cookies = {language: cookies_of(browser, base, email, language) for language in LANGUAGES}
        for number, path in enumerate(paths):
            language = LANGUAGES[number % len(LANGUAGES)]
            pages.append({"url": base + path, "cookies": cookies[language], "who": email or "public",
                          "language": language})
    assert {page["language"] for page in pages} == set(LANGUAGES)
    results = run_pa11y(pages)
    assert len(results) == len(pages)
    for page, result in zip(pages, results, strict=True):  # each page as its role sees it, not the login page
        assert result["title"] and "Logi sisse –" not in result["title"] and "Log in –" not in result["title"] \
            or page["who"] == "public", (page, result["title"])
    failures = [{"url": r["url"], "who": p["who"], "language": p["language"], "issues": r["issues"]}
                for p, r in zip(pages, results, strict=True) if r["issues"]]
    assert failures == [], json.dumps(failures, indent=1, ensure_ascii=False)[:20000]


def visit_as(browser, base, email, language, **context_options):
    context = browser.new_context(locale="et-EE", **context_options)
    # Pages follow each other fast: an icon request cut off by the next page would leave the served file open.
    context.route("**/favicon.svg", lambda route: route.fulfill(status=204))
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto(f"{base}/language/{language}?next=/")
    if email:
        log_in(page, base, email)
    return context, page


def test_every_page_reflows_at_320_px_and_at_200_percent_text_without_horizontal_scrolling(browser, live_server):
    """WCAG 1.4.10 at a 320 CSS px viewport; WCAG 1.4.4 with the text at 200 % in a 640 px viewport (a 1280 px
    window zoomed to 200 %). Wide data tables scroll inside their own region, never the page."""
    base = live_server.url
    ids = work_in_every_stage(live_server.app)
    too_wide = []
    for email, paths in pages_by_role(ids).items():
        for language in LANGUAGES:
            context, page = visit_as(browser, base, email, language, viewport={"width": 320, "height": 640})
            for width, text_size in ((320, "100%"), (640, "200%")):
                page.set_viewport_size({"width": width, "height": 640})
                for path in paths:
                    page.goto(base + path)
                    page.evaluate("size => { document.documentElement.style.fontSize = size; }", text_size)
                    scroll, client = page.evaluate("() => [document.documentElement.scrollWidth, "
                                                   "document.documentElement.clientWidth]")
                    if scroll > client:
                        too_wide.append((email, language, path, width, text_size, scroll))
            context.close()
    assert too_wide == []


def test_focus_is_visible_and_the_grouped_menu_stays_on_one_line_at_1280_px(browser, live_server):
    base = live_server.url
    for language in LANGUAGES:
        context, page = visit_as(browser, base, COORDINATOR, language, viewport={"width": 1280, "height": 800})
        rows = page.evaluate("() => new Set([...document.querySelectorAll('.site-nav > ul > li')]"
                             ".map(li => Math.round(li.getBoundingClientRect().top))).size")
        assert rows == 1, f"the coordinator's menu wraps to {rows} lines at 1280 px ({language})"
        # The grouped links open without JavaScript: a <details> disclosure.
        page.click(".nav-group--admin summary")
        assert page.is_visible(".nav-group--admin a[href='/admin/users/']")
        page.keyboard.press("Tab")
        outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                                "return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }")
        assert outline[0] == "A" and outline[1] != "none" and outline[2] != "0px", outline
        context.close()


def test_forced_colours_keep_every_control_and_border_visible(browser, live_server):
    base = live_server.url
    context, page = visit_as(browser, base, COORDINATOR, "et", forced_colors="active",
                             viewport={"width": 1280, "height": 800})
    for path in ["/dashboard", "/applications/", "/admin/audit"]:
        page.goto(base + path)
        assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
        hidden = page.evaluate("""() => [...document.querySelectorAll('a, button, summary, input, select, textarea')]
            .filter(e => e.offsetParent !== null)
            .filter(e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
                           return s.visibility === 'hidden' || s.opacity === '0' || r.width < 1 || r.height < 1
                                  || s.color === s.backgroundColor; })
            .map(e => e.outerHTML.slice(0, 80))""")
        assert hidden == [], (path, hidden)
        # Buttons keep a border (a system colour), so that they still look like buttons.
        border = page.evaluate("() => { const b = document.querySelector('main button'); "
                               "return b ? getComputedStyle(b).borderTopStyle : 'solid'; }")
        assert border != "none"
    context.close()
