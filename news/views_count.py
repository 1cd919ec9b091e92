"""Counting page views without writing to the database on each view.

A reader counts once per article in ``VIEW_COUNT_WINDOW_SECONDS``: reloading
or scripting requests from one address adds nothing more. A reader is the
client's address as ``portal.http.client_address`` finds it behind the
portal's own proxies (an IPv6 client by its /64 network, which one
subscriber usually holds whole). HEAD requests, prefetches and crawlers that
name themselves are not readers.

Each server process keeps the readers it has seen in memory and, every few
seconds, asks the shared cache which of them are new for their article (one
round trip for all, with a Redis cache; none per view: a cached page costs
one cache lookup, like any other request), adding those to counters there.
``flush_view_counts`` (run it every few minutes) moves the cache's counters
into ``ArticleViewCount`` with one statement per article. Counts may lag by
a few seconds and one flush; none is written twice. A process that dies
loses the views of its last few seconds.
"""

import ipaddress
import re
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from portal.http import client_address

PENDING_IDS = "news:views:pending"

# (article id, reader) seen by this process since its last push.
_buffer: set[tuple[int, str]] = set()
_buffer_lock = threading.Lock()
_last_push = time.monotonic()

# Crawlers, link previews and headless browsers that say what they are.
ROBOT = re.compile(r"bot|crawl|spider|slurp|facebookexternalhit|preview|headless", re.IGNORECASE)


def _key(article_id: int) -> str:
    return f"news:views:{article_id}"


def _seen_key(article_id: int, reader: str) -> str:
    return f"news:viewed:{article_id}:{reader}"


def is_reader(request) -> bool:
    """Whether ``request`` is someone reading the page (not a HEAD, a
    prefetch or a crawler that names itself)."""
    headers = request.headers
    purpose = " ".join(
        headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")
    ).lower()
    return (
        request.method == "GET"
        and "prefetch" not in purpose
        and "preview" not in purpose
        and not ROBOT.search(headers.get("User-Agent", ""))
    )


def reader(request) -> str:
    """Who is reading, for counting a view once: the client's address, or
    its /64 network for IPv6."""
    address = client_address(request) or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def record_view(article_id: int, request) -> None:
    global _last_push
    if not is_reader(request):
        return
    with _buffer_lock:
        _buffer.add((article_id, reader(request)))
        due = time.monotonic() - _last_push >= settings.VIEW_COUNT_PUSH_SECONDS
        if due:
            _last_push = time.monotonic()
    if due:
        push_views()


def _first_views(seen: set[tuple[int, str]]) -> list[tuple[int, str]]:
    """The views in ``seen`` whose reader has not been counted for the
    article in the window, now marked as counted."""
    keys = {_seen_key(article_id, who): (article_id, who) for article_id, who in seen}
    window = settings.VIEW_COUNT_WINDOW_SECONDS
    add_many = getattr(cache, "add_many", None)
    if add_many is not None:  # Redis: one round trip for all
        added = add_many(dict.fromkeys(keys, 1), window)
    else:
        added = [key for key in keys if cache.add(key, 1, window)]
    return [keys[key] for key in added]


def push_views() -> None:
    """Add this process's buffered views to the shared counters."""
    with _buffer_lock:
        seen = set(_buffer)
        _buffer.clear()
    if not seen:
        return
    views = Counter(article_id for article_id, _reader in _first_views(seen))
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
