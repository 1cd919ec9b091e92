"""Feeds, sitemaps, robots.txt, metadata, tags, the date archive and redirects."""

import html
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.cache import cache

from media.services import image_upload
from news.models import Article, Category, Tag
from portal.models import SiteSettings
from tests.factories import make_article, make_category, vn_time
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def site(settings, site_settings):
    settings.SITE_URL = "https://tintuc.example.vn"
    economy = make_category(name="Kinh tế")
    cover = image_upload(upload(image_bytes(size=(1600, 900))), alt_text="Cảng Hải Phòng")
    a = make_article(
        title="Cảng Hải Phòng đón tàu lớn",
        lead="Sapo tin cảng.",
        category=economy,
        cover_image=cover,
        published_at=vn_time(2023, 5, 24, 17, 20),
        original_url="https://baohaiphong.example.vn/tin-goc",
    )
    b = make_article(title="Tin an ninh", published_at=vn_time(2023, 5, 23, 8, 0))
    make_article(title="Bản nháp", status=Article.Status.DRAFT, published_at=None, category=economy)
    return {"economy": economy, "port": a, "security": b}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_rss_feed_parses_with_absolute_links_local_dates_and_enclosures(client, site):
    feed = feedparser.parse(body(client.get("/rss/")))
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Cổng tin tức Thành phố Hải Phòng"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Cảng Hải Phòng đón tàu lớn", "Tin an ninh"]
    port = feed.entries[0]
    assert port.link == site["port"].canonical_url
    assert port.link.startswith("https://tintuc.example.vn/tin-tuc/")
    assert port.summary == "Sapo tin cảng."
    assert port.published.endswith("+0700")  # Asia/Ho_Chi_Minh
    assert "17:20:00" in port.published
    enclosure = port.enclosures[0]
    assert enclosure.href.startswith("https://tintuc.example.vn/media/renditions/")
    assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0


def test_section_feed_lists_only_that_section(client, site):
    response = client.get(f"/rss/{site['economy'].slug}/")
    feed = feedparser.parse(body(response))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Cảng Hải Phòng đón tàu lớn"]
    assert client.get("/rss/khong-co/").status_code == 404


def test_sitemap_index_and_sections_are_valid_xml_on_site_url(client, site):
    index = ET.fromstring(body(client.get("/sitemap.xml")))
    locations = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert "https://tintuc.example.vn/sitemap-bai-viet.xml" in locations
    assert "https://tintuc.example.vn/sitemap-chuyen-muc.xml" in locations
    articles = ET.fromstring(body(client.get("/sitemap-bai-viet.xml")))
    urls = {loc.text for loc in articles.findall("s:url/s:loc", SITEMAP_NS)}
    assert urls == {site["port"].canonical_url, site["security"].canonical_url}
    sections = ET.fromstring(body(client.get("/sitemap-chuyen-muc.xml")))
    assert "https://tintuc.example.vn/chuyen-muc/kinh-te/" in {
        loc.text for loc in sections.findall("s:url/s:loc", SITEMAP_NS)
    }


def test_google_news_sitemap_has_the_last_48_hours(client, site, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: vn_time(2023, 5, 25, 7, 0))
    root = ET.fromstring(body(client.get("/sitemap-tin-tuc.xml")))
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    titles = [e.text for e in root.iter(f"{news}title")]
    assert titles == ["Cảng Hải Phòng đón tàu lớn", "Tin an ninh"]
    monkeypatch.setattr(timezone, "now", lambda: vn_time(2023, 5, 26, 9, 0))
    root = ET.fromstring(body(client.get("/sitemap-tin-tuc.xml")))
    assert [e.text for e in root.iter(f"{news}title")] == ["Cảng Hải Phòng đón tàu lớn"]


def test_robots_txt_points_to_the_sitemaps(client, site):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://tintuc.example.vn/sitemap.xml" in text
    assert "Disallow: /quan-tri/" in text


def test_article_metadata(client, site):
    article = site["port"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="{article.canonical_url}">' in html
    assert '<meta property="og:title" content="Cảng Hải Phòng đón tàu lớn">' in html
    assert '<meta property="article:published_time" content="2023-05-24T17:20:00+07:00">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    og_image = re.search(r'property="og:image" content="([^"]+)"', html).group(1)
    assert (
        og_image.startswith("https://tintuc.example.vn/media/renditions/")
        and "-1200w.jpg" in og_image
    )
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Cảng Hải Phòng đón tàu lớn"
    assert data["datePublished"] == "2023-05-24T10:20:00+00:00"
    assert data["image"] == [og_image]
    assert data["isBasedOn"] == "https://baohaiphong.example.vn/tin-goc"
    assert data["publisher"]["name"] == "Cổng tin tức Thành phố Hải Phòng"
    assert data["author"] == {"@type": "Person", "name": "Hoàng Tùng"}


def test_json_ld_cannot_close_its_script_block(client, site):
    article = make_article(title="Tiêu đề </script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "alert" in block and "<" not in block


def test_every_page_has_a_title_description_and_canonical(client, site):
    tag = Tag.objects.create(name="Cảng biển")
    site["port"].tags.add(tag)
    for url in [
        "/",
        site["economy"].get_absolute_url(),
        tag.get_absolute_url(),
        "/khen-thuong/",
        site["security"].get_absolute_url(),
    ]:
        html = client.get(url).content.decode()
        assert re.search(r"<title>[^<]+</title>", html), url
        assert re.search(r'<meta name="description" content="[^"]{10,}">', html), url
        assert '<link rel="canonical" href="https://tintuc.example.vn/' in html, url


def test_tag_page_and_day_archive(client, site, django_assert_max_num_queries):
    tag = Tag.objects.create(name="Cảng biển")
    assert tag.slug == "cang-bien"
    site["port"].tags.add(tag)
    client.get(tag.get_absolute_url())
    with django_assert_max_num_queries(5):
        html = client.get(tag.get_absolute_url()).content.decode()
    assert "Cảng Hải Phòng đón tàu lớn" in html and "Tin an ninh" not in html
    day = client.get("/tin-theo-ngay/", {"ngay": "2023-05-24"}).content.decode()
    assert "Cảng Hải Phòng đón tàu lớn" in day and "Tin an ninh" not in day
    assert client.get("/tin-theo-ngay/", {"ngay": "24-05-2023"}).status_code == 404
    assert client.get("/tin-theo-ngay/", {"ngay": "2023-05-24", "page": "5"}).status_code == 404
    client.get("/tin-theo-ngay/", {"ngay": "2023-05-24"})
    with django_assert_max_num_queries(3):
        client.get("/tin-theo-ngay/", {"ngay": "2023-05-24"})


def test_section_page_query_count(client, site, django_assert_num_queries):
    for n in range(15):
        make_article(title=f"Kinh tế {n}", category=site["economy"])
    client.get(site["economy"].get_absolute_url())
    # The section comes with the cached tree; its count kept beside it, then
    # the page of stored cards.
    with django_assert_num_queries(2):
        client.get(site["economy"].get_absolute_url())


def test_manual_redirects_from_the_admin_model(client, site):
    Redirect.objects.create(
        site=Site.objects.get_current(),
        old_path="/tin-cu/cang.html",
        new_path=site["port"].get_absolute_url(),
    )
    response = client.get("/tin-cu/cang.html")
    assert response.status_code == 301
    assert response["Location"] == site["port"].get_absolute_url()


def test_changing_section_or_slug_keeps_old_urls_working(client, site):
    article = site["port"]
    old = article.get_absolute_url()
    article.title, article.slug = "Cảng Hải Phòng đón tàu 200.000 tấn", ""
    article.category = make_category(name="Giao thông")
    article.save()
    assert client.get(old)["Location"] == article.get_absolute_url()


def test_section_pages_list_the_articles_of_the_section_and_its_subsections_newest_first(
    client, site
):
    port = make_category(name="Cảng biển", parent=site["economy"])
    make_category(name="Văn hóa")
    for day in range(1, 26):
        make_article(
            title=f"Tin kinh tế số {day:02d}",
            category=port if day % 2 else site["economy"],
            published_at=vn_time(2024, 1, day, 9, 0),
        )
    make_article(title="Tin văn hóa", published_at=vn_time(2024, 1, 30, 9, 0))
    pages = [
        re.findall(
            r"Tin kinh tế số (\d+)",
            client.get(site["economy"].get_absolute_url(), {"page": n}).content.decode(),
        )
        for n in (1, 2)
    ]
    numbers = [int(n) for page in pages for n in dict.fromkeys(page)]
    assert numbers == list(range(25, 0, -1))[:20] + list(range(5, 0, -1))


def test_the_first_and_last_dates_there_are_answer_404_not_500(client, site):
    for day in ("9999-12-31", "0001-01-01"):
        assert client.get("/tin-theo-ngay/", {"ngay": day}).status_code == 404
    assert client.get("/tin-theo-ngay/", {"ngay": "9999-12-30"}).status_code == 200


def feeds_and_sitemaps(client, site):
    return {
        url: body(client.get(url))
        for url in (
            "/rss/",
            f"/rss/{site['economy'].slug}/",
            "/sitemap.xml",
            "/sitemap-bai-viet.xml",
            "/sitemap-chuyen-muc.xml",
            "/sitemap-tin-tuc.xml",
        )
    }


def test_a_vertical_tab_pasted_from_word_keeps_feeds_and_sitemaps_well_formed(
    client, site, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: vn_time(2023, 5, 25, 7, 0))
    make_article(
        title="Hải Phòng\x0bđón\x01 năm mới",
        lead="Dòng một\x0bdòng hai\x0c\x1b",
        author_byline="Nhóm\x0bPV\x7f\x85",
        category=site["economy"],
        published_at=vn_time(2023, 5, 24, 20, 0),
    )
    for url, content in feeds_and_sitemaps(client, site).items():
        ET.fromstring(content)  # well-formed, or this raises
        assert not feedparser.parse(content).bozo, url
    entry = feedparser.parse(body(client.get("/rss/"))).entries[0]
    assert entry.title == "Hải Phòng đón năm mới"
    assert entry.summary == "Dòng một\ndòng hai"
    assert entry.author == "Nhóm PV"
    root = ET.fromstring(body(client.get("/sitemap-tin-tuc.xml")))
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    assert next(root.iter(f"{news}title")).text == "Hải Phòng đón năm mới"


def test_feeds_and_sitemaps_stay_well_formed_when_a_stored_row_holds_a_control_character(
    client, site, monkeypatch
):
    # A row that escaped cleaning on save (raw SQL, an old backup restored).
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: vn_time(2023, 5, 25, 7, 0))
    Article.objects.filter(pk=site["port"].pk).update(
        title="Cảng\x0b Hải Phòng\x01", lead="Sapo\x02 tin\ufffe cảng", author_byline="PV\x1f"
    )
    Category.objects.filter(pk=site["economy"].pk).update(name="Kinh\x0b tế")
    SiteSettings.objects.update(portal_name="Cổng\x08 tin tức")
    cache.clear()
    for url, content in feeds_and_sitemaps(client, site).items():
        ET.fromstring(content)
        assert not feedparser.parse(content).bozo, url
    feed = feedparser.parse(body(client.get("/rss/")))
    assert feed.feed.title == "Cổng tin tức"
    port = next(e for e in feed.entries if e.link == site["port"].canonical_url)
    assert (port.title, port.summary, port.author) == ("Cảng\n Hải Phòng", "Sapo tin cảng", "PV")
    assert port.tags[0].term == "Kinh\n tế"


def test_a_feed_shows_markup_typed_in_a_sapo_as_text(client, site):
    lead = 'Ảnh <img src="https://evil.example/x.png"> & <a href="https://evil.example/">đây</a>'
    port = site["port"]
    port.lead = lead
    port.save()
    entry = feedparser.parse(body(client.get("/rss/"))).entries[0]
    assert "<img" not in entry.summary and "<a " not in entry.summary
    assert html.unescape(entry.summary) == lead
