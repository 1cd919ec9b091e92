"""The site's header and footer: rendered once, never stale."""

import re

import pytest

from portal.models import SiteSettings
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def header_and_footer(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    header = re.search(r'<header class="site-header">.*?</header>', html, re.S).group(0)
    footer = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S).group(0)
    templates = {t.name for t in response.templates}
    return header, footer, templates


def test_the_header_and_footer_are_rendered_once_for_every_page(client, site_settings):
    make_article()
    header, footer, templates = header_and_footer(client, "/")
    assert "includes/site_header.html" in templates
    assert "Quốc phòng - An ninh" in header and "Cổng tin tức" in footer
    again, footer_again, templates = header_and_footer(client, "/tim-kiem/")
    assert "includes/site_header.html" not in templates
    assert (again, footer_again) == (header, footer)


def test_a_new_or_renamed_section_is_in_the_menu_on_the_next_request(client, site_settings):
    section = make_category(name="Kinh tế")
    header_and_footer(client)
    make_category(name="Văn hóa - Xã hội")
    section.name = "Kinh tế - Đô thị"
    section.save()
    header, _footer, _templates = header_and_footer(client, "/tim-kiem/")
    assert ">Kinh tế - Đô thị</a>" in header and ">Văn hóa - Xã hội</a>" in header
    assert ">Kinh tế</a>" not in header


def test_changed_site_settings_are_in_the_header_and_footer_on_the_next_request(
    client, site_settings
):
    header_and_footer(client)
    site = SiteSettings.load()
    site.portal_name = "Cổng TTĐT quận Hồng Bàng"
    site.address = "Số 1 Hoàng Văn Thụ, Hồng Bàng"
    site.save()
    header, footer, _templates = header_and_footer(client, "/tim-kiem/")
    assert "Cổng TTĐT quận Hồng Bàng" in header
    assert "Số 1 Hoàng Văn Thụ, Hồng Bàng" in footer


def test_a_page_reads_the_site_settings_header_and_footer_in_one_cache_read(
    client, site_settings, monkeypatch
):
    from django.core.cache import cache

    from portal import chrome

    article = make_article(title="Tin đọc thử")
    for url in ("/", article.get_absolute_url()):
        client.get(url)  # fills the cache, stores the article's markup
    backend = type(cache._connections[cache._alias] if hasattr(cache, "_alias") else cache)
    reads, inside = [], []

    def counting(method):
        def counted(self, keys, *args, **kwargs):
            # Local memory's get_many calls get: count what the page asks for.
            if not inside:
                reads.append([keys] if isinstance(keys, str) else list(keys))
            inside.append(True)
            try:
                return method(self, keys, *args, **kwargs)
            finally:
                inside.pop()

        return counted

    monkeypatch.setattr(backend, "get", counting(backend.get))
    monkeypatch.setattr(backend, "get_many", counting(backend.get_many))
    for url in ("/", "/tim-kiem/", article.get_absolute_url()):
        reads.clear()
        html = client.get(url).content.decode()
        assert "Cổng tin tức" in html and '<header class="site-header">' in html
        touching = [keys for keys in reads if {SiteSettings.CACHE_KEY, chrome.CACHE_KEY} & {*keys}]
        assert touching == [[SiteSettings.CACHE_KEY, chrome.CACHE_KEY]], url
