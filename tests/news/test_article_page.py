import pytest

from news.models import Article
from tests.factories import SEED_TITLE, make_article, make_category, vn_time

pytestmark = pytest.mark.django_db

SEED_BODY = (
    "<p>Trong 10 năm qua, quận Hồng Bàng đã tập trung các nguồn lực.</p>"
    '<figure class="image-captioned"><img src="/media/demo/anh-1.jpg" alt="Phát biểu" '
    'width="1200" height="750"><figcaption>Đồng chí Lê Thị Vân, Phó Chủ tịch Thường trực '
    "UBND quận, Trưởng Ban Chỉ đạo 799 quận phát biểu tại Hội nghị.</figcaption></figure>"
)


@pytest.fixture
def seed(site_settings):
    return make_article(
        title=SEED_TITLE,
        lead="Chiều 24/5, Ban Chỉ đạo 799 quận Hồng Bàng tổ chức Hội nghị tổng kết.",
        body=SEED_BODY,
        source="Ban Tuyên giáo Quận ủy Hồng Bàng",
        original_url="https://example.vn/bai-goc",
        published_at=vn_time(2023, 5, 24, 17, 20),
    )


def test_article_page_shows_every_element_of_the_seed_page(client, seed):
    response = client.get(seed.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 id="article-title" class="article__title">{SEED_TITLE}</h1>' in html
    assert "Thứ Tư, 24/05/2023 17:20" in html
    assert 'data-action="print">Print</button>' in html
    assert 'href="https://example.vn/bai-goc"' in html and ">Gốc</a>" in html
    assert '<p class="article__lead">Chiều 24/5, Ban Chỉ đạo 799' in html
    assert "<figcaption>Đồng chí Lê Thị Vân, Phó Chủ tịch Thường trực UBND quận" in html
    assert '<p class="article__byline">Hoàng Tùng</p>' in html
    assert "Tiện ích thông tin" in html
    assert "Nguồn tin" in html and "Ban Tuyên giáo Quận ủy Hồng Bàng" in html
    # The QR code was built when the article was saved and is a stored file.
    assert seed.qr_image and f'src="/media/{seed.qr_image}"' in html
    assert f'href="/tin-tuc/{seed.pk}/qr.png?size=print&amp;download=1"' in html
    assert f"QR CODE: {SEED_TITLE}" in html
    assert "Chúng tôi trên Mạng Xã hội" in html
    assert "Mã QR Code truy cập vào Fanpage Cổng tin tức Thành phố Hải Phòng" in html
    assert 'src="/qr/fanpage.png"' in html
    assert "https://www.facebook.com/sharer/sharer.php?u=" in html
    assert f'<link rel="canonical" href="{seed.canonical_url}">' in html
    assert '<a class="skip-link" href="#noi-dung">' in html
    assert '<html lang="vi">' in html


def test_breadcrumb_names_the_category(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    assert (
        '<a href="/chuyen-muc/quoc-phong-an-ninh/" aria-current="location">Quốc phòng - An ninh</a>'
        in html
    )


def test_gốc_link_and_source_are_absent_when_not_set(client, site_settings):
    article = make_article(source="", original_url="")
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">Gốc</a>" not in html
    assert "Nguồn tin" not in html


def test_fanpage_block_is_hidden_until_a_fanpage_is_configured(client, db):
    article = make_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Chúng tôi trên Mạng Xã hội" not in html


def test_tin_khac_lists_other_published_articles_of_the_same_category(client, seed):
    same = make_article(title="Cùng chuyên mục", published_at=vn_time(2023, 5, 20, 8, 0))
    make_article(title="Chuyên mục khác", category=make_category(name="Kinh tế"))
    make_article(title="Nháp cùng chuyên mục", status=Article.Status.DRAFT, published_at=None)
    make_article(title="Hẹn giờ cùng chuyên mục", published_at=vn_time(2099, 1, 1, 8, 0))
    response = client.get(seed.get_absolute_url())
    assert response.context["other_articles"] == [same]
    html = response.content.decode()
    assert "Tin khác" in html
    assert (
        f'<a href="{same.get_absolute_url()}">Cùng chuyên mục</a> '
        '<time datetime="2023-05-20T08:00:00+07:00">(20/05/2023)</time>'
    ) in html
    assert "Chuyên mục khác" not in html and "Nháp cùng" not in html and "Hẹn giờ" not in html


def test_body_markup_is_printed_and_lead_is_escaped(client, site_settings):
    article = make_article(lead="<b>sapo</b>", body="<p><strong>Đậm</strong></p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;b&gt;sapo&lt;/b&gt;" in html
    assert "<p><strong>Đậm</strong></p>" in html


def test_a_stale_slug_answers_301_to_the_canonical_address(client, site_settings):
    article = make_article(title="Tiêu đề cũ")
    old_url = article.get_absolute_url()
    article.title, article.slug = "Tiêu đề mới", ""
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == f"/tin-tuc/tieu-de-moi-{article.pk}/"
    assert client.get(f"/tin-tuc/{article.pk}/").status_code == 301
    assert client.get(f"/tin-tuc/bat-ky-{article.pk}/")["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": vn_time(2099, 1, 1, 8, 0)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_articles_answer_a_vietnamese_404(client, site_settings, overrides):
    article = make_article(**overrides)
    for url in (article.get_absolute_url(), f"/tin-tuc/{article.pk}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


def test_unknown_id_answers_404_not_500(client, db):
    response = client.get("/tin-tuc/khong-co-999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_article_page_query_count_is_pinned(client, seed, django_assert_num_queries):
    for n in range(5):
        make_article(title=f"Tin khác {n}")
    client.get(seed.get_absolute_url())  # warm the site settings cache
    # The article with its stored <article> element, category and cover; Tin
    # khác. The session is not touched.
    with django_assert_num_queries(2):
        response = client.get(seed.get_absolute_url())
    assert len(response.context["other_articles"]) == 5
    # After a change, the first request renders the element again: the row,
    # the body, the tags, the award decisions, the gallery, storing the
    # element, Tin khác.
    seed.save()
    with django_assert_num_queries(7):
        again = client.get(seed.get_absolute_url())
    assert again.content == response.content


def test_public_pages_send_a_strict_content_security_policy(client, seed):
    csp = client.get(seed.get_absolute_url())["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_front_page_shows_featured_latest_sections_and_most_read(client, site_settings):
    from io import StringIO

    from django.core.management import call_command

    economy = make_category(name="Kinh tế")
    make_article(title="Tin nổi bật số một", featured_order=1)
    make_article(title="Tin nổi bật số hai", featured_order=2, category=economy)
    read = make_article(title="Tin nhiều người đọc", category=economy)
    make_article(title="Tin nháp", status=Article.Status.DRAFT, published_at=None)
    for _ in range(3):
        client.get(read.get_absolute_url())
    call_command("flush_view_counts", stdout=StringIO())
    html = client.get("/").content.decode()
    featured = html.split('id="featured-title"')[1].split("</section>")[0]
    assert featured.index("Tin nổi bật số một") < featured.index("Tin nổi bật số hai")
    most_read = html.split('id="most-read-title"')[1].split("</section>")[0]
    assert f'<a href="{read.get_absolute_url()}">Tin nhiều người đọc</a>' in most_read
    latest = html.split('id="latest-title"')[1].split("</section>")[0]
    assert (
        f'<a href="{read.get_absolute_url()}">Tin nhiều người đọc</a> '
        '<time datetime="2023-05-24T17:20:00+07:00">17:20 24/05</time>'
    ) in latest
    assert "Tin nổi bật số một" not in latest
    assert 'href="/chuyen-muc/kinh-te/">Kinh tế</a>' in html  # a block per section
    assert "Tin nháp" not in html


def test_section_pages_paginate_and_refuse_bad_pages(client, site_settings):
    section = make_category(name="Kinh tế")
    child = make_category(name="Doanh nghiệp", parent=section)
    for n in range(21):
        make_article(title=f"Tin kinh tế {n}", category=section if n % 2 else child)
    first = client.get(section.get_absolute_url())
    assert first.status_code == 200 and "Trang 1/2" in first.content.decode()
    assert '<span aria-current="page">1</span>' in first.content.decode()
    assert 'href="?page=2">2</a>' in first.content.decode()
    assert (
        client.get(section.get_absolute_url(), {"page": "2"}).content.decode().count("card__title")
        == 1
    )
    for bad in ("3", "0", "abc", "-1"):
        response = client.get(section.get_absolute_url(), {"page": bad})
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()
    child_page = client.get(child.get_absolute_url()).content.decode()
    assert "Kinh tế</a>" in child_page.split('class="breadcrumb"')[1].split("</nav>")[0]
