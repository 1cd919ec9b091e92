"""Staff sign in through the admin and land in it, whatever ``next`` says."""

import re

import pytest
from django.contrib.auth.views import redirect_to_login
from django.test import Client

from portal.roles import EDITOR
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/quan-tri/login/"


def log_in(client, **extra):
    user = make_user(EDITOR, username="bientap")
    return client.post(LOGIN, {"username": user.username, "password": "mat-khau-dai-123", **extra})


@pytest.mark.parametrize(
    "next_field",
    [
        {},
        {"next": ""},
        {"next": "https://evil.example/quan-tri/"},
        {"next": "//evil.example/"},
        {"next": "javascript:alert(1)"},
    ],
    ids=["none", "empty", "another site", "scheme-relative", "javascript"],
)
def test_a_login_without_a_usable_next_lands_on_the_admin(client, next_field):
    response = log_in(client, **next_field)
    assert response.status_code == 302
    assert response["Location"] == "/quan-tri/"
    assert client.get(response["Location"]).status_code == 200


def test_a_login_form_opened_with_an_off_site_next_lands_on_the_admin():
    """As a browser does it: the form, then its fields posted back."""
    client = Client()
    form = client.get(f"{LOGIN}?next=https://evil.example/").content.decode()
    carried = re.search(r'name="next" value="([^"]*)"', form).group(1)
    assert carried == ""  # Django drops the off-site address
    response = log_in(client, next=carried)
    assert response["Location"] == "/quan-tri/"


def test_a_login_keeps_a_next_inside_the_admin(client):
    response = log_in(client, next="/quan-tri/news/article/")
    assert response["Location"] == "/quan-tri/news/article/"


def test_a_page_that_needs_a_login_sends_to_the_admin_login():
    assert redirect_to_login("/quan-tri/news/")["Location"].startswith(f"{LOGIN}?next=")
