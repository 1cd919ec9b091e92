"""Two editors in two browsers open the same article; nothing is lost."""

import pytest

from news.models import Article
from portal.roles import EDITOR
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_as(browser, live_server, user, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "mat-khau-dai-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/quan-tri/")
    page.goto(live_server.url + url)
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").wait_for()
    return context, page


def test_two_editors_edit_the_same_article(browser, live_server):
    ha, minh = make_user(EDITOR, "Hà"), make_user(EDITOR, "Minh")
    article = make_article(title="Tiêu đề gốc")
    url = f"/quan-tri/news/article/{article.pk}/change/"
    context_a, page_a = open_as(browser, live_server, ha, url)
    context_b, page_b = open_as(browser, live_server, minh, url)
    try:
        # Minh is told Hà has the article open.
        page_b.wait_for_selector("#presence-notice:not([hidden])")
        assert "Hà" in page_b.locator("#presence-notice").inner_text()

        page_a.fill("#id_title", "Tiêu đề Hà sửa")
        page_a.click("input[name=_continue]")
        page_a.wait_for_selector(".messagelist .success")

        page_b.fill("#id_title", "Tiêu đề Minh sửa")
        page_b.click("input[name=_continue]")
        page_b.wait_for_selector(".errornote")
        errors = page_b.locator(".errorlist.nonfield").inner_text()
        assert "Bài này vừa được Hà lưu lúc" in errors
        assert "tiêu đề" in errors
        assert page_b.input_value("#id_title") == "Tiêu đề Minh sửa"  # nothing lost
        # Hà's title is shown beside Minh's.
        conflicts = page_b.locator(".edit-conflicts").inner_text()
        assert "Tiêu đề Hà sửa" in conflicts and "Tiêu đề Minh sửa" in conflicts
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page_b.screenshot(path=SCREENSHOTS / "admin-conflict-1280.png", full_page=True)
        assert Article.objects.get(pk=article.pk).title == "Tiêu đề Hà sửa"

        # Minh merges and saves again: now it goes through.
        page_b.fill("#id_title", "Tiêu đề Hà sửa, Minh bổ sung")
        page_b.click("input[name=_continue]")
        page_b.wait_for_selector(".messagelist .success")
        assert Article.objects.get(pk=article.pk).title == "Tiêu đề Hà sửa, Minh bổ sung"
    finally:
        context_a.close()
        context_b.close()
