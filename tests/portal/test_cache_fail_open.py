"""Redis stopped: pages come from the database, and caching resumes when it returns."""

import time

import pytest
import redis
from django.test import Client

from bench.servers import free_port
from portal.models import SiteSettings
from tests.factories import make_article
from tests.redis_server import RedisServer
from tests.threads import in_a_reader_thread as on_another_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_redis(settings, tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "RETRY_SECONDS": 0.3,
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    yield server
    if server.process.poll() is None:
        server.stop()


def test_pages_are_served_while_redis_is_down_and_cached_again_after(
    client, site_settings, private_redis, caplog
):
    article = make_article(title="Tin vẫn đọc được khi Redis dừng")
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    private_redis.stop()
    with caplog.at_level("WARNING", logger="portal.cache"):
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200 and "X-Page-Cache" not in response
            assert "Tin vẫn đọc được khi Redis dừng" in response.content.decode()
        assert client.get("/").status_code == 200
    outages = [r for r in caplog.records if "Redis cache unavailable" in r.getMessage()]
    assert len(outages) == 1  # logged once, not on every request

    private_redis.start()
    time.sleep(0.4)  # the backend leaves Redis alone this long after a failure
    with caplog.at_level("WARNING", logger="portal.cache"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert any("available again" in r.getMessage() for r in caplog.records)


def test_an_edit_saved_while_redis_was_unreachable_shows_once_it_is_back(
    client, site_settings, private_redis
):
    article = make_article(title="Tin trước khi sửa")
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    # Redis comes back with everything it had, the old page included; the
    # edit saved in between raised no version there.
    private_redis.stop(keep_data=True)
    article.title = "Tin đã sửa khi Redis dừng"
    article.save()
    site_settings.portal_name = "Cổng đổi tên khi Redis dừng"
    site_settings.save()
    private_redis.start()
    time.sleep(0.4)
    html = client.get(url).content.decode()
    assert "Tin đã sửa khi Redis dừng" in html
    # The site settings are kept without a content version, for good.
    assert "Cổng đổi tên khi Redis dừng" in html


def refuse_writes(server, how):
    """Make ``server`` answer writes with an error, as a real Redis does."""
    redis_client = redis.Redis(port=server.port)
    if how == "full":
        # Redis's default when it reaches maxmemory: refuse whatever needs memory.
        redis_client.config_set("maxmemory-policy", "noeviction")
        redis_client.config_set("maxmemory", 1)
    else:
        # A replica after a failover: reads answer, writes are refused.
        redis_client.replicaof("127.0.0.1", free_port())


def accept_writes(server):
    redis_client = redis.Redis(port=server.port)
    redis_client.config_set("maxmemory", 0)
    redis_client.replicaof("NO", "ONE")


REFUSALS = ["full", "read-only"]


@pytest.mark.parametrize("how", REFUSALS)
def test_pages_are_served_while_redis_refuses_writes(
    client, site_settings, private_redis, caplog, how
):
    cached = make_article(title="Tin đã lưu đệm")
    client.get(cached.get_absolute_url())
    assert client.get(cached.get_absolute_url())["X-Page-Cache"] == "hit"
    refuse_writes(private_redis, how)
    new = make_article(title="Tin chưa lưu đệm")
    with caplog.at_level("WARNING", logger="portal.cache"):
        for url in [new.get_absolute_url(), "/", new.get_absolute_url(), cached.get_absolute_url()]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response, url
        assert "Tin chưa lưu đệm" in client.get(new.get_absolute_url()).content.decode()
    outages = [r for r in caplog.records if "Redis cache unavailable" in r.getMessage()]
    assert len(outages) == 1, [r.getMessage() for r in caplog.records]
    assert ("OutOfMemoryError" if how == "full" else "ReadOnlyError") in outages[0].getMessage()

    accept_writes(private_redis)
    time.sleep(0.4)
    with caplog.at_level("WARNING", logger="portal.cache"):
        client.get(new.get_absolute_url())
        assert client.get(new.get_absolute_url())["X-Page-Cache"] == "hit"
    assert any("available again" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", REFUSALS)
def test_an_edit_saved_while_redis_refuses_writes_is_never_hidden(private_redis, how):
    """The change's content version cannot be written: no server may serve
    the page cached before it, then or once Redis accepts writes again."""
    SiteSettings.objects.update_or_create(pk=1, defaults={"portal_name": "Cổng cũ"})
    article = make_article(title="Tiêu đề cũ")
    url = article.get_absolute_url()

    def read():
        html = Client().get(url).content.decode()
        return ("Tiêu đề mới" in html, "Cổng mới" in html)

    for _ in range(2):
        read()
        on_another_server(read)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    refuse_writes(private_redis, how)
    article.title = "Tiêu đề mới"
    article.save()
    site = SiteSettings.objects.get(pk=1)
    site.portal_name = "Cổng mới"
    site.save()
    assert read() == (True, True)
    if how == "full":
        # A full Redis still deletes: the other server's pages go with the
        # content version, its site settings with their own entry.
        assert on_another_server(read) == (True, True)
    accept_writes(private_redis)
    time.sleep(0.4)
    assert read() == (True, True)
    assert on_another_server(read) == (True, True)
    assert on_another_server(read) == (True, True)
