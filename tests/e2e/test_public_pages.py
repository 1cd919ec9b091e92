"""The public pages as a reader's browser shows them, on a phone and a desktop."""

from io import StringIO

import pytest
from django.core.management import call_command

from awards.models import AwardDecision
from news.models import Article
from organizations.models import Person
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.factories import SEED_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
WIDTHS = [360, 1280]
NOT_FOUND_ERROR = "Failed to load resource: the server responded with a status of 404 (Not Found)"


@pytest.fixture
def demo(live_server, settings):
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=StringIO())
    return Article.objects.get(title=SEED_TITLE)


def public_urls(demo):
    decision = AwardDecision.objects.get()
    return {
        "home": "/",
        "section": demo.category.get_absolute_url(),
        "search": "/tim-kiem/?q=hong+bang",
        "day": "/tin-theo-ngay/?ngay=2023-05-24",
        "article": demo.get_absolute_url(),
        "not-found": "/tin-tuc/khong-co-0/",
        "honour-roll": "/khen-thuong/?q=nguyen+van",
        "decision": decision.get_absolute_url(),
        "organization": decision.authority.get_absolute_url(),
        "person": Person.objects.get(full_name="Lê Thị Vân").get_absolute_url(),
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_meet_wcag_21_aa_and_fit_the_screen(live_server, demo, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    for name, path in public_urls(demo).items():
        page.console_errors.clear()
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page, WCAG_21_AA)
        assert [(v["id"], len(v["nodes"])) for v in violations] == [], name
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} scrolls sideways at {width}px"
        # Console errors include Content-Security-Policy violations and failed
        # loads; the 404 page's own status is the one expected.
        expected = [NOT_FOUND_ERROR] if name == "not-found" else []
        assert page.console_errors == expected, name


def test_the_accessibility_check_reports_problems(page):
    # Proves the check above can fail.
    page.set_content('<html><body><img src="x.png"><a href="#"></a></body></html>')
    violations = axe_violations(page, WCAG_21_AA)
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in violations}


def test_article_images_load_under_the_content_security_policy(live_server, demo, page):
    page.goto(live_server.url + demo.get_absolute_url())
    images = page.locator("main img")
    assert images.count() == 5  # three photos, the article QR, the Fanpage QR
    for index in range(images.count()):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") > 0
        assert image.get_attribute("alt")
    assert page.console_errors == []


def test_print_shows_the_article_with_its_address_and_qr_code_only(live_server, demo, page):
    page.goto(live_server.url + demo.get_absolute_url())
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".other-news").is_hidden()
    assert page.locator(".share").is_hidden()
    assert page.locator(".article__print-url").inner_text() == demo.canonical_url
    assert page.locator(".article-aside .qr img").first.is_visible()


def test_print_button_opens_the_print_dialog_without_leaving_the_page(live_server, demo, page):
    page.goto(live_server.url + demo.get_absolute_url())
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    page.click("[data-action=print]")
    assert page.evaluate("window.__printed") == 1
    assert page.url == live_server.url + demo.get_absolute_url()


def test_copy_link_puts_the_canonical_address_on_the_clipboard(live_server, demo, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + demo.get_absolute_url())
    page.click("[data-action=copy-link]")
    page.wait_for_function("document.querySelector('.share__status').textContent !== ''")
    assert page.locator(".share__status").inner_text() == "Đã sao chép liên kết."
    assert page.evaluate("navigator.clipboard.readText()") == demo.canonical_url


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_article_page(live_server, demo, page, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    assert len(page.screenshot(path=SCREENSHOTS / f"front-{width}.png", full_page=True)) > 10_000
    page.goto(live_server.url + demo.get_absolute_url())
    shot = page.screenshot(path=SCREENSHOTS / f"article-{width}.png", full_page=True)
    assert len(shot) > 10_000
    # The layout puts the tools box beside the article on a desktop, below it on a phone.
    article = page.locator(".article").bounding_box()
    aside = page.locator(".article-aside").bounding_box()
    if width >= 1024:
        assert aside["x"] > article["x"] + article["width"] - 1
    else:
        assert aside["y"] >= article["y"] + article["height"]


def test_font_size_buttons_change_and_remember_the_text_size(live_server, demo, page):
    page.goto(live_server.url + demo.get_absolute_url())
    body = page.locator(".article__body p").first

    def size():
        return float(body.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))

    normal = size()
    page.click("[data-action=font-larger]")
    page.click("[data-action=font-larger]")
    assert size() > normal * 1.15
    page.reload()
    assert size() > normal * 1.15  # remembered
    for _ in range(6):
        page.click("[data-action=font-smaller]")
    assert size() < normal
    assert page.console_errors == []
