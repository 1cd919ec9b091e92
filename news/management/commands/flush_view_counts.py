"""Write the page-view counters kept in the cache to the database (run every few minutes)."""

from django.core.management.base import BaseCommand

from news.views_count import flush_view_counts


class Command(BaseCommand):
    help = "Ghi số lượt xem đang đếm trong bộ nhớ đệm vào cơ sở dữ liệu."

    def handle(self, *args, **options):
        self.stdout.write(f"Wrote {flush_view_counts()} views.")
