"""Create the first administrator, once, with a random password printed a single time.

Does nothing when any superuser exists, so ``make run`` can call it every time.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse


class Command(BaseCommand):
    help = "Tạo tài khoản quản trị đầu tiên (chỉ khi chưa có) và in mật khẩu một lần."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            if options["verbosity"] > 1:
                self.stdout.write("An administrator already exists; nothing to do.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.WARNING(
                "\nĐã tạo tài khoản quản trị (mật khẩu chỉ in một lần, hãy lưu lại):\n"
                f"  Tên đăng nhập: {username}\n  Mật khẩu:      {password}\n"
                f"  Đăng nhập tại: {settings.SITE_URL}{reverse('admin:index')}\n"
            )
        )
