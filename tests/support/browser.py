"""Chromium through Playwright, the app served from a thread, and axe-core checks."""

from __future__ import annotations

import json
import shutil
import threading
from importlib.resources import files

from werkzeug.serving import make_server

from tests.support.postgres import free_port

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def axe_source() -> str:
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


_APPS: dict[str, object] = {}  # live server address -> its app, for log_in's authenticator codes


class LiveServer:
    def __init__(self, app) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app.config["PUBLIC_BASE_URL"] = self.url  # links in e-mails lead to this server, as in production
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        _APPS[self.url] = self.app
        return self

    def __exit__(self, *exc) -> None:
        _APPS.pop(self.url, None)
        self.server.shutdown()
        self.thread.join(timeout=10)


class Axe:
    """Runs axe-core in the page (injected through DevTools, so the page's CSP does not block it)."""

    def __init__(self) -> None:
        self.source = axe_source()
        self.checked: list[str] = []

    def violations(self, page) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        return result["violations"]

    def check(self, page) -> None:
        violations = self.violations(page)
        self.checked.append(page.url)
        summary = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in violations
        ]
        assert summary == [], f"axe-core violations on {page.url}:\n{json.dumps(summary, indent=1)}"


def log_in(page, base: str, email: str, password: str | None = None, lands_on: str = "/dashboard") -> None:
    """Log in through the form (demo password by default, authenticator code if asked) and wait for the page."""
    from labelapp import demo

    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password or demo.PASSWORD)
    page.click("main button[type=submit]")
    if page.url.endswith("/login/second-factor"):
        from tests.support.factories import second_factor_code

        page.fill("#code", second_factor_code(_APPS[base], email))
        page.click("main button[type=submit]")
    page.wait_for_url(base + lands_on)
