"""Browsers and proxies that already have a page get 304 Not Modified."""

import time
from email.utils import parsedate_to_datetime

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


@pytest.mark.parametrize("kind", ["article", "qr", "feed"])
def test_if_modified_since_gets_304_until_something_changes(client, site_settings, settings, kind):
    settings.PAGE_CACHE_ENABLED = True
    article = make_article(title="Tin có Last-Modified")
    url = {"article": article.get_absolute_url(), "qr": article.get_qr_url(), "feed": "/rss/"}[kind]
    first = client.get(url)
    last_modified = first["Last-Modified"]
    assert last_modified.endswith(" GMT")
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    if kind == "qr":
        return  # a QR code only changes with the address it encodes
    time.sleep(1.1)  # HTTP dates count whole seconds
    make_article(title="Tin mới đăng sau")
    fresh = client.get(url, headers={"If-Modified-Since": last_modified})
    assert fresh.status_code == 200
    assert parsedate_to_datetime(fresh["Last-Modified"]) > parsedate_to_datetime(last_modified)
