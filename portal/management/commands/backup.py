"""python manage.py backup OUTPUT_DIR: the database and every stored file, with checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cổng vào OUTPUT_DIR (mới hoặc trống): cơ sở dữ liệu (pg_dump), "
        "ảnh, văn bản, mã QR, và manifest.json với mã SHA-256 của từng tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument("output_dir", type=Path)

    def handle(self, *args, output_dir, **options):
        try:
            summary = backup(output_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output_dir}: database {summary.database_bytes:,} bytes, "
                f"{summary.files} stored files ({summary.files_bytes:,} bytes)."
            )
        )
