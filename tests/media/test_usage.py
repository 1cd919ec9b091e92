"""Images and documents in use cannot be deleted; the admin says where they are used."""

import pytest
from django.core.files.storage import default_storage
from django.db.models import ProtectedError

from media.models import Document, Image
from media.services import document_create, document_prepare, image_delete, image_upload
from news.models import GalleryItem
from tests.factories import make_article
from tests.media.images import PDF, image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return image_upload(upload(image_bytes()), title="Hội nghị", alt_text="Quang cảnh hội nghị")


def test_an_unused_image_is_deleted_with_its_files(image):
    names = [image.file.name, *(r.file.name for r in image.renditions.all())]
    image_delete(image)
    assert not Image.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.parametrize("use", ["cover", "gallery", "body"])
def test_an_image_in_use_cannot_be_deleted(image, use):
    if use == "cover":
        make_article(cover_image=image)
    elif use == "gallery":
        GalleryItem.objects.create(article=make_article(), image=image)
    else:
        make_article(body=f'<p><img src="{image.file.url}" alt="Ảnh"></p>')
    with pytest.raises(ProtectedError):
        image_delete(image)
    assert Image.objects.filter(pk=image.pk).exists()
    assert default_storage.exists(image.file.name)


def test_admin_refuses_to_delete_an_image_in_use_and_lists_where(admin_client, image):
    make_article(title="Bài có ảnh đại diện", cover_image=image)
    make_article(title="Bài có ảnh trong nội dung", body=f'<img src="{image.file.url}" alt="a">')
    response = admin_client.post(f"/quan-tri/media/image/{image.pk}/delete/", {"post": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bài có ảnh đại diện" in html and "Bài có ảnh trong nội dung" in html
    assert Image.objects.filter(pk=image.pk).exists()


def test_admin_list_says_in_how_many_articles_each_image_is_used(admin_client, image):
    unused = image_upload(upload(image_bytes(color=(1, 2, 3))), title="Ảnh chưa dùng")
    article = make_article(cover_image=image)
    GalleryItem.objects.create(article=article, image=image)  # same article: counted once
    make_article(title="Khác", body=f'<img src="{image.file.url}" alt="a">')
    response = admin_client.get("/quan-tri/media/image/")
    html = response.content.decode()
    assert "Dùng trong 2 bài" in html
    assert "Chưa dùng" in html
    images = {i.pk: i for i in response.context["cl"].result_list}
    assert images[image.pk].usage_count == 2
    assert images[unused.pk].usage_count == 0


def test_a_document_linked_from_an_article_cannot_be_deleted(admin_client):
    data, clean = document_prepare(upload(PDF, "qd.pdf", "application/pdf"))
    document = document_create(data=data, clean=clean, original_name="qd.pdf", title="Quyết định")
    make_article(body=f'<p><a href="{document.get_absolute_url()}">Quyết định</a></p>')
    with pytest.raises(ProtectedError):
        document.delete()
    response = admin_client.get("/quan-tri/media/document/")
    assert "Dùng trong 1 bài" in response.content.decode()
    assert Document.objects.count() == 1
