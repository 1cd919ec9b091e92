import unicodedata
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import NoReverseMatch
from django.utils import timezone

from news.models import Article
from tests.factories import make_article, make_category, vn_time

pytestmark = pytest.mark.django_db


def test_blank_slug_is_filled_from_the_title_with_vietnamese_letters():
    article = make_article(title="Đồng chí Lê Thị Vân thăm Công an quận", slug="")
    assert article.slug == "dong-chi-le-thi-van-tham-cong-an-quan"


def test_an_editors_slug_is_kept():
    article = make_article(title="Tin mới", slug="tin-rieng")
    assert article.slug == "tin-rieng"


def test_category_slug_comes_from_its_name():
    assert make_category(name="Đảng - Đoàn thể").slug == "dang-doan-the"


def test_text_is_stored_in_nfc_whatever_form_it_arrives_in():
    nfd = unicodedata.normalize("NFD", "Quận Hồng Bàng")
    article = make_article(title=nfd, lead=nfd, body=f"<p>{nfd}</p>", author_byline=nfd)
    stored = Article.objects.values("title", "lead", "body", "author_byline").get(pk=article.pk)
    assert stored == {
        "title": "Quận Hồng Bàng",
        "lead": "Quận Hồng Bàng",
        "body": "<p>Quận Hồng Bàng</p>",
        "author_byline": "Quận Hồng Bàng",
    }


def test_body_is_sanitised_when_saved():
    article = make_article(body='<p onclick="x()">Tin<script>alert(1)</script></p>')
    assert Article.objects.get(pk=article.pk).body == "<p>Tin</p>"


def test_publishing_without_a_time_stamps_now():
    before = timezone.now()
    article = make_article(published_at=None)
    assert article.published_at >= before


def test_the_database_refuses_a_published_article_without_a_time():
    article = make_article()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_published_is_status_and_time_together():
    now = timezone.now()
    visible = make_article(title="Đã đăng", published_at=now - timedelta(minutes=1))
    make_article(title="Bản nháp", status=Article.Status.DRAFT, published_at=None)
    make_article(title="Hẹn giờ", published_at=now + timedelta(hours=1))
    make_article(
        title="Nháp có giờ", status=Article.Status.DRAFT, published_at=now - timedelta(days=1)
    )
    assert list(Article.objects.published()) == [visible]


def test_a_scheduled_article_becomes_public_at_its_time_without_anything_running(
    monkeypatch,
):
    article = make_article(published_at=vn_time(2030, 1, 1, 8, 0))
    monkeypatch.setattr(timezone, "now", lambda: vn_time(2030, 1, 1, 7, 59))
    assert not Article.objects.published().filter(pk=article.pk).exists()
    monkeypatch.setattr(timezone, "now", lambda: vn_time(2030, 1, 1, 8, 0))
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_canonical_url_carries_slug_and_id(settings):
    settings.SITE_URL = "https://tintuc.example.vn"
    article = make_article(title="Tin Hồng Bàng")
    assert article.canonical_url == f"https://tintuc.example.vn/tin-tuc/tin-hong-bang-{article.pk}/"


def test_an_article_address_follows_the_script_prefix_and_resolves_to_its_page(client):
    from django.urls import resolve, set_script_prefix

    article = make_article(title="Tin Hồng Bàng")
    assert article.get_absolute_url() == f"/tin-tuc/tin-hong-bang-{article.pk}/"
    assert resolve(article.get_absolute_url()).kwargs == {
        "slug": "tin-hong-bang",
        "pk": str(article.pk),
    }
    # A portal served under a sub-path (SCRIPT_NAME) prints it in every link.
    set_script_prefix("/cong/")
    try:
        assert article.get_absolute_url() == f"/cong/tin-tuc/tin-hong-bang-{article.pk}/"
    finally:
        set_script_prefix("/")
    # A slug the pattern cannot take is refused as reverse() refuses it.
    article.slug = "tin/hong"
    with pytest.raises(NoReverseMatch):
        article.get_absolute_url()


def test_articles_list_newest_first():
    old = make_article(title="Cũ", published_at=vn_time(2023, 5, 1, 8, 0))
    new = make_article(title="Mới", published_at=vn_time(2023, 5, 2, 8, 0))
    assert list(Article.objects.published()) == [new, old]
