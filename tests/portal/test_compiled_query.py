"""Queries compiled once (portal/compiled_query.py): the article page's row and
its Tin khác must be exactly what the querysets that define them return, at
any time and for any article; a query that can't be compiled safely is
refused when it is first compiled."""

import itertools
from datetime import datetime, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from news import services
from news.models import (
    Article,
    _other_articles,
    _public_page_row,
    other_articles,
    public_article,
)
from portal.compiled_query import CompiledQuery
from portal.roles import ADMINISTRATOR
from tests.factories import make_article, make_category, make_user

pytestmark = pytest.mark.django_db


def loaded(articles):
    """What each instance holds: its class, its loaded fields and their values."""
    return [
        (type(a), a.get_deferred_fields(), a.__dict__ | {"_state": a._state.db}) for a in articles
    ]


@pytest.fixture
def newsroom():
    economy, culture = make_category(name="Kinh tế"), make_category(name="Văn hóa")
    now = timezone.now()
    articles = [
        make_article(title=f"Tin kinh tế {n}", category=economy, published_at=now - timedelta(n))
        for n in range(12)
    ]
    articles.append(make_article(title="Tin văn hóa", category=culture))
    articles.append(
        make_article(title="Hẹn giờ", category=economy, published_at=now + timedelta(minutes=5))
    )
    draft = make_article(title="Bản nháp", category=economy, status=Article.Status.DRAFT)
    trashed = make_article(title="Đã xóa", category=economy)
    services.article_trash(article=trashed, user=make_user(ADMINISTRATOR))
    return [*articles, draft, trashed]


def test_the_compiled_queries_return_what_their_querysets_return(newsroom, monkeypatch):
    times = [timezone.now(), timezone.now() + timedelta(minutes=6)]
    for at in times:
        monkeypatch.setattr(timezone, "now", lambda at=at: at)
        for article in newsroom:
            expected = list(_public_page_row(at, article.pk))
            found = public_article(article.pk)
            assert loaded([found] if found else []) == loaded(expected), article.title
            assert loaded(other_articles(article)) == loaded(
                _other_articles(at, article.category_id, article.pk)
            ), article.title


def test_what_the_page_row_finds_follows_the_definition_of_public(newsroom, monkeypatch):
    by_title = {a.title: a for a in newsroom}
    for hidden in ("Hẹn giờ", "Bản nháp", "Đã xóa"):
        assert public_article(by_title[hidden].pk) is None, hidden
    assert public_article(by_title["Tin kinh tế 0"].pk).title == "Tin kinh tế 0"
    # The clock, not a job, makes the scheduled article public.
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert public_article(by_title["Hẹn giờ"].pk).title == "Hẹn giờ"


def test_tin_khac_is_the_newest_public_articles_of_the_section_but_this_one(newsroom):
    first = newsroom[0]
    titles = [a.title for a in other_articles(first)]
    assert titles == [f"Tin kinh tế {n}" for n in range(1, 9)]
    # Only what the list prints is loaded.
    assert other_articles(first)[0].get_deferred_fields() >= {"body", "lead", "article_html"}


def test_an_article_address_with_a_huge_number_answers_404(client, site_settings):
    response = client.get("/tin-tuc/bai-viet-" + "9" * 40 + "/")
    assert response.status_code == 404


def test_a_value_of_the_wrong_type_is_refused():
    with pytest.raises(TypeError, match="pk must be int"):
        public_article("1")
    with pytest.raises(TypeError, match="expected values"):
        CompiledQuery(_public_page_row).run(pk=1)
    with pytest.raises(TypeError, match="aware datetime"):
        CompiledQuery(_public_page_row).run(pk=1, at=datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(TypeError, match="annotated int or datetime"):
        CompiledQuery(lambda pk: Article.objects.filter(pk=pk))


def contains_number(pk: int):
    return Article.objects.filter(title__contains=str(pk))


builds = itertools.count()


def shape_changes(pk: int):
    articles = Article.objects.filter(pk=pk)
    return articles.filter(slug="x") if next(builds) % 2 else articles


def ignores_time(at: datetime, pk: int):
    return Article.objects.filter(pk=pk)


def with_section(pk: int):
    return Article.objects.select_related("category").filter(pk=pk)


def with_expression(pk: int):
    return Article.objects.annotate(double=F("pk") * 2).filter(pk=pk)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (contains_number, "a value the ORM transforms"),
        (shape_changes, "the SQL depends on the values"),
        (ignores_time, r"\['at'\] not in the SQL"),
        (with_section, "only plain model rows"),
        (with_expression, "only plain model rows"),
    ],
    ids=["transformed", "shape", "unused", "select_related", "annotation"],
)
def test_a_query_that_cannot_be_compiled_safely_is_refused(build, message):
    query = CompiledQuery(build)
    values = {"pk": 1} | ({"at": timezone.now()} if build is ignores_time else {})
    with pytest.raises(ValueError, match=message):
        query.run(**values)
