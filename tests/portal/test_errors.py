"""What a reader sees when something fails on the server."""

import pytest
from django.db import OperationalError
from django.test import Client

from news.views import HomeView

pytestmark = pytest.mark.django_db


def test_an_unreachable_database_gives_a_vietnamese_503_page(site_settings, monkeypatch):
    def database_down(self, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(HomeView, "get_context_data", database_down)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "tạm thời gián đoạn" in html and "Traceback" not in html
    assert '<html lang="vi">' in html


def test_any_other_failure_gives_the_vietnamese_500_page(site_settings, monkeypatch):
    def broken(self, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(HomeView, "get_context_data", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()
