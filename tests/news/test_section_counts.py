"""Section pages read their number of articles from counts the database keeps
(news.SectionCount, kept by triggers): they must always agree with counting
the public articles, whatever route a change takes."""

from datetime import timedelta
from io import StringIO

import pytest
from django.db import connection
from django.utils import timezone

from news import services
from news.models import Article, Category, SectionCount, section_ids
from portal.roles import ADMINISTRATOR
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


def assert_counts_agree(after=""):
    for category in Category.objects.all():
        counted = Article.objects.published().in_section(category).count()
        kept = SectionCount.objects.published_in(section_ids(category))
        assert kept == counted, f"{category.name}, after: {after}"


@pytest.fixture
def sections():
    economy = make_category(name="Kinh tế")
    return {
        "economy": economy,
        "port": make_category(name="Cảng biển", parent=economy),
        "culture": make_category(name="Văn hóa"),
    }


def test_every_kind_of_change_keeps_the_counts_equal_to_counting(sections):
    admin = make_user(ADMINISTRATOR)
    economy, port, culture = sections["economy"], sections["port"], sections["culture"]
    article = make_article(title="Tin cảng", category=port)
    draft = make_article(
        title="Bản nháp", category=economy, status=Article.Status.DRAFT, published_at=None
    )
    later = make_article(
        title="Hẹn giờ", category=economy, published_at=timezone.now() + timedelta(hours=2)
    )
    assert_counts_agree()

    def move(target):
        article.category = target
        article.save()

    steps = [
        ("draft published", lambda: services.article_publish(article=draft, user=admin)),
        ("unpublished", lambda: services.article_unpublish(article=article, user=admin)),
        ("published again", lambda: services.article_publish(article=article, user=admin)),
        ("moved to another section", lambda: move(culture)),
        ("trashed", lambda: services.article_trash(article=article, user=admin)),
        ("restored", lambda: services.article_restore(article=article, user=admin)),
        ("trashed again", lambda: services.article_trash(article=article, user=admin)),
        ("purged", lambda: services.article_purge(article=article, user=admin)),
        ("scheduled deleted", later.delete),
    ]
    for step, change in steps:
        change()
        assert_counts_agree(after=step)
    assert SectionCount.objects.published_in(section_ids(economy)) == 1


def test_bulk_inserts_updates_and_deletes_are_counted(sections):
    economy, culture = sections["economy"], sections["culture"]
    Article.objects.bulk_create(
        Article(
            title=f"Tin {n}",
            slug=f"tin-{n}",
            category=economy if n % 3 else culture,
            status=Article.Status.PUBLISHED if n % 4 else Article.Status.DRAFT,
            published_at=timezone.now() - timedelta(days=n),
        )
        for n in range(1, 41)
    )
    assert_counts_agree()
    assert SectionCount.objects.published_in([economy.pk]) == 20
    # An admin bulk action and a purge of many rows are single statements.
    Article.objects.filter(category=economy, title__endswith="1").update(
        status=Article.Status.UNPUBLISHED
    )
    Article.objects.filter(category=culture).update(category=economy)
    assert_counts_agree()
    Article.objects.filter(title__endswith="2").delete()
    assert_counts_agree()
    # Raw SQL too, as an import script might write.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE news_article SET deleted_at = now() WHERE title LIKE 'Tin 3%%'")
    assert_counts_agree()


def test_a_scheduled_article_is_counted_once_its_time_comes(sections, monkeypatch):
    economy = sections["economy"]
    make_article(title="Đã đăng", category=economy)
    make_article(
        title="Hẹn giờ", category=economy, published_at=timezone.now() + timedelta(minutes=5)
    )
    assert SectionCount.objects.published_in([economy.pk]) == 1
    # Nothing runs at its time: the count follows the clock, as the list does.
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert SectionCount.objects.published_in([economy.pk]) == 2
    assert_counts_agree()


def test_a_section_page_numbers_its_pages_from_the_kept_count(client, sections, site_settings):
    economy, port = sections["economy"], sections["port"]
    articles = [
        make_article(title=f"Tin kinh tế {n}", category=port if n % 2 else economy)
        for n in range(41)
    ]
    html = client.get(economy.get_absolute_url()).content.decode()
    assert "Trang 1/3" in html and 'href="?page=3">3</a>' in html
    admin = make_user(ADMINISTRATOR)
    services.article_trash(article=articles[0], user=admin)
    html = client.get(economy.get_absolute_url()).content.decode()
    assert "Trang 1/2" in html and "?page=3" not in html
    assert client.get(economy.get_absolute_url(), {"page": 3}).status_code == 404
    # The subsection's own page counts its own articles only.
    assert "Trang 1/2" not in client.get(port.get_absolute_url()).content.decode()
    assert "Tin kinh tế 1<" in client.get(port.get_absolute_url()).content.decode()


def test_a_section_that_does_not_exist_answers_404(client, sections, site_settings):
    response = client.get("/chuyen-muc/khong-co/")
    assert response.status_code == 404


def test_rebuild_section_counts_repairs_a_count_that_bypassed_the_triggers(sections):
    from django.core.management import call_command

    economy, culture = sections["economy"], sections["culture"]
    for n in range(3):
        make_article(title=f"Tin {n}", category=economy)
    make_article(title="Tin văn hóa", category=culture)
    with connection.cursor() as cursor:
        # As a load with the triggers disabled would leave them.
        cursor.execute(
            "UPDATE news_sectioncount SET listed = 7 WHERE category_id = %s", [economy.pk]
        )
        cursor.execute("DELETE FROM news_sectioncount WHERE category_id = %s", [culture.pk])
    assert SectionCount.objects.published_in([economy.pk]) == 7
    out = StringIO()
    call_command("rebuild_section_counts", stdout=out)
    assert "2 corrected" in out.getvalue()
    assert_counts_agree()
    out = StringIO()
    call_command("rebuild_section_counts", stdout=out)
    assert "0 corrected" in out.getvalue()


def test_suggestions_for_a_typo_are_the_best_of_the_newest_matches(
    client, site_settings, monkeypatch
):
    from news import views

    monkeypatch.setattr(views, "SUGGESTION_CANDIDATES", 2)
    for day in range(1, 4):
        make_article(
            title=f"Hồng Bàng ngày {day}",
            published_at=timezone.now() - timedelta(days=10 - day),
        )
    html = client.get("/tim-kiem/", {"q": "hong bnag"}).content.decode()
    assert "Có phải bạn muốn tìm" in html
    assert "Hồng Bàng ngày 3" in html and "Hồng Bàng ngày 2" in html
    assert "Hồng Bàng ngày 1" not in html
