"""Page views are counted in memory, then in the cache, then in the database."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from news.models import ArticleViewCount
from news.views_count import _key, record_view
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def total_views(article):
    return sum(ArticleViewCount.objects.filter(article=article).values_list("views", flat=True))


def test_views_wait_in_the_process_then_reach_the_shared_counter_in_one_write(settings):
    settings.VIEW_COUNT_PUSH_SECONDS = 3600
    article = make_article(title="Tin được đọc")
    for _ in range(5):
        record_view(article.pk)
    assert cache.get(_key(article.pk)) is None  # no cache round trip per view
    call_command("flush_view_counts", stdout=StringIO())
    assert total_views(article) == 5


def test_views_are_pushed_once_the_interval_has_passed(settings):
    settings.VIEW_COUNT_PUSH_SECONDS = 0
    article = make_article(title="Tin được đọc ngay")
    record_view(article.pk)
    record_view(article.pk)
    assert cache.get(_key(article.pk)) == 2
    call_command("flush_view_counts", stdout=StringIO())
    call_command("flush_view_counts", stdout=StringIO())  # nothing counted twice
    assert total_views(article) == 2
