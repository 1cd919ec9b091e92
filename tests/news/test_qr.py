import io

import pytest
import zxingcpp
from django.core.files.storage import default_storage
from PIL import Image

from news.models import Article
from tests.factories import make_article, vn_time

pytestmark = pytest.mark.django_db


def decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return results[0].text


@pytest.fixture
def article(settings):
    settings.SITE_URL = "https://tintuc.example.vn"
    return make_article(title="Quận Hồng Bàng: Gắn kết công tác xây dựng phong trào")


def test_qr_decodes_to_the_articles_absolute_canonical_url(client, article):
    response = client.get(article.get_qr_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    expected = f"https://tintuc.example.vn/tin-tuc/quan-hong-bang-gan-ket-cong-tac-xay-dung-phong-trao-{article.pk}/"
    assert decode(b"".join(response.streaming_content)) == expected


def test_print_size_png_decodes_too_and_downloads(client, article):
    response = client.get(article.get_qr_url() + "?size=print&download=1")
    png = b"".join(response.streaming_content)
    assert decode(png) == article.canonical_url
    assert Image.open(io.BytesIO(png)).width > 600
    assert response["Content-Disposition"].startswith("attachment;")


def test_svg_is_served_for_print(client, article):
    response = client.get(article.get_qr_url("svg") + "?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = b"".join(response.streaming_content).decode()
    assert svg.lstrip().startswith("<?xml") and "<path" in svg
    assert f'filename="qr-{article.slug}.svg"' in response["Content-Disposition"]


def test_qr_is_built_once_and_then_served_from_storage(client, article, monkeypatch):
    client.get(article.get_qr_url())
    files = default_storage.listdir("qr")[1]
    assert len(files) == 1

    def fail(*args, **kwargs):
        raise AssertionError("QR code rebuilt on a later request")

    monkeypatch.setattr("portal.qr.render_qr", fail)
    response = client.get(article.get_qr_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["ETag"]


def test_a_new_title_gives_a_new_qr_code_for_the_new_address(client, article):
    client.get(article.get_qr_url())
    article.title, article.slug = "Tiêu đề đã sửa", ""
    article.save()
    response = client.get(article.get_qr_url())
    assert decode(b"".join(response.streaming_content)).endswith(f"/tieu-de-da-sua-{article.pk}/")


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": vn_time(2099, 1, 1, 0, 0)},
    ],
    ids=["draft", "scheduled"],
)
def test_qr_of_an_article_the_public_cannot_see_is_404(client, overrides):
    article = make_article(**overrides)
    assert client.get(article.get_qr_url()).status_code == 404
    assert not default_storage.exists("qr")


def test_unknown_qr_format_or_size_is_404(client, article):
    assert client.get(f"/tin-tuc/{article.pk}/qr.gif").status_code == 404
    assert client.get(article.get_qr_url() + "?size=huge").status_code == 404


def test_fanpage_qr_decodes_to_the_configured_fanpage(client, site_settings):
    response = client.get("/qr/fanpage.png")
    assert (
        decode(b"".join(response.streaming_content)) == "https://www.facebook.com/example.haiphong"
    )


def test_fanpage_qr_is_404_when_no_fanpage_is_configured(client, db):
    assert client.get("/qr/fanpage.png").status_code == 404


def test_publishing_builds_the_pages_qr_file_and_drafts_get_none(settings):
    settings.SITE_URL = "https://tintuc.example.vn"
    draft = make_article(title="Bản nháp", status=Article.Status.DRAFT, published_at=None)
    assert draft.qr_image == ""
    published = make_article(title="Tin đã đăng")
    with default_storage.open(published.qr_image) as handle:
        assert decode(handle.read()) == published.canonical_url
    assert published.qr_image_url() == f"/media/{published.qr_image}"
    # A new SITE_URL makes the stored code stale: the page falls back to the view.
    settings.SITE_URL = "https://tin.haiphong.gov.vn"
    assert published.qr_image_url() == published.get_qr_url()


def test_rebuild_qr_codes_stores_the_missing_and_the_stale(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.SITE_URL = "https://tintuc.example.vn"
    first, second = make_article(title="Tin một"), make_article(title="Tin hai")
    Article.objects.filter(pk=first.pk).update(qr_image="")
    out = StringIO()
    call_command("rebuild_qr_codes", stdout=out)
    assert "Built 1 QR codes; 1 were up to date." in out.getvalue()
    settings.SITE_URL = "https://tin.haiphong.gov.vn"
    call_command("rebuild_qr_codes", stdout=out)
    second.refresh_from_db()
    assert second.qr_image_url() == f"/media/{second.qr_image}"
    with default_storage.open(second.qr_image) as handle:
        assert decode(handle.read()).startswith("https://tin.haiphong.gov.vn/tin-tuc/")
