"""Data migrations of the portal package, run against rows stored before them."""

import importlib

import pytest
from django.apps import apps

from news.models import Article
from organizations.models import Organization
from tests.factories import make_article, make_organization

pytestmark = pytest.mark.django_db

ALIGNED = '<p style="text-align:center">Giữa</p><p>Thường</p>'


def test_stored_alignment_styles_become_classes(client, site_settings):
    migration = importlib.import_module("portal.migrations.0003_alignment_as_classes")
    article = make_article(body="<p>Nội dung</p>")
    untouched = make_article(title="Bài không căn lề", body="<p>Không đổi</p>")
    client.get(article.get_absolute_url())  # stores the page's markup
    # As the sanitiser stored them before alignment became a class.
    Article.objects.filter(pk=article.pk).update(body=ALIGNED, body_html=ALIGNED)
    organization = make_organization()
    Organization.objects.filter(pk=organization.pk).update(
        functions='<p style="text-align:justify">Tham mưu</p>'
    )
    before = Article.objects.get(pk=untouched.pk)

    migration.alignment_as_classes(apps, None)

    article.refresh_from_db()
    expected = '<p class="text-center">Giữa</p><p>Thường</p>'
    assert (article.body, article.body_html) == (expected, expected)
    assert article.article_html == article.card_html == ""
    organization.refresh_from_db()
    assert organization.functions == '<p class="text-justify">Tham mưu</p>'
    after = Article.objects.get(pk=untouched.pk)
    assert (after.body, after.body_html, after.article_html_generation) == (
        before.body,
        before.body_html,
        before.article_html_generation,
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<p class="text-center">Giữa</p>' in page and "style=" not in page
