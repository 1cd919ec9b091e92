"""python manage.py restore BACKUP_DIR: a backup into an empty database and storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (của lệnh backup) vào cơ sở dữ liệu trống và kho tệp "
        "trống. Kiểm tra mã SHA-256 trước khi thay đổi bất cứ điều gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_dir", type=Path)

    def handle(self, *args, backup_dir, **options):
        try:
            summary = restore(backup_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {backup_dir}: database and {summary.files} stored files. "
                "Run `python manage.py migrate` if this code is newer than the backup."
            )
        )
