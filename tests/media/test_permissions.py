"""Who may change a library photo's description: a reporter only their own
photos that no public page shows yet; editors and administrators any photo."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from media.models import Image
from media.permissions import can_change_image
from media.services import image_upload
from news.models import Article, GalleryItem
from portal.roles import ADMINISTRATOR, EDITOR, REPORTER
from tests.factories import make_article, make_organization, make_user
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Tiêu đề đổi",
    "alt_text": "Mô tả đổi",
    "default_caption": "Chú thích đổi",
    "credit": "Nguồn đổi",
}


@pytest.fixture
def users():
    return {
        "reporter": make_user(REPORTER, "phongvien"),
        "other_reporter": make_user(REPORTER, "phongvien2"),
        "editor": make_user(EDITOR, "bientap"),
        "admin": make_user(ADMINISTRATOR, "quantri"),
    }


def photo(uploader, color=(10, 20, 30)):
    return image_upload(
        upload(image_bytes(color=color)),
        user=uploader,
        title="Hội nghị",
        alt_text="Quang cảnh",
        default_caption="Chú thích gốc",
        credit="Minh Anh",
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def change(user, image):
    return client_for(user).post(f"/quan-tri/media/image/{image.pk}/change/", NEW)


def unchanged(image) -> bool:
    image.refresh_from_db()
    return (image.title, image.alt_text, image.default_caption, image.credit) == (
        "Hội nghị",
        "Quang cảnh",
        "Chú thích gốc",
        "Minh Anh",
    )


def use(image, how):
    if how == "cover":
        make_article(cover_image=image)
    elif how == "gallery":
        GalleryItem.objects.create(article=make_article(), image=image)
    elif how == "body":
        make_article(body=f'<p><img src="{image.file.url}" alt="Ảnh"></p>')
    elif how == "scheduled":
        make_article(cover_image=image, published_at=timezone.now() + timedelta(days=1))
    elif how == "logo":
        make_organization(logo=image)
    elif how == "draft":
        make_article(cover_image=image, status=Article.Status.DRAFT)
    elif how == "unpublished":
        make_article(cover_image=image, status=Article.Status.UNPUBLISHED)
    elif how == "trashed":
        make_article(cover_image=image, deleted_at=timezone.now())


def test_a_reporter_changes_their_own_photo_while_no_public_page_shows_it(users):
    image = photo(users["reporter"])
    use(image, "draft")
    response = change(users["reporter"], image)
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt_text, image.default_caption, image.credit) == (
        "Mô tả đổi",
        "Chú thích đổi",
        "Nguồn đổi",
    )


@pytest.mark.parametrize("how", ["draft", "unpublished", "trashed"])
def test_uses_readers_cannot_see_leave_the_photo_to_its_reporter(users, how):
    image = photo(users["reporter"])
    use(image, how)
    assert change(users["reporter"], image).status_code == 302
    assert not unchanged(image)


@pytest.mark.parametrize("how", ["cover", "gallery", "body", "scheduled", "logo"])
def test_a_reporter_cannot_change_their_photo_once_the_public_sees_it(users, how):
    image = photo(users["reporter"])
    use(image, how)
    assert change(users["reporter"], image).status_code == 403
    assert unchanged(image)
    assert not can_change_image(users["reporter"], image)


def test_a_reporter_cannot_change_another_reporters_photo(users):
    image = photo(users["other_reporter"])
    assert change(users["reporter"], image).status_code == 403
    assert unchanged(image)


def test_a_photo_of_unknown_uploader_is_left_to_editors(users):
    image = photo(None)
    assert image.uploaded_by is None
    assert change(users["reporter"], image).status_code == 403
    assert unchanged(image)
    assert change(users["editor"], image).status_code == 302
    assert not unchanged(image)


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_administrators_change_any_photo_even_in_a_published_article(users, role):
    image = photo(users["reporter"])
    use(image, "cover")
    assert change(users[role], image).status_code == 302
    assert not unchanged(image)


def test_a_reporter_sees_a_photo_they_may_not_change_read_only(users):
    image = photo(users["other_reporter"])
    use(image, "cover")
    response = client_for(users["reporter"]).get(f"/quan-tri/media/image/{image.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chú thích gốc" in html and "Minh Anh" in html
    assert 'name="credit"' not in html and 'name="_save"' not in html
    assert "Bạn chỉ xem được ảnh này" in html
    own = photo(users["reporter"], color=(200, 0, 0))
    html = client_for(users["reporter"]).get(f"/quan-tri/media/image/{own.pk}/change/")
    assert 'name="credit"' in html.content.decode()
    assert "Bạn chỉ xem được ảnh này" not in html.content.decode()


def test_the_photo_list_offers_reporters_no_way_around_the_rule(users):
    """No list edits or bulk actions that write a photo's description."""
    from django.contrib import admin

    model_admin = admin.site._registry[Image]
    assert not model_admin.list_editable
    response = client_for(users["reporter"]).get("/quan-tri/media/image/")
    assert response.status_code == 200
    actions = (
        response.context["action_form"].fields["action"].choices
        if response.context.get("action_form")
        else []
    )
    assert [name for name, _label in actions if name] == []


def test_a_draft_does_not_give_a_public_photo_its_alt_text(users):
    """The body's alt text fills an empty library description only for a photo no
    other public page shows: otherwise a reporter's draft would change it."""
    shown = photo(users["editor"], color=(200, 10, 10))
    Image.objects.filter(pk=shown.pk).update(alt_text="")
    organization = make_organization("Sở Văn hóa")
    organization.logo = shown
    organization.save()
    fresh = photo(users["reporter"], color=(10, 200, 10))
    Image.objects.filter(pk=fresh.pk).update(alt_text="")
    body = "".join(
        f'<p><img src="{image.file.url}" alt="Chữ của phóng viên"></p>' for image in (shown, fresh)
    )
    make_article(body=body, status=Article.Status.DRAFT, published_at=None)
    shown.refresh_from_db()
    fresh.refresh_from_db()
    assert shown.alt_text == ""
    assert fresh.alt_text == "Chữ của phóng viên"
