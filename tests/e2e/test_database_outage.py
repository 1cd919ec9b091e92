"""PostgreSQL restarted under a running portal: a Vietnamese 503 page, then recovery.

The portal runs under gunicorn with production settings against a PostgreSQL
server of the test's own, which the test stops and starts again.
"""

import time
import urllib.error
import urllib.request

from bench import servers
from portal.database import stop_embedded

SETUP = """
from news.models import Article, Category
from portal.models import SiteSettings
SiteSettings.load()
article = Article.objects.create(
    title="Tin viết trước khi máy chủ dữ liệu khởi động lại", lead="Sapo.",
    body="<p>Nội dung.</p>", category=Category.objects.create(name="Thời sự"),
    status="published",
)
print(article.get_absolute_url())
"""


def get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_requests_during_a_restart_get_503_and_service_comes_back_by_itself(tmp_path):
    pgdata = tmp_path / "pgdata"
    db_url = servers.database_url("portal", servers.start_private_postgres(pgdata))
    servers.create_database(db_url)
    port = servers.free_port()
    env = servers.production_env(
        db_url,
        tmp_path,
        site_url=f"http://127.0.0.1:{port}",
        STATIC_ROOT=str(servers.BASE_DIR / "var" / "bench" / "static"),
        # Every request must reach the database: a page cached by a worker
        # would answer 200 during the outage (which readers would welcome).
        PAGE_CACHE="0",
    )
    try:
        servers.manage(env, "migrate", "--noinput")
        servers.manage(env, "collectstatic", "--noinput")
        path = servers.manage(env, "shell", "-c", SETUP).strip().splitlines()[-1]
        with servers.Gunicorn(env, port, workers=2, log=tmp_path / "gunicorn.log") as server:
            status, html, _headers = get(server.url + path)
            assert status == 200 and "Tin viết trước khi máy chủ dữ liệu" in html

            stop_embedded(pgdata)
            for url in (server.url + path, server.url + "/", server.url + "/tim-kiem/?q=tin"):
                started = time.monotonic()
                status, html, headers = get(url)
                assert status == 503, (url, status)
                assert "tạm thời gián đoạn" in html and "Traceback" not in html
                assert headers["Retry-After"] == "30"
                assert time.monotonic() - started < 5  # no worker held by a dead database

            servers.start_private_postgres(pgdata)
            started = time.monotonic()
            while True:
                status, html, _headers = get(server.url + path)
                if status == 200 or time.monotonic() - started > 10:
                    break
                time.sleep(0.2)
            assert status == 200, "the portal did not recover within 10 s"
            assert time.monotonic() - started < 5
            # Nothing written before the outage was lost.
            assert "Tin viết trước khi máy chủ dữ liệu khởi động lại" in html
            assert get(server.url + "/")[0] == 200
    finally:
        stop_embedded(pgdata)
