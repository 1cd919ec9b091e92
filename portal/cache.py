"""Whole-page caching for anonymous readers that is never stale.

Every cached page is stored with the current *content version*. Saving or
deleting anything a public page shows (articles, sections, tags, site
settings, photos, documents, organizations, awards) gives the shared cache
a new version, so every page on every server is rebuilt on its next
request; nothing waits for a timeout. A page is also never kept past the
next scheduled publication, so a scheduled article appears at its minute.

Only anonymous GET/HEAD requests without a session cookie are served from
or stored in the cache, and only plain 200 responses that set no cookie and
are not private: staff never see a cached page and never fill the cache.

A page is kept under its path and the query parameters its view declares it
reads (``query_parameters``, next to the view), and the view is handed
only those: ``?fbclid=…`` or ``?x=1`` find the page kept without them, and
a page is never built from a parameter its key leaves out. A page whose
view declares nothing is cached only when asked for without a query.
"""

import hashlib
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.http import http_date, parse_http_date_safe

from portal.routers import replica_alias, use_primary

VERSION_KEY = "page-cache:version"
REPLAYED_KEY = "page-cache:primary-position"
CHANGED_AT_KEY = "page-cache:changed-at"
DEFAULT_TIMEOUT = 300
# Paths that are never cached here: the admin, previews, and files that
# have their own cache headers.
SKIPPED_PREFIXES = ("/quan-tri/", "/xem-truoc/", "/media/", "/static/", "/tai-lieu/", "/qr/")


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    # A cache that keeps nothing: a version no stored page has.
    return new_version() if version is None else version


def new_version() -> int:
    """A content version never used before.

    Random rather than counted up: the version can vanish (evicted from a
    full Redis, deleted after a failed write, lost in a restart) while pages
    stored under the old ones are still there; a count started again would
    meet them.
    """
    return secrets.randbits(62) + 1


# The functions that empty a cache kept without a content version (the
# site settings, the section tree, the header and footer), each run by the
# changes that make it stale.
_forgetters = []


def forgets_versionless_cache(forget):
    """Register ``forget`` as emptying a cache kept without a content version
    (a decorator), so that it runs again when the cache recovers from a
    failure: a change made meanwhile could not run it."""
    _forgetters.append(forget)
    return forget


def forget_everything(*, deleting_only: bool = False) -> None:
    """Make every cached page and every cache kept without a version stale.

    ``deleting_only`` does it without writing, as a full Redis still allows:
    the content version is deleted rather than replaced.
    """
    for forget in _forgetters:
        forget()
    if deleting_only:
        cache.delete(VERSION_KEY)
    else:
        _bump()


def now_and_after_commit(forget) -> None:
    """Run ``forget`` (which empties a cache) now, and again once the current
    transaction commits.

    A change empties the caches that hold what it changes from inside its
    transaction, while every other reader still sees the old rows: one who
    arrives before the commit can fill a cache with them again, to stay
    there (the site settings have no timeout at all). Emptying it again
    once the change is visible closes that gap; outside a transaction the
    change is visible already. ``forget`` runs once per commit, however many
    rows the transaction saves.
    """
    forget()
    connection = transaction.get_connection()
    # Django's list of this transaction's callbacks, emptied at commit or
    # rollback and trimmed when a savepoint is rolled back.
    if connection.in_atomic_block and all(
        function is not forget for _sids, function, _robust in connection.run_on_commit
    ):
        transaction.on_commit(forget, robust=True)


def bump_content_version(**kwargs) -> None:
    """Make every cached page stale (connected to the content models' signals)."""
    now_and_after_commit(_bump)


def _bump() -> None:
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)
    if settings.DATABASE_REPLICA_ALIAS:
        cache.set(REPLAYED_KEY, _primary_position(), timeout=None)
    cache.set(VERSION_KEY, new_version(), timeout=None)


# --- A read replica --------------------------------------------------------
#
# A replica replays the primary's changes a little later. A page built from
# it just after a change can be older than the content version it would be
# stored under, and would then be served until its timeout. So each change
# records how far the primary's log had gone, and a page built on the
# replica is stored only when the replica had replayed that far before the
# page was built. Caches that have no version (site settings, sections, the
# next publication) are filled from the primary.


def _primary_position() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]
    except DatabaseError:
        # Unknown: store no page built on the replica until the next change.
        return "FFFFFFFF/FFFFFFFF"


def replica_has_replayed(alias: str, position: str | None) -> bool:
    """Whether the replica ``alias`` has replayed the primary's log up to ``position``."""
    if position is None:  # no change recorded since the cache was emptied
        return True
    with connections[alias].cursor() as cursor:
        # A server that replays no log (a primary) is as far as its own log.
        cursor.execute(
            "SELECT coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn()) >= %s::pg_lsn",
            [position],
        )
        return cursor.fetchone()[0]


def last_change(changed_at: float | None) -> float:
    """When public content last changed: the last save or delete, or the last
    scheduled article that went live. Unknown (an emptied cache) counts as now."""
    if changed_at is None:
        changed_at = time.time()
        cache.add(CHANGED_AT_KEY, changed_at, timeout=None)
    return changed_at


def next_publication(version: int) -> float | None:
    """When the next scheduled article goes live, as a timestamp (cached per version)."""
    from news.models import Article

    key = f"page-cache:next-publication:{version}"
    value = cache.get(key)
    if value is None:
        with use_primary():
            upcoming = (
                Article.objects.scheduled()
                .order_by("published_at")
                .values_list("published_at", flat=True)
                .first()
            )
        value = upcoming.timestamp() if upcoming else 0
        cache.set(key, value, DEFAULT_TIMEOUT)
    return value or None


def query_parameters(path: str) -> tuple[str, ...] | None:
    """The query parameters the view at ``path`` reads, as it declares them
    (``query_parameters`` on the view class or function); None if it does not."""
    try:
        view = resolve(path).func
    except Resolver404:
        return None
    return getattr(getattr(view, "view_class", view), "query_parameters", None)


def page_key(request) -> str | None:
    """The cache key of the page ``request`` asks for; None if it is not to be cached.

    The key holds the path and the parameters the page's view reads, each
    once (its last value, the one the view would read), decoded, and in one
    order, however the query was written. The request is left with just
    those, so the page built is the page the key names.
    """
    if request.META.get("QUERY_STRING"):
        names = query_parameters(request.path_info)
        if names is None:
            return None
        kept = QueryDict(mutable=True)
        for name in sorted(set(names) & request.GET.keys()):
            kept[name] = request.GET[name]
        query = kept.urlencode()
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
    page = f"{request.path}?{request.META.get('QUERY_STRING', '')}"
    return f"page-cache:page:{hashlib.sha256(page.encode()).hexdigest()}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not self.cacheable_request(request):
            return self.get_response(request)
        # A Host outside ALLOWED_HOSTS gets Django's 400 (DisallowedHost),
        # as it would from CommonMiddleware, never a stored page.
        request.get_host()
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        # One round trip to the cache for both: a stored page is good only if
        # it was stored under the current content version.
        found = cache.get_many([VERSION_KEY, CHANGED_AT_KEY, REPLAYED_KEY, key])
        version = found.get(VERSION_KEY) or content_version()
        entry = found.get(key)
        if entry is not None and entry["version"] == version:
            response = HttpResponse(entry["content"], status=200)
            for name, value in entry["headers"]:
                response[name] = value
            if entry.get("article_id"):
                from news.views_count import record_view

                record_view(entry["article_id"], request)
            response["X-Page-Cache"] = "hit"
            return response
        replica = replica_alias()
        storable = replica is None or replica_has_replayed(replica, found.get(REPLAYED_KEY))
        response = self.get_response(request)
        if self.cacheable_response(response):
            changed = last_change(found.get(CHANGED_AT_KEY))
            timeout = DEFAULT_TIMEOUT
            upcoming = next_publication(version)
            if upcoming is not None:
                timeout = min(timeout, int(upcoming - time.time()))
            if upcoming is not None and upcoming <= time.time():
                # A scheduled article has gone live since this version began:
                # a change of content like any save (the pages kept until its
                # time have expired). A new version makes the next scheduled
                # one bound the pages stored from now on; this page, maybe
                # built just before the minute, is not stored.
                changed = max(changed, upcoming)
                bump_content_version()
            # Conditional GET for clients that send only If-Modified-Since
            # (ConditionalGetMiddleware answers it; an ETag, when sent, wins).
            # A view's own date (a feed's newest item) misses back-dated and
            # deleted articles; the time of the last content change does not.
            own = parse_http_date_safe(response.get("Last-Modified", ""))
            response["Last-Modified"] = http_date(max(changed, own or 0))
            if timeout > 0 and storable:
                cache.set(
                    key,
                    {
                        "version": version,
                        "content": response.content,
                        "headers": list(response.headers.items()),
                        "article_id": getattr(response, "counted_article_id", None),
                    },
                    timeout,
                )
        return response

    @staticmethod
    def cacheable_request(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(SKIPPED_PREFIXES)
        )

    @staticmethod
    def cacheable_response(response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )
