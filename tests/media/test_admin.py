import re

import pytest

from media.models import Document, Image
from media.services import image_upload
from news.models import Article
from tests.factories import article_form_data, make_article, make_category
from tests.media.images import PDF, image_bytes, upload

pytestmark = pytest.mark.django_db


def test_add_image_through_the_admin(admin_client):
    response = admin_client.post(
        "/quan-tri/media/image/add/",
        {
            "upload": upload(image_bytes(), "Lễ hội Hoa Phượng.jpg"),
            "title": "",
            "alt_text": "Diễu hành",
            "default_caption": "",
            "credit": "Minh Anh",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    image = Image.objects.get()
    assert image.title == "Lễ hội Hoa Phượng"
    assert image.credit == "Minh Anh"
    assert image.renditions.exists()


def test_a_bad_upload_in_the_admin_shows_the_reason_and_saves_nothing(admin_client):
    response = admin_client.post(
        "/quan-tri/media/image/add/",
        {"upload": upload(b"<svg><script>alert(1)</script></svg>", "anh.jpg"), "title": "X"},
    )
    assert response.status_code == 200
    assert "Không nhận ảnh SVG" in response.content.decode()
    assert not Image.objects.exists()


def test_a_duplicate_upload_in_the_admin_links_to_the_existing_image(admin_client):
    existing = image_upload(upload(image_bytes()), title="Đã có")
    response = admin_client.post(
        "/quan-tri/media/image/add/", {"upload": upload(image_bytes(), "lai.jpg"), "title": ""}
    )
    html = response.content.decode()
    assert "đã có trong thư viện" in html
    assert f'href="/quan-tri/media/image/{existing.pk}/change/"' in html
    assert Image.objects.count() == 1


def test_image_list_has_thumbnails_and_no_query_per_row(
    admin_client, django_assert_max_num_queries
):
    for n in range(5):
        image_upload(upload(image_bytes(color=(40 * n, 10, 10))), title=f"Ảnh {n}")
    admin_client.get("/quan-tri/media/image/")
    with django_assert_max_num_queries(12):
        response = admin_client.get("/quan-tri/media/image/")
    html = response.content.decode()
    assert len(re.findall(r'<img src="/media/renditions/[^"]+-320w\.webp"', html)) == 5


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("hong bang", True),
        ("HỒNG BÀNG", True),
        ("Uỷ ban", True),
        ("uy ban", True),
        ("le chan", False),
    ],
)
def test_image_search_ignores_accents_and_tone_placement(admin_client, query, found):
    image_upload(upload(image_bytes()), title="Hồng Bàng", default_caption="Ủy ban nhân dân quận")
    html = admin_client.get("/quan-tri/media/image/", {"q": query}).content.decode()
    assert ("Hồng Bàng" in html.split("result_list")[-1]) is found


def test_image_search_finds_file_names_and_credits(admin_client):
    image_upload(upload(image_bytes(), "Đồng chí Vân.jpg"), title="Ảnh 1", credit="Thu Hà")
    assert "Ảnh 1" in admin_client.get("/quan-tri/media/image/", {"q": "đồng chí"}).content.decode()
    assert "Ảnh 1" in admin_client.get("/quan-tri/media/image/", {"q": "thu ha"}).content.decode()


def test_article_search_in_the_admin_ignores_accents(admin_client):
    make_article(title="Đảng bộ quận Hồng Bàng")
    html = admin_client.get("/quan-tri/news/article/", {"q": "dang bo hong bang"}).content.decode()
    assert "Đảng bộ quận Hồng Bàng" in html


def test_bulk_upload_takes_several_photos_and_reports_each(admin_client):
    files = [
        upload(image_bytes(color=(200, 0, 0)), "mot.jpg"),
        upload(image_bytes("PNG", color=(0, 200, 0)), "hai.png"),
        upload(b"not an image", "ba.jpg"),
    ]
    response = admin_client.post(
        "/quan-tri/media/image/tai-nhieu-anh/", {"files": files, "credit": "Nhóm PV"}
    )
    html = response.content.decode()
    assert Image.objects.count() == 2
    assert set(Image.objects.values_list("credit", flat=True)) == {"Nhóm PV"}
    assert "Đã tải lên 2/3 ảnh." in html
    assert html.count('class="bulk-ok"') == 2 and html.count('class="bulk-error"') == 1
    assert "không phải ảnh" in html


def test_changelist_links_to_bulk_upload(admin_client):
    assert (
        "/quan-tri/media/image/tai-nhieu-anh/"
        in admin_client.get("/quan-tri/media/image/").content.decode()
    )


def test_cover_chooser_shows_the_chosen_image(admin_client):
    image = image_upload(upload(image_bytes()), title="Ảnh bìa", alt_text="Bìa")
    article = make_article(cover_image=image)
    html = admin_client.get(f"/quan-tri/news/article/{article.pk}/change/").content.decode()
    assert 'class="image-chooser"' in html
    assert "-320w.webp" in html
    # The lookup opens the image list, with thumbnails, as a popup.
    assert 'href="/quan-tri/media/image/?_to_field=id"' in html
    popup = admin_client.get("/quan-tri/media/image/", {"_to_field": "id", "_popup": "1"})
    assert "-320w.webp" in popup.content.decode()


def form_data(**fields):
    fields = {"title": "Bài có ảnh", "body": "<p>Nội dung</p>", "_transition": "publish"} | fields
    return article_form_data(category=make_category().pk, **fields)


def test_publishing_needs_alt_text_on_the_cover(admin_client):
    image = image_upload(upload(image_bytes()), title="Ảnh thiếu alt")
    response = admin_client.post("/quan-tri/news/article/add/", form_data(cover_image=image.pk))
    assert response.status_code == 200
    assert "chưa có mô tả thay thế (alt)" in response.content.decode()
    assert not Article.objects.exists()
    draft = admin_client.post(
        "/quan-tri/news/article/add/", form_data(cover_image=image.pk, _transition="")
    )
    assert draft.status_code == 302  # a draft may wait for its alt text


def test_publishing_needs_alt_text_on_gallery_images(admin_client):
    image = image_upload(upload(image_bytes()), title="Ảnh bộ sưu tập")
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        form_data(
            **{
                "gallery_items-TOTAL_FORMS": "1",
                "gallery_items-0-image": image.pk,
                "gallery_items-0-caption": "",
                "gallery_items-0-order": "0",
            }
        ),
    )
    assert response.status_code == 200
    assert "“Ảnh bộ sưu tập”" in response.content.decode()
    assert not Article.objects.exists()
    image.alt_text = "Quang cảnh"
    image.save()
    response = admin_client.post(
        "/quan-tri/news/article/add/",
        form_data(
            **{
                "gallery_items-TOTAL_FORMS": "1",
                "gallery_items-0-image": image.pk,
                "gallery_items-0-caption": "Chú thích riêng",
                "gallery_items-0-order": "0",
            }
        ),
    )
    assert response.status_code == 302
    assert Article.objects.get().gallery_items.get().caption == "Chú thích riêng"


def test_publishing_needs_alt_text_on_body_images(admin_client):
    response = admin_client.post(
        "/quan-tri/news/article/add/", form_data(body='<p><img src="/media/x.jpg"></p>')
    )
    assert response.status_code == 200
    assert "1 ảnh trong nội dung chưa có mô tả thay thế (alt): x.jpg" in response.content.decode()


def test_add_document_through_the_admin(admin_client):
    response = admin_client.post(
        "/quan-tri/media/document/add/",
        {
            "upload": upload(PDF, "QĐ 123.pdf", "application/pdf"),
            "title": "Quyết định khen thưởng",
            "number": "123/QĐ-UBND",
            "issued_on": "24/05/2023",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert str(document) == "123/QĐ-UBND – Quyết định khen thưởng"
    assert document.file_type == "pdf"
    assert document.issued_on.isoformat() == "2023-05-24"
    response = admin_client.post(
        "/quan-tri/media/document/add/",
        {"upload": upload(b"<html></html>", "qd.pdf", "application/pdf"), "title": "X"},
    )
    assert "Chỉ nhận tài liệu PDF" in response.content.decode()
    assert Document.objects.count() == 1
