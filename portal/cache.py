"""Whole-page caching for anonymous readers that is never stale.

Every cached page is stored with the current *content version*. Saving or
deleting anything a public page shows (articles, sections, tags, site
settings, photos, documents, organizations, awards) raises the version in
the shared cache, so every page on every server is rebuilt on its next
request; nothing waits for a timeout. A page is also never kept past the
next scheduled publication, so a scheduled article appears at its minute.

Only anonymous GET/HEAD requests without a session cookie are served from
or stored in the cache, and only plain 200 responses that set no cookie and
are not private: staff never see a cached page and never fill the cache.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

VERSION_KEY = "page-cache:version"
CHANGED_AT_KEY = "page-cache:changed-at"
DEFAULT_TIMEOUT = 300
# Paths that are never cached here: the admin, previews, and files that
# have their own cache headers.
SKIPPED_PREFIXES = ("/quan-tri/", "/xem-truoc/", "/media/", "/static/", "/tai-lieu/", "/qr/")


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_content_version(**kwargs) -> None:
    """Make every cached page stale (connected to the content models' signals)."""
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def last_change(changed_at: float | None, version: int) -> float:
    """When public content last changed: the last save or delete, or a scheduled
    article going live since. Unknown (an emptied cache) counts as now."""
    if changed_at is None:
        changed_at = time.time()
        cache.add(CHANGED_AT_KEY, changed_at, timeout=None)
    published = next_publication(version)
    if published and published <= time.time():
        changed_at = max(changed_at, published)
    return changed_at


def seconds_until_next_publication(version: int) -> int | None:
    """Seconds until the next scheduled article goes live."""
    upcoming = next_publication(version)
    if not upcoming:
        return None
    return max(0, int(upcoming - timezone.now().timestamp()))


def next_publication(version: int) -> float | None:
    """When the next scheduled article goes live, as a timestamp (cached per version)."""
    from news.models import Article

    key = f"page-cache:next-publication:{version}"
    value = cache.get(key)
    if value is None:
        upcoming = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        value = upcoming.timestamp() if upcoming else 0
        cache.set(key, value, DEFAULT_TIMEOUT)
    return value or None


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_ENABLED or not self.cacheable_request(request):
            return self.get_response(request)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page-cache:page:{digest}"
        # One round trip to the cache for both: a stored page is good only if
        # it was stored under the current content version.
        found = cache.get_many([VERSION_KEY, CHANGED_AT_KEY, key])
        version = found.get(VERSION_KEY) or content_version()
        entry = found.get(key)
        if entry is not None and entry["version"] == version:
            response = HttpResponse(entry["content"], status=200)
            for name, value in entry["headers"]:
                response[name] = value
            if entry.get("article_id"):
                from news.views_count import record_view

                record_view(entry["article_id"])
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            # Conditional GET for clients that send only If-Modified-Since
            # (ConditionalGetMiddleware answers it; an ETag, when sent, wins).
            # A view's own date (a feed's newest item) misses back-dated and
            # deleted articles; the time of the last content change does not.
            changed = last_change(found.get(CHANGED_AT_KEY), version)
            own = parse_http_date_safe(response.get("Last-Modified", ""))
            response["Last-Modified"] = http_date(max(changed, own or 0))
            timeout = DEFAULT_TIMEOUT
            until_next = seconds_until_next_publication(version)
            if until_next is not None:
                timeout = min(timeout, until_next)
            if timeout > 0:
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
