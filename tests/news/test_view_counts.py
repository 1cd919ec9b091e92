"""Page views are counted in memory, then in the cache, then in the database;
one reader counts once per article in a window."""

import time
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory

from news.models import ArticleViewCount
from news.views_count import _key, push_views, record_view
from tests.factories import make_article
from tests.redis_server import RedisServer

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"


def total_views(article):
    call_command("flush_view_counts", stdout=StringIO())
    return sum(ArticleViewCount.objects.filter(article=article).values_list("views", flat=True))


def reading(address="203.0.113.5", method="get", **headers):
    return getattr(RequestFactory(), method)(
        "/", REMOTE_ADDR=address, headers={"user-agent": BROWSER, **headers}
    )


@pytest.fixture(params=["memory", "redis"])
def any_cache(request, settings, tmp_path):
    """The per-process memory cache, and Redis (a server of the test's own)."""
    if request.param == "memory":
        yield
        return
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
        }
    }
    yield
    server.stop()


def test_views_wait_in_the_process_then_reach_the_shared_counter_in_one_write(settings):
    settings.VIEW_COUNT_PUSH_SECONDS = 3600
    article = make_article(title="Tin được đọc")
    for number in range(5):
        record_view(article.pk, reading(f"203.0.113.{number}"))
    assert cache.get(_key(article.pk)) is None  # no cache round trip per view
    assert total_views(article) == 5


def test_views_are_pushed_once_the_interval_has_passed(settings):
    settings.VIEW_COUNT_PUSH_SECONDS = 0
    article = make_article(title="Tin được đọc ngay")
    record_view(article.pk, reading("203.0.113.1"))
    record_view(article.pk, reading("203.0.113.2"))
    assert cache.get(_key(article.pk)) == 2
    assert total_views(article) == 2
    assert total_views(article) == 2  # nothing counted twice


def test_one_reader_counts_once_per_article_in_the_window(settings, any_cache):
    settings.VIEW_COUNT_PUSH_SECONDS = 0
    settings.VIEW_COUNT_WINDOW_SECONDS = 1
    article, other = make_article(title="Tin một"), make_article(title="Tin hai")
    for _ in range(50):
        record_view(article.pk, reading())
    record_view(other.pk, reading())
    record_view(article.pk, reading("198.51.100.9"))
    assert (total_views(article), total_views(other)) == (2, 1)
    time.sleep(1.1)
    record_view(article.pk, reading())
    assert total_views(article) == 3


def test_a_reader_counted_by_one_server_process_is_not_counted_by_another(settings):
    settings.VIEW_COUNT_PUSH_SECONDS = 3600
    article = make_article(title="Tin được đọc")
    record_view(article.pk, reading())
    push_views()  # this process's readers reach the shared cache
    record_view(article.pk, reading())  # as another process would see the reader
    push_views()
    assert total_views(article) == 1


def test_readers_behind_the_portal_s_proxy_are_told_apart_by_forwarded_for(settings):
    settings.VIEW_COUNT_PUSH_SECONDS = 0
    settings.TRUSTED_PROXY_COUNT = 1
    article = make_article(title="Tin được đọc")
    proxy = "10.0.0.2"
    record_view(article.pk, reading(proxy, x_forwarded_for="203.0.113.5"))
    record_view(article.pk, reading(proxy, x_forwarded_for="203.0.113.6"))
    # What the client wrote in front of its own address changes nothing.
    for forged in range(10):
        record_view(article.pk, reading(proxy, x_forwarded_for=f"192.0.2.{forged}, 203.0.113.5"))
    assert total_views(article) == 2


def test_an_ipv6_reader_is_its_network(settings):
    settings.VIEW_COUNT_PUSH_SECONDS = 0
    article = make_article(title="Tin được đọc")
    for host in range(1, 20):
        record_view(article.pk, reading(f"2001:db8:1:2::{host:x}"))
    record_view(article.pk, reading("2001:db8:1:3::1"))
    assert total_views(article) == 2


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "head"},
        {"sec_purpose": "prefetch"},
        {"sec_purpose": "prefetch;prerender"},
        {"purpose": "prefetch"},
        {"x_moz": "prefetch"},
        {"user_agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"user_agent": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"},
        {"user_agent": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/126.0.0.0 Safari/537.36"},
    ],
    ids=[
        "HEAD",
        "prefetch",
        "prerender",
        "old prefetch",
        "Firefox prefetch",
        "Googlebot",
        "link preview",
        "headless browser",
    ],
)
def test_prefetches_head_requests_and_crawlers_are_not_views(settings, request_kwargs):
    settings.VIEW_COUNT_PUSH_SECONDS = 0
    article = make_article(title="Tin được đọc")
    record_view(article.pk, reading(**request_kwargs))
    assert total_views(article) == 0


def test_a_reader_reloading_a_cached_article_counts_once(settings, site_settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.VIEW_COUNT_PUSH_SECONDS = 0
    article = make_article(title="Tin đọc nhiều")
    client = Client(REMOTE_ADDR="203.0.113.5", headers={"user-agent": BROWSER})
    for _ in range(20):
        assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    other = Client(REMOTE_ADDR="198.51.100.9", headers={"user-agent": BROWSER})
    assert other.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    client.head(article.get_absolute_url())
    assert total_views(article) == 2
