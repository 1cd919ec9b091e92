"""Delete for good the articles that have been in the trash for 30 days or more."""

from django.core.management.base import BaseCommand

from news.models import Article
from news.services import TRASH_DAYS, trash_purge_expired


class Command(BaseCommand):
    help = "Xóa vĩnh viễn các bài đã nằm trong thùng rác quá 30 ngày."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=TRASH_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days, dry_run=False, **options):
        if dry_run:
            from datetime import timedelta

            from django.utils import timezone

            count = Article.objects.filter(
                deleted_at__lt=timezone.now() - timedelta(days=days)
            ).count()
            self.stdout.write(f"Would delete {count} articles.")
            return
        self.stdout.write(f"Deleted {trash_purge_expired(days=days)} articles.")
