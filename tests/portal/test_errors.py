"""What a reader sees when something fails on the server."""

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connections
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


@pytest.mark.parametrize(
    ("error", "usable", "status"),
    [
        # psycopg2 reports a connection cut mid-result as a bare DatabaseError.
        (DatabaseError("error with status PGRES_TUPLES_OK and no message"), False, 503),
        (DatabaseError("something else"), True, 500),
        (IntegrityError("duplicate key value"), False, 500),
    ],
    ids=["cut-connection", "database-fine", "not-a-connection-error"],
)
def test_a_database_error_is_a_503_only_when_the_database_is_gone(
    site_settings, monkeypatch, error, usable, status
):
    def failing(self, **kwargs):
        raise error

    monkeypatch.setattr(HomeView, "get_context_data", failing)
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: usable)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == status
