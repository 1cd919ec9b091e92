"""What readers get from the library: documents, responsive photos, galleries."""

import re

import pytest
from django.core.management import call_command

from media.services import document_create, document_prepare, image_upload
from news.models import Article, GalleryItem
from tests.factories import make_article
from tests.media.images import PDF, docx_bytes, image_bytes, upload

pytestmark = pytest.mark.django_db


def make_document(data=PDF, name="quyet-dinh.pdf", **fields):
    data, clean = document_prepare(upload(data, name, "application/octet-stream"))
    return document_create(data=data, clean=clean, original_name=name, **fields)


def make_public_document(data=PDF, name="quyet-dinh.pdf", **fields):
    """A document a published article links to, which readers may download."""
    document = make_document(data, name, **fields)
    make_article(body=f'<p><a href="{document.get_absolute_url()}">{document}</a></p>')
    return document


def test_pdf_is_served_inline_with_its_real_type(client):
    document = make_public_document(title="Quyết định 123/QĐ-UBND", number="123/QĐ-UBND")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_office_documents_are_served_as_attachments(client):
    document = make_public_document(docx_bytes(), "ke-hoach.docx", title="Kế hoạch")
    response = client.get(document.get_absolute_url())
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_documents_are_not_under_media_url(client, settings):
    document = make_public_document(title="Tài liệu")
    assert not document.get_absolute_url().startswith(settings.MEDIA_URL)
    assert str(settings.DOCUMENTS_ROOT) not in str(settings.MEDIA_ROOT)
    wrong_name = document.get_absolute_url().rsplit("/", 1)[0] + "/khac.pdf"
    assert client.get(wrong_name).status_code == 404
    assert client.get("/tai-lieu/999999/x.pdf").status_code == 404


def test_library_images_in_a_body_become_responsive_pictures(client, site_settings):
    image = image_upload(upload(image_bytes(size=(1600, 1000))), alt_text="Hội nghị")
    article = make_article(
        body=f'<figure class="image-captioned"><img src="{image.file.url}" alt="Phát biểu">'
        "<figcaption>Đồng chí phát biểu.</figcaption></figure>"
        '<p><img src="https://example.vn/ngoai.jpg" alt="Ảnh ngoài"></p>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html).group(0)
    assert '<source type="image/webp"' in picture
    assert "320w" in picture and "1600w" in picture
    assert 'width="1600" height="1000"' in picture
    assert 'alt="Phát biểu"' in picture  # the editor's alt wins over the library's
    assert 'sizes="(min-width: 1024px) 760px, 100vw"' in picture
    assert "<figcaption>Đồng chí phát biểu.</figcaption>" in html
    assert '<img src="https://example.vn/ngoai.jpg" alt="Ảnh ngoài">' in html
    assert list(article.body_images.all()) == [image]


def test_later_body_images_load_lazily(site_settings):
    first = image_upload(upload(image_bytes()), alt_text="Một")
    second = image_upload(upload(image_bytes(color=(0, 0, 0))), alt_text="Hai")
    article = make_article(
        body=f'<img src="{first.file.url}" alt="1"><p>…</p><img src="{second.file.url}" alt="2">'
    )
    pictures = re.findall(r"<picture>.*?</picture>", article.body_html)
    assert 'loading="lazy"' not in pictures[0]
    assert 'loading="lazy"' in pictures[1]


def test_document_links_say_type_and_size(site_settings):
    document = make_document(title="Quyết định")
    article = make_article(
        body=f'<p>Xem <a href="{document.get_absolute_url()}">quyết định</a>.</p>'
    )
    assert f'quyết định</a> <span class="document-meta">(PDF, {len(PDF)}\xa0byte)</span>' in (
        article.body_html
    )


def test_document_size_is_written_the_vietnamese_way():
    document = make_document(title="Báo cáo")
    document.file_size = 1_258_291
    assert document.type_and_size == "PDF, 1,2\xa0MB"  # never broken across lines


def test_article_page_with_cover_and_gallery_has_a_pinned_query_count(
    client, site_settings, settings, django_assert_num_queries
):
    images = [
        image_upload(
            upload(image_bytes(color=(40 * i, 90, 90))),
            alt_text=f"Ảnh {i}",
            default_caption=f"Chú thích {i}",
        )
        for i in range(4)
    ]
    article = make_article(cover_image=images[0])
    for order, image in enumerate(images[1:]):
        GalleryItem.objects.create(article=article, image=image, order=order)
    GalleryItem.objects.filter(image=images[1]).update(caption="Chú thích riêng của bài")
    for n in range(3):
        make_article(title=f"Tin khác {n}", cover_image=images[n])
    client.get("/")  # warm the site settings cache
    # Rendering the page's <article> element: the article with category and
    # cover; its body; its tags; its award decisions; gallery items with
    # their images; storing the element; Tin khác. Image rows list their
    # renditions, so the photos cost no query of their own.
    with django_assert_num_queries(7):
        rendered = client.get(article.get_absolute_url())
    # Then the stored element: the article row and Tin khác.
    with django_assert_num_queries(2):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert html == rendered.content.decode()
    assert html.count("<picture>") == 3  # the gallery; the cover is for lists and sharing
    assert "Chú thích riêng của bài" in html and "Chú thích 2" in html
    og = re.search(r'property="og:image" content="([^"]+)"', html).group(1)
    # The share image is absolute, on SITE_URL: an 800-px original gives an 800-px JPEG.
    assert og == f"{settings.SITE_URL}{images[0].rendition(1200, 'jpeg').url}"
    assert og.endswith("-800w.jpg")


def test_front_page_query_count_does_not_grow_with_articles(client, site_settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def front_page_queries():
        client.get("/")  # warm the site settings and sections caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/").content.decode()
        return len(queries), html

    def add(n, offset):
        for i in range(n):
            image = image_upload(
                upload(image_bytes(color=(20 * i + offset, 9, 9))), alt_text=f"Ảnh {i}"
            )
            make_article(
                title=f"Tin {offset}-{i}", cover_image=image, featured_order=i if i < 2 else None
            )

    add(3, 1)
    few, html = front_page_queries()
    add(6, 100)
    many, html = front_page_queries()
    # Featured, their covers, latest, the section blocks, their covers, the
    # sections, the most read.
    assert few == many <= 7
    assert "<picture>" in html and 'loading="lazy"' in html


def test_demo_content_renders_with_its_library_photos(client):
    from io import StringIO

    call_command("load_demo", stdout=StringIO())
    seed = Article.objects.get(author_byline="Hoàng Tùng", body_html__contains="<picture>")
    html = client.get(seed.get_absolute_url()).content.decode()
    assert html.count("<picture>") == 3
    assert "Trao Giấy khen cho các cá nhân." in html
