"""Counting page views without writing to the database on each view.

A view adds one to a counter in the cache; ``flush_view_counts`` (run it
every few minutes) moves the counters into ``ArticleViewCount`` with one
statement per article. Counts may lag by one flush; none is written twice.
"""

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

PENDING_IDS = "news:views:pending"


def _key(article_id: int) -> str:
    return f"news:views:{article_id}"


def record_view(article_id: int) -> None:
    key = _key(article_id)
    if cache.add(key, 1, timeout=None):
        # First view since the last flush: remember which counter to read.
        pending = cache.get(PENDING_IDS) or set()
        pending.add(article_id)
        cache.set(PENDING_IDS, pending, timeout=None)
    else:
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=None)


def flush_view_counts() -> int:
    """Add the cached counters to today's rows; return how many views were written."""
    pending = cache.get(PENDING_IDS) or set()
    if not pending:
        return 0
    cache.delete(PENDING_IDS)
    counts = {}
    for article_id in pending:
        key = _key(article_id)
        value = cache.get(key)
        if value:
            cache.decr(key, value)  # views arriving meanwhile stay counted
            counts[article_id] = value
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        for article_id, value in counts.items():
            cursor.execute(
                "INSERT INTO news_articleviewcount (article_id, day, views) "
                "SELECT %s, %s, %s WHERE EXISTS (SELECT 1 FROM news_article WHERE id = %s) "
                "ON CONFLICT (article_id, day) DO UPDATE "
                "SET views = news_articleviewcount.views + EXCLUDED.views",
                [article_id, today, value, article_id],
            )
    # Views that arrived during the flush wait for the next one; counters
    # back at zero are dropped, so the next view starts them afresh.
    waiting = {article_id for article_id in counts if cache.get(_key(article_id))}
    cache.delete_many([_key(article_id) for article_id in counts.keys() - waiting])
    if waiting:
        cache.set(PENDING_IDS, (cache.get(PENDING_IDS) or set()) | waiting, timeout=None)
    return sum(counts.values())
