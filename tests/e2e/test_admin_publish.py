"""A reporter writes an article in the real CKEditor and a reader opens it."""

import io

import pytest
import zxingcpp
from PIL import Image

from news.models import Article
from tests.e2e.conftest import choose
from tests.factories import make_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Đồng chí Lê Thị Vân dự Hội nghị tổng kết 10 năm"
BODY = "Chiều 24/5, Ban Chỉ đạo 799 quận Hồng Bàng tổ chức Hội nghị tổng kết."


def test_write_publish_and_read_an_article(live_server, settings, staff_page):
    settings.SITE_URL = live_server.url
    page = staff_page
    make_category(name="Quốc phòng - An ninh")

    page.goto(f"{live_server.url}/quan-tri/news/article/add/")
    editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    editor.wait_for()
    page.locator("#id_title").press_sequentially(TITLE)
    page.locator("#id_lead").fill("Sapo của bài viết.")
    # The slug prefill writes Vietnamese letters the way the server does.
    assert page.input_value("#id_slug") == "dong-chi-le-thi-van-du-hoi-nghi-tong-ket-10-nam"
    editor.click()
    editor.press_sequentially(BODY)
    page.keyboard.press("Control+B")
    editor.press_sequentially(" Chữ đậm.")

    # The category is an autocomplete (select2) over the category list.
    choose(page, "id_category", "Quốc phòng - An ninh")
    page.fill("#id_author_byline", "Hoàng Tùng")

    # No "this CKEditor version is not secure" banner, no script errors.
    assert page.locator(".cke_notification_warning").count() == 0
    assert page.console_errors == []

    page.click("button[name=_transition][value=publish]")
    page.wait_for_url(f"{live_server.url}/quan-tri/news/article/")

    article = Article.objects.get()
    assert article.title == TITLE
    assert article.slug == "dong-chi-le-thi-van-du-hoi-nghi-tong-ket-10-nam"
    assert "<strong>" in article.body and BODY in article.body
    assert article.status == Article.Status.PUBLISHED

    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("h1").inner_text() == TITLE
    assert BODY in page.locator(".article__body").inner_text()
    assert page.locator(".article__body strong").inner_text().strip() == "Chữ đậm."
    assert page.locator(".article__byline").inner_text() == "Hoàng Tùng"

    qr = page.locator(".article-aside img").first
    qr.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    png = page.request.get(live_server.url + qr.get_attribute("src")).body()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [r.text for r in decoded] == [live_server.url + article.get_absolute_url()]
    assert page.console_errors == []
