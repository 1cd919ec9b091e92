import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


@pytest.fixture
def staff_page(page, live_server, django_user_model):
    """A page logged in to the admin as a superuser named ``phongvien``."""
    django_user_model.objects.create_superuser("phongvien", "pv@example.vn", "mat-khau-dai-123")
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill("#id_username", "phongvien")
    page.fill("#id_password", "mat-khau-dai-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/quan-tri/")
    return page


def choose(page, field, text):
    """Pick ``text`` in the admin's select2 autocomplete for the select ``#field``."""
    page.click(f"#{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


ROOT = Path(__file__).resolve().parents[2]
# Screenshots the browser tests take, kept for people to look at after a run.
SCREENSHOTS = ROOT / "var" / "screenshots"


def axe_violations(page, options=None) -> list[dict]:
    """Run axe-core (fetched from the npm registry by make) on the page."""
    source = ROOT / os.environ.get("AXE_JS", "")
    if not source.is_file():
        pytest.fail("axe-core is missing: run the tests with make test")
    # evaluate() runs outside the page's Content-Security-Policy, as a user script would.
    page.evaluate(source.read_text(encoding="utf-8"))
    results = page.evaluate("options => axe.run(document, options)", options or {})
    return results["violations"]
