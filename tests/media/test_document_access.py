"""Readers download a library document only while a public page links to it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from media.models import Document
from news.models import Article
from portal.roles import REPORTER
from tests.factories import make_article, make_decision, make_organization, make_user
from tests.media.images import PDF
from tests.media.test_public import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return make_document(title="Dự thảo quyết định", number="99/QĐ-UBND")


def link(document) -> str:
    return f'<p>Xem <a href="{document.get_absolute_url()}">quyết định</a>.</p>'


def wrong_name(document) -> str:
    return document.get_absolute_url().rsplit("/", 1)[0] + "/khac.pdf"


def served(response, data=PDF) -> bool:
    return response.status_code == 200 and b"".join(response.streaming_content) == data


def test_a_document_no_public_page_links_to_is_not_found(client, document):
    assert client.get(document.get_absolute_url()).status_code == 404
    response = client.get(wrong_name(document))
    assert response.status_code == 404
    assert "Location" not in response
    assert client.get(f"/tai-lieu/{document.pk}/").status_code == 404


@pytest.mark.parametrize(
    "article",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"deleted_at": timezone.now()},
    ],
    ids=["draft", "review", "unpublished", "scheduled", "trashed"],
)
def test_a_link_from_an_article_readers_cannot_see_does_not_publish_it(client, document, article):
    make_article(body=link(document), **article)
    assert client.get(document.get_absolute_url()).status_code == 404


def test_a_link_from_a_published_article_serves_it_by_its_exact_name_only(client, document):
    make_article(body=link(document))
    assert served(client.get(document.get_absolute_url()))
    response = client.get(wrong_name(document))
    assert response.status_code == 404
    assert "Location" not in response


def test_an_award_decisions_scan_and_an_organizations_link_serve_it(client, document):
    make_decision(document=document)
    assert served(client.get(document.get_absolute_url()))
    charter = PDF + b"%charter\n"
    other = make_document(charter, "dieu-le.pdf", title="Điều lệ")
    assert client.get(other.get_absolute_url()).status_code == 404
    make_organization(functions=f'<p><a href="{other.get_absolute_url()}">Điều lệ</a></p>')
    assert served(client.get(other.get_absolute_url()), charter)


def test_an_organizations_link_to_another_number_does_not_count(client, document):
    make_organization(functions=f'<p><a href="/tai-lieu/{document.pk}0/x.pdf">Khác</a></p>')
    assert client.get(document.get_absolute_url()).status_code == 404


def test_a_public_document_is_checked_again_before_every_reuse(client, document):
    make_article(body=link(document))
    response = client.get(document.get_absolute_url())
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "max-age" not in cache_control
    assert response["ETag"] == f'"{document.content_hash}"'
    again = client.get(document.get_absolute_url(), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_once_unpublished_its_document_is_gone_even_with_the_page_cache_on(
    client, settings, document
):
    settings.PAGE_CACHE_ENABLED = True
    article = make_article(body=link(document))
    url = document.get_absolute_url()
    assert served(client.get(url)) and served(client.get(url))
    article.status = Article.Status.UNPUBLISHED
    article.save()
    assert client.get(url).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_staff_who_may_view_the_library_get_any_document_uncached(document):
    staff = Client()
    staff.force_login(make_user(REPORTER, "phongvien"))
    response = staff.get(document.get_absolute_url())
    assert served(response)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    moved = staff.get(wrong_name(document))
    assert moved.status_code == 302 and moved["Location"] == document.get_absolute_url()
    assert "no-store" in moved["Cache-Control"]


def test_staff_without_the_library_permission_are_readers(document):
    user = make_user(None, "khach")
    user.user_permissions.set(Permission.objects.filter(codename="view_article"))
    staff = Client()
    staff.force_login(user)
    assert staff.get(document.get_absolute_url()).status_code == 404
    assert staff.get(wrong_name(document)).status_code == 404
