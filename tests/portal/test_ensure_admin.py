from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_creates_one_administrator_and_prints_its_password_once():
    first, second = StringIO(), StringIO()
    call_command("ensure_admin", stdout=first)
    call_command("ensure_admin", stdout=second)
    users = get_user_model().objects.filter(is_superuser=True)
    assert users.count() == 1
    password = first.getvalue().split("Mật khẩu:")[1].split()[0]
    assert users.get().check_password(password)
    assert len(password) >= 16
    assert "Mật khẩu" not in second.getvalue()


def test_prints_the_admin_address_on_site_url(settings):
    settings.SITE_URL = "https://tintuc.haiphong.gov.vn"
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "Đăng nhập tại: https://tintuc.haiphong.gov.vn/quan-tri/\n" in out.getvalue()
    assert "127.0.0.1" not in out.getvalue()
