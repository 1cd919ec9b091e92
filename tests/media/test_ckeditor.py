"""The editor's own upload and browse endpoints."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from media.models import Image
from media.services import image_upload
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db

UPLOAD = "/quan-tri/media/image/ckeditor/tai-len/"
BROWSE = "/quan-tri/media/image/ckeditor/chon/"


def staff(*permissions, csrf_checks=False):
    user = get_user_model().objects.create_user(
        "pv", "pv@example.vn", "mat-khau-dai", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    client = Client(enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    return client, user


def test_upload_returns_the_json_ckeditor_expects():
    client, user = staff("add_image", "view_image")
    response = client.post(UPLOAD, {"upload": upload(image_bytes(), "Hội nghị.jpg")})
    assert response.status_code == 200
    payload = response.json()
    image = Image.objects.get()
    assert payload == {
        "uploaded": 1,
        "fileName": image.file.name.rsplit("/", 1)[-1],
        "url": image.file.url,
    }
    assert image.uploaded_by == user
    assert image.renditions.count() >= 6


def test_a_refused_upload_answers_400_with_the_reason_and_stores_nothing():
    client, _user = staff("add_image")
    evil = upload(b"<svg onload=alert(1)></svg>", "x.jpg")
    response = client.post(UPLOAD, {"upload": evil})
    assert response.status_code == 400
    assert response.json()["uploaded"] == 0
    assert "SVG" in response.json()["error"]["message"]
    assert not Image.objects.exists()


def test_a_duplicate_upload_offers_the_existing_image():
    client, _user = staff("add_image")
    existing = image_upload(upload(image_bytes()), title="Đã có")
    response = client.post(UPLOAD, {"upload": upload(image_bytes(), "lai.jpg")})
    assert response.json()["url"] == existing.file.url
    assert "đã có trong thư viện" in response.json()["error"]["message"]
    assert Image.objects.count() == 1


def test_upload_needs_the_csrf_token():
    client, _user = staff("add_image", csrf_checks=True)
    response = client.post(UPLOAD, {"upload": upload(image_bytes())})
    assert response.status_code == 403
    assert not Image.objects.exists()
    client.get("/quan-tri/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        UPLOAD, {"upload": upload(image_bytes())}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_upload_needs_the_media_permission_and_a_login():
    client, _user = staff("view_image")
    assert client.post(UPLOAD, {"upload": upload(image_bytes())}).status_code == 403
    anonymous = Client().post(UPLOAD, {"upload": upload(image_bytes())})
    assert anonymous.status_code == 302 and "/quan-tri/login/" in anonymous["Location"]
    assert not Image.objects.exists()


def test_upload_takes_only_post():
    client, _user = staff("add_image")
    assert client.get(UPLOAD).status_code == 405


def test_browse_lists_the_library_and_never_echoes_the_request():
    client, _user = staff("view_image")
    image_upload(upload(image_bytes()), title="Hồng Bàng", alt_text="Hội nghị")
    image_upload(upload(image_bytes(color=(0, 0, 0))), title="Lê Chân")
    response = client.get(BROWSE, {"CKEditorFuncNum": "1", "q": "hong bang"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hồng Bàng" in html and "Lê Chân" not in html  # accent-insensitive search
    assert 'data-func-num="1"' in html
    hostile = client.get(BROWSE, {"CKEditorFuncNum": '1);alert("x");//'})
    body = hostile.content.decode()
    assert 'data-func-num=""' in body
    assert "alert" not in body


def test_ckeditor_is_configured_with_our_endpoints():
    from django.conf import settings
    from django.urls import reverse

    config = settings.CKEDITOR_CONFIGS["default"]
    assert str(config["uploadUrl"]) == UPLOAD == reverse("admin:media_image_ckeditor_upload")
    assert config["filebrowserUploadMethod"] == "xhr"
    assert str(config["filebrowserImageBrowseUrl"]) == BROWSE
    assert (
        json.dumps(str(config["filebrowserBrowseUrl"]))
        == '"/quan-tri/media/document/ckeditor/chon/"'
    )
