"""The page cache: fast for anonymous readers, never stale, never for staff."""

import time as time_module
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from awards.models import AwardRecipient
from media.services import image_upload
from news import services
from news.models import Article, Category, Tag
from organizations.models import Person, Position
from portal.cache import VERSION_KEY
from portal.models import SiteSettings
from portal.roles import EDITOR
from tests.factories import (
    make_article,
    make_category,
    make_decision,
    make_organization,
    make_person,
    make_user,
)
from tests.media.images import image_bytes, upload
from tests.threads import in_a_reader_thread

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


@pytest.fixture
def newsroom(site_settings):
    """A front page, an article with a cover and a tag, a draft, an honour roll
    and an organization page, each cached before the change."""
    cover = image_upload(upload(image_bytes()), title="Ảnh bìa", alt_text="Cầu Lạc Long cũ")
    article = make_article(title="Tin trên trang chủ", cover_image=cover)
    article.tags.add(Tag.objects.create(name="Giao thông"))
    organization = make_organization("Phường Minh Khai")
    Position.objects.create(
        person=make_person("Nguyễn Văn An"), organization=organization, title="Chủ tịch"
    )
    decision = make_decision()
    AwardRecipient.objects.create(decision=decision, organization=make_organization("Phường Cũ"))
    return {
        "editor": make_user(EDITOR),
        "article": article,
        "draft": make_article(title="Tin chờ đăng", status=Article.Status.DRAFT, published_at=None),
        "organization": organization,
        "decision": decision,
        "urls": [
            "/",
            article.get_absolute_url(),
            reverse("awards:honour-roll"),
            organization.get_absolute_url(),
        ],
    }


def edit(instance, **fields):
    """Load a fresh copy of ``instance``, change ``fields`` and save it, as the admin does."""
    row = type(instance).objects.get(pk=instance.pk)
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


# Each change, then the page that must show it and what it must (and must
# no longer) show; None for a page that must now answer 404.
CHANGES = {
    "article edited": (
        lambda ctx: edit(ctx["article"], title="Tin đã sửa tiêu đề"),
        lambda ctx: [("/", "Tin đã sửa tiêu đề", "Tin trên trang chủ")],
    ),
    "article published": (
        lambda ctx: services.article_publish(article=ctx["draft"], user=ctx["editor"]),
        lambda ctx: [("/", "Tin chờ đăng", None)],
    ),
    "article unpublished": (
        lambda ctx: services.article_unpublish(article=ctx["article"], user=ctx["editor"]),
        lambda ctx: [("/", None, "Tin trên trang chủ"), (ctx["article"].get_absolute_url(), 404)],
    ),
    "article trashed": (
        lambda ctx: services.article_trash(article=ctx["article"], user=ctx["editor"]),
        lambda ctx: [("/", None, "Tin trên trang chủ"), (ctx["article"].get_absolute_url(), 404)],
    ),
    "article deleted": (
        lambda ctx: Article.objects.get(pk=ctx["article"].pk).delete(),
        lambda ctx: [("/", None, "Tin trên trang chủ"), (ctx["article"].get_absolute_url(), 404)],
    ),
    "section renamed": (
        lambda ctx: edit(ctx["article"].category, name="Chuyên mục đổi tên"),
        lambda ctx: [("/", "Chuyên mục đổi tên", None)],
    ),
    "tag added": (
        lambda ctx: ctx["article"].tags.add(Tag.objects.create(name="Cảng biển")),
        lambda ctx: [(ctx["article"].get_absolute_url(), "Cảng biển", None)],
    ),
    "site settings": (
        lambda ctx: edit(SiteSettings.load(), portal_name="Cổng tin tức Quận Lê Chân"),
        lambda ctx: [("/", "Cổng tin tức Quận Lê Chân", None)],
    ),
    "image": (
        lambda ctx: edit(ctx["article"].cover_image, alt_text="Cầu Lạc Long mới"),
        lambda ctx: [(ctx["article"].get_absolute_url(), "Cầu Lạc Long mới", "Cầu Lạc Long cũ")],
    ),
    "award": (
        lambda ctx: AwardRecipient.objects.create(
            decision=make_decision("77/QĐ-UBND", authority=ctx["decision"].authority),
            organization=make_organization("Phường Mới"),
        ),
        lambda ctx: [(reverse("awards:honour-roll"), "77/QĐ-UBND", None)],
    ),
    "person": (
        lambda ctx: edit(Person.objects.get(full_name="Nguyễn Văn An"), full_name="Trần Thị Bình"),
        lambda ctx: [(ctx["organization"].get_absolute_url(), "Trần Thị Bình", "Nguyễn Văn An")],
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_kind_of_change_shows_on_the_next_request(client, newsroom, change):
    for url in newsroom["urls"]:
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit", url
    make_change, expectations = CHANGES[change]
    make_change(newsroom)
    for url, *expected in expectations(newsroom):
        response = client.get(url)
        assert "X-Page-Cache" not in response, url
        if expected == [404]:
            assert response.status_code == 404, url
            continue
        shown, gone = expected
        html = response.content.decode()
        assert response.status_code == 200, url
        assert shown is None or shown in html, (url, shown)
        assert gone is None or gone not in html, (url, gone)


def test_a_lost_content_version_never_brings_back_an_old_page(client, site_settings):
    article = make_article(title="Tiêu đề một")
    url = article.get_absolute_url()
    cache.clear()  # Redis started empty
    edit(article, title="Tiêu đề hai")
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    cache.delete(VERSION_KEY)  # evicted from a full Redis
    edit(article, title="Tiêu đề ba")
    html = get(client, url).content.decode()
    assert "Tiêu đề ba" in html and "Tiêu đề hai" not in html


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
    response = get(client, "/")
    assert "Tin hẹn giờ" in response.content.decode()
    # Its going live counts as a change of content, and pages are cached
    # again from the next request on, each until the next scheduled one.
    assert parse_http_date(response["Last-Modified"]) >= int(start.timestamp()) + 90
    get(client, "/")
    assert get(client, "/")["X-Page-Cache"] == "hit"
    later_still = make_article(title="Tin hẹn giờ sau", status=Article.Status.DRAFT)
    services.article_publish(article=later_still, user=editor, at=later + timedelta(minutes=5))
    assert "Tin hẹn giờ sau" not in get(client, "/").content.decode()
    assert get(client, "/")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "testserver.evil.example"])
def test_a_host_not_allowed_gets_400_not_a_cached_page(client, site_settings, host):
    article = make_article(title="Tin được lưu đệm")
    for url in ["/", article.get_absolute_url()]:
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit"
        response = client.get(url, headers={"host": host})
        assert response.status_code == 400, url
        assert "Tin được lưu đệm" not in response.content.decode()


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
    for reader in range(4):
        response = client.get(article.get_absolute_url(), REMOTE_ADDR=f"203.0.113.{reader}")
        assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    call_command("flush_view_counts", stdout=StringIO())
    assert ArticleViewCount.objects.get(article=article).views == 4


def test_the_page_cache_can_be_turned_off(client, site_settings, settings):
    settings.PAGE_CACHE_ENABLED = False
    article = make_article()
    get(client, article.get_absolute_url())
    assert "X-Page-Cache" not in get(client, article.get_absolute_url())


def rename(model, pk, **fields):
    """Change a row as the admin does: loaded, changed and saved."""
    row = model.objects.get(pk=pk)
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


CHANGED_IN_A_TRANSACTION = {
    "article title": lambda article: rename(Article, article.pk, title="Tiêu đề mới"),
    "section name": lambda article: rename(Category, article.category_id, name="Chuyên mục mới"),
    "site settings": lambda article: rename(SiteSettings, 1, portal_name="Cổng mới"),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", CHANGED_IN_A_TRANSACTION)
def test_a_reader_during_a_change_cannot_leave_the_old_version_cached(change):
    """The caches are emptied inside the change's transaction; a reader who
    comes before it commits still reads the old rows and fills them again.
    The change's page must be fresh on the next request all the same."""
    SiteSettings.objects.update_or_create(pk=1, defaults={"portal_name": "Cổng cũ"})
    article = make_article(title="Tiêu đề cũ", category=make_category(name="Chuyên mục cũ"))
    url = article.get_absolute_url()
    client = Client()
    get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    old, new = {
        "article title": ("Tiêu đề cũ", "Tiêu đề mới"),
        "section name": ("Chuyên mục cũ", "Chuyên mục mới"),
        "site settings": ("Cổng cũ", "Cổng mới"),
    }[change]
    with transaction.atomic():
        CHANGED_IN_A_TRANSACTION[change](article)
        during = in_a_reader_thread(lambda: get(Client(), url).content.decode())
        assert old in during and new not in during
    html = get(client, url).content.decode()
    assert new in html and old not in html
