"""Brute force on the admin login (django-axes): the username and address pair is locked."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

LOGIN = "/quan-tri/login/"


@pytest.fixture(autouse=True)
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    get_user_model().objects.create_user(
        "bientap", password="mat-khau-dai-123", is_staff=True, is_superuser=True
    )
    get_user_model().objects.create_user("phongvien", password="mat-khau-khac-456", is_staff=True)


def attempt(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/quan-tri/"},
        REMOTE_ADDR=address,
        **headers,
    )


def test_repeated_failures_lock_that_username_from_that_address(client, caplog):
    with caplog.at_level("INFO"):
        for _ in range(2):
            assert attempt(client, "bientap", "sai-mat-khau").status_code == 200
        locked = attempt(client, "bientap", "sai-mat-khau")
        assert locked.status_code == 429
        html = locked.content.decode()
        assert "Tạm khóa đăng nhập" in html and "15 phút" in html
        # Even the right password is refused now, from that address.
        assert attempt(client, "bientap", "mat-khau-dai-123").status_code == 429
    assert any("locking out" in r.getMessage().lower() for r in caplog.records)


def test_the_lock_spares_other_editors_and_the_same_editor_elsewhere(client):
    for _ in range(3):
        attempt(client, "bientap", "sai-mat-khau")
    # A colleague behind the same newsroom address still gets in...
    assert attempt(client, "phongvien", "mat-khau-khac-456").status_code == 302
    client.logout()
    # ...and so does the locked editor from another address.
    assert attempt(client, "bientap", "mat-khau-dai-123", address="198.51.100.4").status_code == 302


def test_a_forged_forwarded_header_is_not_believed_without_a_trusted_proxy(client):
    for n in range(3):
        attempt(client, "bientap", "sai-mat-khau", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = attempt(client, "bientap", "mat-khau-dai-123", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The proxy appends the address it received the request from; anything
    # to its left came from the client and changes nothing.
    for n in range(3):
        attempt(
            client,
            "bientap",
            "sai-mat-khau",
            proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.9",
        )
    locked = attempt(
        client, "bientap", "mat-khau-dai-123", proxy, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert locked.status_code == 429
    # Another reader behind the same proxy is a different client.
    other = attempt(
        client, "bientap", "mat-khau-dai-123", proxy, HTTP_X_FORWARDED_FOR="198.51.100.10"
    )
    assert other.status_code == 302


def test_client_address_ignores_what_it_cannot_trust(rf, settings):
    from portal.http import client_address

    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip, ::1, 203.0.113.5"
    )
    assert client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "::1"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_address(request) == "10.0.0.2"  # malformed entry
    settings.TRUSTED_PROXY_COUNT = 5
    assert client_address(request) == "10.0.0.2"  # fewer entries than proxies


def test_the_lock_ends_after_the_cooling_off_period_and_success_is_logged(client, settings, caplog):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    for _ in range(3):
        attempt(client, "bientap", "sai-mat-khau")
    assert attempt(client, "bientap", "mat-khau-dai-123").status_code == 429
    time.sleep(1.2)
    with caplog.at_level("INFO"):
        assert attempt(client, "bientap", "mat-khau-dai-123").status_code == 302
    assert any("successful login" in r.getMessage().lower() for r in caplog.records)
