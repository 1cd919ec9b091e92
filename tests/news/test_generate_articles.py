from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Article
from news.search import search

pytestmark = pytest.mark.django_db


def test_generate_articles_writes_searchable_published_articles(client, site_settings):
    out = StringIO()
    call_command("generate_articles", "30", "--batch-size", "7", stdout=out)
    assert "30/30" in out.getvalue() and "Created 30 articles." in out.getvalue()
    assert Article.objects.published().count() == 30
    article = Article.objects.order_by("?").first()
    assert article.slug and article.body_text and article.tags.exists()
    assert search(Article.objects.published(), "an ninh")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.category.get_absolute_url()).status_code == 200


def test_generate_articles_is_reproducible_and_refuses_nonsense():
    call_command("generate_articles", "3", "--seed", "7", stdout=StringIO())
    titles = list(Article.objects.order_by("pk").values_list("title", flat=True))
    Article.objects.all().delete()
    call_command("generate_articles", "3", "--seed", "7", stdout=StringIO())
    assert list(Article.objects.order_by("pk").values_list("title", flat=True)) == titles
    with pytest.raises(CommandError):
        call_command("generate_articles", "0", stdout=StringIO())


def test_generated_articles_use_the_library_photos_and_award_decisions(client, site_settings):
    from media.services import image_upload
    from tests.factories import make_decision
    from tests.media.images import image_bytes, upload

    photo = image_upload(upload(image_bytes()), alt_text="Ảnh hội nghị")
    decision = make_decision()
    call_command("generate_articles", "400", stdout=StringIO())
    with_cover = Article.objects.filter(cover_image=photo)
    assert 200 < with_cover.count() < 360  # about seven in ten
    assert 0 < decision.articles.count() < 20  # about one in a hundred
    reporting = decision.articles.first()
    assert decision.get_absolute_url() in client.get(reporting.get_absolute_url()).content.decode()


def test_generating_more_articles_costs_more_batches_not_more_queries_per_article():
    """Rows go in with bulk inserts: the queries follow the number of batches."""
    # A first run makes the sections, tags and organizations the next ones reuse.
    call_command("generate_articles", "10", stdout=StringIO())
    counts = {}
    for total in (50, 500):
        Article.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            call_command("generate_articles", str(total), "--batch-size", "50", stdout=StringIO())
        counts[total] = len(queries)
    # 450 more articles in nine more batches: a few inserts a batch (articles,
    # tags, links), never one a row.
    assert counts[500] - counts[50] < 450 / 5
