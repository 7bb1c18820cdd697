import pytest

from labelapp import demo
from tests.conftest import skip_or_fail
from tests.support.browser import CHROMIUM_ARGS, Axe, LiveServer, chromium_path

# The browser tests exercise pages, not the database: they run on the SQLite backend only.
pytestmark = pytest.mark.browser


@pytest.fixture(scope="session", params=["sqlite"])
def backend(request):
    return request.param


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        skip_or_fail("BROWSER", "Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def live_server(app):
    with app.app_context():
        demo.seed()
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="et-EE")
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()
