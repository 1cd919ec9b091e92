"""Record scheduled articles that have gone live, and report any still waiting.

Nothing depends on this command: ``Article.objects.published()`` compares
with the current time, so a scheduled article is public at its minute
whether or not this runs. Run it from cron (say every five minutes) for
what should happen at that moment: an audit entry per article, and its
words in the search dictionary (otherwise added by the nightly
``rebuild_search_terms``). Pages need nothing from it: the page cache
notices a scheduled article's minute by itself.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from news.models import Article, ArticleEvent, SearchTerm

# Articles that went live longer ago than this were recorded by an earlier run
# (or are too old to matter): do not scan them again.
LOOKBACK = timedelta(days=7)


class Command(BaseCommand):
    help = "Ghi nhận các bài hẹn giờ đã đến giờ xuất bản và báo các bài đang chờ."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report only.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        candidates = (
            Article.objects.published()
            .filter(events__action=ArticleEvent.Action.SCHEDULED, published_at__gte=now - LOOKBACK)
            .distinct()
            .prefetch_related("events")
        )
        recorded = 0
        with transaction.atomic():
            for article in candidates:
                latest = article.events.all()[0]  # events are ordered newest first
                if latest.action != ArticleEvent.Action.SCHEDULED:
                    continue  # already recorded, or published again by hand
                delay = now - article.published_at
                self.stdout.write(
                    f"went live: {article.pk} {article.title} "
                    f"({int(delay.total_seconds() // 60)} min ago)"
                )
                if not dry_run:
                    ArticleEvent.objects.create(
                        article=article,
                        action=ArticleEvent.Action.WENT_LIVE,
                        at=article.published_at,
                    )
                    article.build_qr_image()
                    SearchTerm.objects.record(
                        article.title, article.lead, article.body_text, article.author_byline
                    )
                recorded += 1
        waiting = Article.objects.scheduled().order_by("published_at")
        for article in waiting:
            when = timezone.localtime(article.published_at).strftime("%H:%M %d/%m/%Y")
            self.stdout.write(f"scheduled: {article.pk} at {when}: {article.title}")
        self.stdout.write(
            f"{recorded} went live since the last run; {waiting.count()} still scheduled."
        )
