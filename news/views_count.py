"""Counting page views without writing to the database on each view.

Each server process adds views up in memory and, every few seconds, adds
them to counters in the shared cache (one round trip per article then, none
per view: a cached page costs one cache lookup, like any other request).
``flush_view_counts`` (run it every few minutes) moves the cache's counters
into ``ArticleViewCount`` with one statement per article. Counts may lag by
a few seconds and one flush; none is written twice. A process that dies
loses the views of its last few seconds.
"""

import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

PENDING_IDS = "news:views:pending"

_buffer: Counter = Counter()
_buffer_lock = threading.Lock()
_last_push = time.monotonic()


def _key(article_id: int) -> str:
    return f"news:views:{article_id}"


def record_view(article_id: int) -> None:
    global _last_push
    with _buffer_lock:
        _buffer[article_id] += 1
        due = time.monotonic() - _last_push >= settings.VIEW_COUNT_PUSH_SECONDS
        if due:
            _last_push = time.monotonic()
    if due:
        push_views()


def push_views() -> None:
    """Add this process's buffered views to the shared counters."""
    with _buffer_lock:
        views = dict(_buffer)
        _buffer.clear()
    new = set()
    for article_id, count in views.items():
        key = _key(article_id)
        if cache.add(key, count, timeout=None):
            new.add(article_id)  # first views since the last flush
            continue
        try:
            cache.incr(key, count)
        except ValueError:  # flushed between add and incr
            cache.add(key, count, timeout=None)
            new.add(article_id)
    if new:
        # Remember which counters the next flush has to read.
        cache.set(PENDING_IDS, (cache.get(PENDING_IDS) or set()) | new, timeout=None)


def flush_view_counts() -> int:
    """Add the cached counters to today's rows; return how many views were written."""
    push_views()  # this process's own, when the command runs in a server process
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
