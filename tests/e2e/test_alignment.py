"""Text centred in the editor is centred for readers, under the public pages' policy."""

import pytest

from news.models import Article
from tests.e2e.conftest import choose
from tests.factories import make_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_centred_in_the_editor_centred_on_the_page(live_server, settings, staff_page):
    settings.SITE_URL = live_server.url
    page = staff_page
    make_category(name="Văn hóa - Xã hội")
    page.goto(f"{live_server.url}/quan-tri/news/article/add/")
    editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    editor.wait_for()
    page.fill("#id_title", "Thông báo lịch tiếp công dân")
    editor.click()
    editor.press_sequentially("Đoạn căn giữa.")
    page.click(".cke_button__justifycenter")
    assert '<p class="text-center">' in page.evaluate("CKEDITOR.instances.id_body.getData()")
    # A cell aligned in the table dialog gets a style; the sanitiser makes it a class.
    page.evaluate(
        "CKEDITOR.instances.id_body.insertHtml("
        "'<table><tbody><tr><td style=\"text-align:right\">36</td></tr></tbody></table>')"
    )
    choose(page, "id_category", "Văn hóa - Xã hội")
    page.fill("#id_author_byline", "Hoàng Tùng")
    page.click("button[name=_transition][value=publish]")
    page.wait_for_url(f"{live_server.url}/quan-tri/news/article/")

    article = Article.objects.get()
    assert "style=" not in article.body
    response = page.goto(live_server.url + article.get_absolute_url())
    assert "style-src 'self'" in response.headers["content-security-policy"]
    paragraph = page.locator(".article__body p", has_text="Đoạn căn giữa.")
    assert paragraph.evaluate("p => getComputedStyle(p).textAlign") == "center"
    cell = page.locator(".article__body td", has_text="36")
    assert cell.evaluate("td => getComputedStyle(td).textAlign") == "right"
    assert page.console_errors == []

    # Opened again in the editor, both keep their class.
    page.goto(f"{live_server.url}/quan-tri/news/article/{article.pk}/change/")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").wait_for()
    data = page.evaluate("CKEDITOR.instances.id_body.getData()")
    assert '<p class="text-center">' in data and '<td class="text-right">' in data
