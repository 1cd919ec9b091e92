"""Redis stopped: pages come from the database, and caching resumes when it returns."""

import time

import pytest

from tests.factories import make_article
from tests.redis_server import RedisServer

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
    outages = [r for r in caplog.records if "Redis cache unreachable" in r.getMessage()]
    assert len(outages) == 1  # logged once, not on every request

    private_redis.start()
    time.sleep(0.4)  # the backend leaves Redis alone this long after a failure
    with caplog.at_level("WARNING", logger="portal.cache"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert any("reachable again" in r.getMessage() for r in caplog.records)


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
    private_redis.start()
    time.sleep(0.4)
    assert "Tin đã sửa khi Redis dừng" in client.get(url).content.decode()
