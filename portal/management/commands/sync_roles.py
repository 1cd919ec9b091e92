"""Make the role groups (Phóng viên, Biên tập viên, Quản trị) match portal/roles.py."""

from django.core.management.base import BaseCommand

from portal.roles import sync_roles


class Command(BaseCommand):
    help = "Đồng bộ các nhóm quyền Phóng viên, Biên tập viên, Quản trị."

    def handle(self, *args, **options):
        for name, count in sync_roles().items():
            self.stdout.write(f"{name}: {count} permissions")
