"""Editors' redirects go to a path on the portal or an http(s) address, nowhere else."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db

ADD = "/quan-tri/redirects/redirect/add/"

UNSAFE_TARGETS = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript\u200b:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://files.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "https:///evil.example",
    "tin-tuc/cang-hai-phong-42/",
]
SAFE_TARGETS = [
    "/tin-tuc/cang-hai-phong-42/",
    "/tim-kiem/?q=c%E1%BA%A7u",
    "https://haiphong.gov.vn/",
    "HTTP://example.vn/a?b=c",
    "",  # the old address answers 410 Gone
]
BAD_OLD_PATHS = [
    "tin-cu/cang.html",
    "https://tintuc.example.vn/tin-cu/",
    "//evil.example/",
    "/tin cu/",
    "/tin-\tcu/",
    "/tin-cu/#doan-2",
]


@pytest.fixture
def admin_client(client):
    client.force_login(
        get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-dai")
    )
    return client


def add(client, old_path="/tin-cu/cang.html", new_path="/tin-tuc/cang-hai-phong-42/"):
    return client.post(
        ADD, {"site": Site.objects.get_current().pk, "old_path": old_path, "new_path": new_path}
    )


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_the_admin_refuses_a_target_that_is_not_a_path_or_an_http_address(admin_client, target):
    response = add(admin_client, new_path=target)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chỉ chuyển hướng tới một đường dẫn trong cổng" in html or (
        "không được chứa khoảng trắng, ký tự điều khiển" in html
    )
    assert not Redirect.objects.exists()


@pytest.mark.parametrize("target", SAFE_TARGETS)
def test_the_admin_saves_a_path_or_an_http_address(admin_client, target):
    assert add(admin_client, new_path=target).status_code == 302
    assert Redirect.objects.get().new_path == target


@pytest.mark.parametrize("old_path", BAD_OLD_PATHS)
def test_the_admin_refuses_an_old_path_that_is_not_a_path(admin_client, old_path):
    response = add(admin_client, old_path=old_path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đường dẫn cũ phải là một đường dẫn trong cổng" in html or (
        "không được chứa khoảng trắng, ký tự điều khiển" in html
    )
    assert not Redirect.objects.exists()


def test_the_admin_saves_an_old_path_with_a_query(admin_client):
    assert add(admin_client, old_path="/tin-cu/?id=5").status_code == 302


@pytest.mark.parametrize("target", [t for t in UNSAFE_TARGETS if t.strip()])
def test_a_row_already_in_the_database_with_an_unsafe_target_is_not_followed(
    client, site_settings, target, caplog
):
    Redirect.objects.create(site=Site.objects.get_current(), old_path="/tin-cu/", new_path=target)
    with caplog.at_level("WARNING", logger="portal.redirects"):
        response = client.get("/tin-cu/")
    assert response.status_code == 404
    assert "Location" not in response
    assert any("not followed" in record.getMessage() for record in caplog.records)


def test_safe_rows_are_followed_and_an_empty_target_is_gone(client, site_settings):
    site = Site.objects.get_current()
    Redirect.objects.create(site=site, old_path="/tin-cu/", new_path="https://haiphong.gov.vn/")
    Redirect.objects.create(site=site, old_path="/tin-bo/", new_path="")
    response = client.get("/tin-cu/")
    assert response.status_code == 301 and response["Location"] == "https://haiphong.gov.vn/"
    assert client.get("/tin-bo/").status_code == 410


def test_the_list_marks_rows_whose_target_is_not_followed(admin_client):
    site = Site.objects.get_current()
    Redirect.objects.create(site=site, old_path="/tin-cu/", new_path="//evil.example/")
    html = admin_client.get("/quan-tri/redirects/redirect/").content.decode()
    assert "Đích hợp lệ" in html and 'alt="False"' in html
