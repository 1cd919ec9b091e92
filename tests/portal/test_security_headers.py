"""Headers every response carries, and staff sessions that end when left idle."""

import time

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_public_and_admin_pages_send_the_security_headers(client, site_settings):
    for url in ("/", "/quan-tri/login/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert "frame-ancestors 'none'" in client.get("/")["Content-Security-Policy"]


def test_the_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_a_staff_session_ends_after_the_idle_time(client, settings):
    settings.SESSION_COOKIE_AGE = 1
    get_user_model().objects.create_superuser("bientap", "bt@example.vn", "mat-khau-dai-123")
    assert client.login(username="bientap", password="mat-khau-dai-123")
    assert client.get("/quan-tri/").status_code == 200
    time.sleep(1.5)
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]
