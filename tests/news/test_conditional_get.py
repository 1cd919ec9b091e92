"""Browsers and proxies that already have a page get 304 Not Modified."""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["article", "qr", "feed"])
def test_a_matching_etag_gets_304(client, site_settings, kind):
    article = make_article(title="Tin có ETag")
    url = {"article": article.get_absolute_url(), "qr": article.get_qr_url(), "feed": "/rss/"}[kind]
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert not again.content


def test_a_changed_article_gets_a_new_etag(client, site_settings):
    article = make_article(title="Tin đầu")
    etag = client.get(article.get_absolute_url())["ETag"]
    article.lead = "Sapo mới."
    article.save()
    fresh = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert "Sapo mới." in fresh.content.decode()
