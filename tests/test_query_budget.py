"""No public page makes more than 8 SQL queries, whatever it shows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import AwardDecision
from news.models import Article, Category, Tag
from organizations.models import Person
from portal.models import SiteSettings
from tests.factories import SEED_TITLE

pytestmark = pytest.mark.django_db

BUDGET = 8


def test_every_public_page_stays_within_the_query_budget(client):
    call_command("load_demo", stdout=StringIO())
    call_command("generate_articles", "200", stdout=StringIO())
    seed = Article.objects.get(title=SEED_TITLE)
    festival = Article.objects.get(title__startswith="Thành phố tổ chức Lễ hội")  # cover + gallery
    decision = AwardDecision.objects.get()
    pages = [
        "/",
        seed.get_absolute_url(),
        festival.get_absolute_url(),
        seed.category.get_absolute_url(),
        seed.category.get_absolute_url() + "?page=2",
        Tag.objects.filter(articles__isnull=False).first().get_absolute_url(),
        "/tin-theo-ngay/?ngay=2023-05-24",
        "/tim-kiem/?q=an+ninh+to+quoc",
        "/tim-kiem/?q=hong+bnag",
        "/khen-thuong/",
        "/khen-thuong/?q=nguyen+van",
        decision.get_absolute_url(),
        decision.authority.get_absolute_url(),
        Person.objects.get(full_name="Lê Thị Vân").get_absolute_url(),
        "/rss/",
        f"/rss/{seed.category.slug}/",
        "/sitemap.xml",
        "/sitemap-bai-viet.xml",
        "/sitemap-tin-tuc.xml",
    ]
    # A change empties caches the page reads: the site settings (and every
    # article's stored markup, which prints them), or the sections (and the
    # stored markup of that section's articles). The first request after each
    # kind, and the next one, must keep within the budget.
    changes = {
        "after a site-settings change": lambda: SiteSettings.load().save(),
        "after a section change": lambda: Category.objects.get(pk=seed.category_id).save(),
        "warm": lambda: None,
    }
    over = {}
    for url in pages:
        for state, change in changes.items():
            change()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            if len(queries) > BUDGET:
                over[f"{url} ({state})"] = len(queries)
    assert over == {}
