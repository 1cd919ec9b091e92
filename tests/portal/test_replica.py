"""The read-replica router: public reads to the replica, the rest to the primary."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.utils.connection import ConnectionDoesNotExist

from news.models import Article, section_tree
from portal.cache import (
    REPLAYED_KEY,
    bump_content_version,
    content_version,
    next_publication,
    replica_has_replayed,
)
from portal.models import SiteSettings
from portal.routers import PrimaryDatabaseMiddleware, PrimaryReplicaRouter, use_primary
from tests.factories import make_article, make_category
from tests.portal.test_settings import import_settings

router = PrimaryReplicaRouter()


def routed_read(request):
    seen = {}

    def view(request):
        seen["alias"] = router.db_for_read(Article)
        return None

    PrimaryDatabaseMiddleware(view)(request)
    return seen["alias"]


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICA_ALIAS = "replica"


def test_anonymous_public_reads_go_to_the_replica(replica):
    assert routed_read(RequestFactory().get("/tin-tuc/bai-1/")) == "replica"


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().get("/quan-tri/news/article/"),
        RequestFactory().post("/tim-kiem/"),
        RequestFactory().get("/", HTTP_COOKIE="sessionid=abc"),
    ],
    ids=["admin", "write", "logged-in"],
)
def test_the_admin_writes_and_sessions_use_the_primary(replica, request_):
    assert routed_read(request_) == "default"


def test_writes_always_go_to_the_primary(replica):
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("replica", "news") is False


def test_without_a_replica_everything_uses_the_primary(settings):
    settings.DATABASE_REPLICA_ALIAS = None
    assert routed_read(RequestFactory().get("/")) == "default"


def test_use_primary_for_code_that_reads_its_own_writes(replica):
    with use_primary():
        assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) == "replica"


def test_settings_configure_the_replica_from_the_environment():
    show = (
        "r = s.DATABASES.get('replica'); "
        "print(s.DATABASE_REPLICA_ALIAS, r and r['HOST'], r and r['USER'], r and r['NAME'], "
        "r and r['TEST'], s.DATABASES['default']['HOST'])"
    )
    result = import_settings(
        show, DATABASE_REPLICA_URL="postgres://reader@replica.example.vn:5432/portal"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "replica",
        "replica.example.vn",
        "reader",
        "portal",
        "{'MIRROR':",
        "'default'}",
        "db.example.vn",
    ]
    without = import_settings(show)
    assert without.returncode == 0, without.stderr
    assert without.stdout.split() == ["None", "None", "None", "None", "None", "db.example.vn"]


# --- Pages built on a lagging replica --------------------------------------
# No test here runs a replica: the one database stands in for it, as far as
# its own log (the query the replica runs takes a server that replays no log
# to be as far as its own). A change not yet replayed is one recorded further
# on than the log has gone.

NOT_YET_REPLAYED = "FFFFFFFF/FFFFFFF0"


@pytest.mark.django_db
def test_replay_positions_are_compared_by_the_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        now = cursor.fetchone()[0]
    assert replica_has_replayed("default", now)
    assert replica_has_replayed("default", "0/0")
    assert not replica_has_replayed("default", NOT_YET_REPLAYED)
    assert replica_has_replayed("default", None)  # nothing recorded


@pytest.mark.django_db
def test_each_change_records_how_far_the_primary_has_gone(settings):
    settings.DATABASE_REPLICA_ALIAS = "replica"
    cache.delete(REPLAYED_KEY)
    bump_content_version()
    recorded = cache.get(REPLAYED_KEY)
    assert recorded and replica_has_replayed("default", recorded)
    settings.DATABASE_REPLICA_ALIAS = None
    cache.delete(REPLAYED_KEY)
    bump_content_version()
    assert cache.get(REPLAYED_KEY) is None  # without a replica, no query for it


@pytest.mark.django_db
def test_a_page_built_on_a_replica_behind_the_last_change_is_not_cached(
    client, site_settings, settings, monkeypatch
):
    settings.PAGE_CACHE_ENABLED = True
    monkeypatch.setattr("portal.cache.replica_alias", lambda: "default")
    article = make_article(title="Tin trên bản sao")
    cache.set(REPLAYED_KEY, NOT_YET_REPLAYED, timeout=None)
    for _ in range(2):  # served, and built again: never stored
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200 and "X-Page-Cache" not in response
        assert "Tin trên bản sao" in response.content.decode()
    # Once the replica has replayed the change, its pages are stored again.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        cache.set(REPLAYED_KEY, cursor.fetchone()[0], timeout=None)
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_caches_without_a_version_are_filled_from_the_primary(settings, site_settings):
    """Site settings and sections have no content version: a replica that had
    not replayed their change would fill them with the old rows for good.
    Here the replica is an alias no server answers, so a read routed to it fails."""
    make_category(name="Kinh tế")
    settings.DATABASE_REPLICA_ALIAS = "replica"
    with pytest.raises(ConnectionDoesNotExist):
        Article.objects.count()  # public reads do go to the replica
    cache.clear()
    assert SiteSettings.load().portal_name == site_settings.portal_name
    assert [section.name for section in section_tree()] == ["Kinh tế"]
    assert next_publication(content_version()) is None
