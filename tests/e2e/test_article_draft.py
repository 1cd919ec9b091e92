"""Nothing typed into an article is lost: leaving asks first, and the text comes back."""

import pytest

from news.models import Article
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def body_frame(page):
    return page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")


def test_unsaved_text_is_kept_through_leaving_and_offered_back(staff_page, live_server):
    page = staff_page
    article = make_article(title="Tiêu đề đã lưu", body="<p>Nội dung đã lưu.</p>")
    url = f"{live_server.url}/quan-tri/news/article/{article.pk}/change/"
    page.goto(url)
    body_frame(page).wait_for()
    assert page.locator("#article-draft").is_hidden()  # nothing kept yet

    page.fill("#id_title", "Tiêu đề đang viết dở")
    body_frame(page).click()
    page.keyboard.press("End")
    page.keyboard.type(" Câu mới chưa lưu.")
    # The tab is hidden (another tab, a locked phone): the text is kept at once.
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/quan-tri/")
    assert dialogs == ["beforeunload"]  # leaving with unsaved changes asked first
    assert Article.objects.get(pk=article.pk).title == "Tiêu đề đã lưu"

    page.goto(url)
    body_frame(page).wait_for()
    notice = page.locator("#article-draft")
    notice.wait_for(state="visible")
    assert "Khôi phục bản đang soạn" in notice.inner_text()
    page.click("[data-draft-restore]")
    assert page.input_value("#id_title") == "Tiêu đề đang viết dở"
    assert "Câu mới chưa lưu." in body_frame(page).inner_text()

    # Saved: the kept copy is the form's text now, and is not offered again.
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert Article.objects.get(pk=article.pk).title == "Tiêu đề đang viết dở"
    page.goto(url)
    body_frame(page).wait_for()
    page.wait_for_timeout(300)
    assert page.locator("#article-draft").is_hidden()
    assert page.console_errors == []


def test_a_login_that_expired_while_typing_loses_nothing(staff_page, live_server):
    page = staff_page
    article = make_article(title="Tiêu đề cũ")
    url = f"{live_server.url}/quan-tri/news/article/{article.pk}/change/"
    page.goto(url)
    body_frame(page).wait_for()
    page.fill("#id_title", "Tiêu đề viết lúc phiên đã hết hạn")
    page.context.clear_cookies()  # the session ended while the reporter typed
    page.click("input[name=_continue]")
    page.wait_for_load_state()  # refused: the form's session is gone; nothing saved
    assert Article.objects.get(pk=article.pk).title == "Tiêu đề cũ"
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill("#id_username", "phongvien")
    page.fill("#id_password", "mat-khau-dai-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/quan-tri/")
    page.goto(url)
    body_frame(page).wait_for()
    page.locator("#article-draft").wait_for(state="visible")
    page.click("[data-draft-restore]")
    assert page.input_value("#id_title") == "Tiêu đề viết lúc phiên đã hết hạn"
