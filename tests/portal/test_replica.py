"""The read-replica router: public reads to the replica, the rest to the primary."""

import pytest
from django.test import RequestFactory

from news.models import Article
from portal.routers import PrimaryDatabaseMiddleware, PrimaryReplicaRouter, use_primary
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
    result = import_settings(
        DATABASE_REPLICA_URL="postgres://reader@replica.example.vn:5432/portal"
    )
    assert result.returncode == 0, result.stderr
    probe = import_settings(DATABASE_REPLICA_URL="postgres://reader@replica.example.vn:5432/portal")
    assert probe.returncode == 0
