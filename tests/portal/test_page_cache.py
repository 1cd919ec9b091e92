"""The page cache: fast for anonymous readers, never stale, never for staff."""

import time as time_module
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from awards.models import AwardRecipient
from media.services import image_upload
from news import services
from news.models import Article, Category, Tag
from portal.models import SiteSettings
from portal.roles import EDITOR
from tests.factories import (
    make_article,
    make_decision,
    make_organization,
    make_person,
    make_user,
)
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_a_second_anonymous_request_is_served_from_the_cache(
    client, site_settings, django_assert_num_queries
):
    article = make_article(title="Tin được lưu đệm")
    first = get(client, article.get_absolute_url())
    assert "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        second = get(client, article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


CHANGES = {
    "article edited": lambda ctx: Article.objects.filter(pk=ctx["article"].pk).first().save(),
    "article unpublished": lambda ctx: services.article_unpublish(
        article=ctx["article"], user=ctx["editor"]
    ),
    "article trashed": lambda ctx: services.article_trash(
        article=ctx["article"], user=ctx["editor"]
    ),
    "section renamed": lambda ctx: (
        Category.objects.filter(pk=ctx["article"].category_id).first().save()
    ),
    "tag added": lambda ctx: ctx["article"].tags.add(Tag.objects.create(name="Mới")),
    "site settings": lambda ctx: SiteSettings.load().save(),
    "image": lambda ctx: image_upload(upload(image_bytes()), title="Ảnh mới"),
    "award": lambda ctx: AwardRecipient.objects.create(
        decision=make_decision(), organization=make_organization("X")
    ),
    "person": lambda ctx: make_person("Người mới"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_kind_of_change_makes_cached_pages_fresh(client, site_settings, change):
    editor = make_user(EDITOR)
    article = make_article(title="Tin trên trang chủ")
    for url in ("/", article.get_absolute_url()):
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit"
    CHANGES[change]({"article": article, "editor": editor})
    response = client.get("/")
    assert "X-Page-Cache" not in response  # rebuilt on the next request


def test_an_edit_shows_on_the_next_request(client, site_settings):
    article = make_article(title="Tiêu đề cũ")
    assert "Tiêu đề cũ" in get(client, "/").content.decode()
    article.title = "Tiêu đề mới"
    article.save()
    html = get(client, "/").content.decode()
    assert "Tiêu đề mới" in html and "Tiêu đề cũ" not in html


def test_a_scheduled_article_appears_on_time_under_caching(client, site_settings, monkeypatch):
    editor = make_user(EDITOR)
    article = make_article(title="Tin hẹn giờ", status=Article.Status.DRAFT, published_at=None)
    start = timezone.now()
    services.article_publish(article=article, user=editor, at=start + timedelta(seconds=90))
    html = get(client, "/").content.decode()
    assert "Tin hẹn giờ" not in html
    assert get(client, "/")["X-Page-Cache"] == "hit"
    # Ninety-one seconds later, for the clock and for the cache's expiry alike.
    later = start + timedelta(seconds=91)
    real_time = time_module.time
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time_module, "time", lambda: real_time() + 91)
    html = get(client, "/").content.decode()
    assert "Tin hẹn giờ" in html


def test_staff_never_get_or_fill_the_cache(site_settings):
    article = make_article(title="Tin")
    staff = Client()
    staff.force_login(make_user(EDITOR))
    for _ in range(2):
        assert "X-Page-Cache" not in get(staff, article.get_absolute_url())
    draft = make_article(title="Bản nháp bí mật", status=Article.Status.DRAFT, published_at=None)
    assert "Bản nháp bí mật" in get(staff, draft.get_absolute_url()).content.decode()
    anonymous = Client()
    assert anonymous.get(draft.get_absolute_url()).status_code == 404
    first = get(anonymous, article.get_absolute_url())
    assert "X-Page-Cache" not in first  # the staff visits stored nothing


def test_a_cached_article_page_still_counts_views(client, site_settings):
    from io import StringIO

    from django.core.management import call_command

    from news.models import ArticleViewCount

    article = make_article(title="Tin đọc nhiều")
    for _ in range(4):
        get(client, article.get_absolute_url())
    call_command("flush_view_counts", stdout=StringIO())
    assert ArticleViewCount.objects.get(article=article).views == 4


def test_the_page_cache_can_be_turned_off(client, site_settings, settings):
    settings.PAGE_CACHE_ENABLED = False
    article = make_article()
    get(client, article.get_absolute_url())
    assert "X-Page-Cache" not in get(client, article.get_absolute_url())
