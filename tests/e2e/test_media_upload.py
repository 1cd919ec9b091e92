"""A reporter uploads a photo inside CKEditor; readers get it responsive."""

import pytest
from PIL import Image as PILImage

from media.models import Image
from media.services import image_upload
from news.models import Article
from tests.e2e.conftest import choose
from tests.factories import make_category
from tests.media.images import image_bytes, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_a_photo_in_ckeditor_and_see_it_responsive(
    live_server, settings, staff_page, tmp_path
):
    settings.SITE_URL = live_server.url
    page = staff_page
    make_category(name="Văn hóa - Xã hội")
    photo = tmp_path / "Lễ hội hoa phượng.jpg"
    PILImage.new("RGB", (1800, 1200), (200, 40, 40)).save(photo, "JPEG")

    page.goto(f"{live_server.url}/quan-tri/news/article/add/")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").wait_for()
    page.fill("#id_title", "Lễ hội Hoa Phượng Đỏ")

    # The image dialog's Upload tab posts to the media library.
    page.click(".cke_button__image")
    page.click(".cke_dialog_tab:has-text('Tải lên')")
    page.frame_locator("iframe.cke_dialog_ui_input_file").locator(
        "input[type=file]"
    ).set_input_files(photo)
    page.click(".cke_dialog_ui_fileButton")
    url_field = page.locator(".cke_dialog_contents input.cke_dialog_ui_input_text").first
    page.wait_for_function(
        "el => el.value.startsWith('/media/images/')", arg=url_field.element_handle()
    )
    image = Image.objects.get()
    assert image.renditions.count() == 9
    assert url_field.input_value() == image.file.url
    # The alternative text ("Chú thích ảnh" in CKEditor's Vietnamese) is required to publish.
    page.locator(".cke_dialog_contents input.cke_dialog_ui_input_text").nth(1).fill(
        "Diễu hành trong ngày khai mạc lễ hội"
    )
    page.click(".cke_dialog_ui_button_ok")

    choose(page, "id_category", "Văn hóa - Xã hội")
    assert page.console_errors == []
    page.click("button[name=_transition][value=publish]")
    page.wait_for_url(f"{live_server.url}/quan-tri/news/article/")

    article = Article.objects.get()
    assert list(article.body_images.all()) == [image]
    image.refresh_from_db()
    assert image.alt_text == "Diễu hành trong ngày khai mạc lễ hội"  # kept in the library
    page.goto(live_server.url + article.get_absolute_url())
    picture = page.locator(".article__body picture")
    assert picture.count() == 1
    assert "320w" in picture.locator("source").get_attribute("srcset")
    img = picture.locator("img")
    assert img.get_attribute("alt") == "Diễu hành trong ngày khai mạc lễ hội"
    assert (img.get_attribute("width"), img.get_attribute("height")) == ("1800", "1200")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    # Chromium takes the WebP source, a rendition sized for the column, not the original.
    current = img.evaluate("img => img.currentSrc")
    assert current.endswith(".webp") and "/media/renditions/" in current
    assert page.console_errors == []

    # On a phone the browser picks a smaller file.
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    img = page.locator(".article__body picture img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert img.evaluate("img => img.naturalWidth") < 1800


def test_choose_a_library_photo_from_the_editor(live_server, staff_page):
    page = staff_page
    image = image_upload(
        upload(image_bytes(size=(1200, 800)), "hop-bao.jpg"),
        title="Họp báo quý II",
        alt_text="Quang cảnh buổi họp báo",
    )
    page.goto(f"{live_server.url}/quan-tri/news/article/add/")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").wait_for()
    page.click(".cke_button__image")
    with page.expect_popup() as popup_info:
        page.click(".cke_dialog a.cke_dialog_ui_button:has-text('Duyệt máy chủ')")
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("#q", "hop bao")  # accent-insensitive search in the library
    popup.click("button[type=submit]")
    popup.click("button.choose:has-text('Họp báo quý II')")
    fields = page.locator(".cke_dialog_contents input.cke_dialog_ui_input_text")
    page.wait_for_function("el => el.value !== ''", arg=fields.first.element_handle())
    assert fields.first.input_value() == image.file.url
    assert fields.nth(1).input_value() == "Quang cảnh buổi họp báo"  # alt from the library
    page.click(".cke_dialog_ui_button_ok")
    editor_html = page.evaluate("CKEDITOR.instances.id_body.getData()")
    assert f'src="{image.file.url}"' in editor_html
    assert page.console_errors == []
