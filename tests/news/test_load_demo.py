import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from media.models import Image
from news.models import Article, Category
from portal.models import SiteSettings
from tests.factories import SEED_TITLE

SEED = json.loads(
    (Path(__file__).parents[2] / "news" / "demo" / "seed_article.json").read_text(encoding="utf-8")
)

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_load_demo_loads_the_seed_article_with_its_photos_and_captions():
    run()
    seed = Article.objects.get(title=SEED_TITLE)
    assert seed.author_byline == "Hoàng Tùng"
    assert seed.published_at.isoformat() == "2023-05-24T10:20:00+00:00"
    assert seed.lead.startswith("Chiều 24/5, Ban Chỉ đạo 799")
    assert seed.body.count("<figure") == 3
    assert "<figcaption>Trao Giấy khen cho các cá nhân.</figcaption>" in seed.body
    # Its three photos are library images with their captions as alt text,
    # shown as responsive pictures; the first is the cover.
    photos = list(seed.body_images.order_by("title"))
    assert [p.default_caption for p in photos] == [
        b["photo_caption"] for b in SEED["body_blocks_in_order"] if "photo_caption" in b
    ]
    assert all(p.alt_text and p.renditions.count() >= 8 for p in photos)
    assert all(default_storage.exists(p.file.name) for p in photos)
    assert seed.cover_image == photos[0]
    assert seed.body_html.count("<picture>") == 3
    festival = Article.objects.get(title__startswith="Thành phố tổ chức Lễ hội Hoa Phượng Đỏ")
    assert festival.gallery_items.count() == 3
    assert Article.objects.published().count() >= 13
    assert Article.objects.published().filter(category=seed.category).count() >= 5
    assert SiteSettings.load().portal_name == "Cổng tin tức Thành phố Hải Phòng"


def test_load_demo_twice_changes_nothing():
    run()
    seed = Article.objects.get(title=SEED_TITLE)
    seed.lead = "Biên tập viên đã sửa sapo."
    seed.save()
    site = SiteSettings.load()
    site.portal_name = "Cổng tin tức quận Hồng Bàng"
    site.save()
    counts = (Article.objects.count(), Category.objects.count(), Image.objects.count())

    output = run()

    assert (Article.objects.count(), Category.objects.count(), Image.objects.count()) == counts
    assert Article.objects.get(pk=seed.pk).lead == "Biên tập viên đã sửa sapo."
    assert SiteSettings.load().portal_name == "Cổng tin tức quận Hồng Bàng"
    assert "0 chuyên mục, 0 bài viết" in output


def test_dry_run_writes_nothing():
    output = run("--dry-run")
    assert "Sẽ tạo 4 chuyên mục, 13 bài viết" in output
    assert not Article.objects.exists()
    assert not Category.objects.exists()
    assert not Image.objects.exists()


def test_demo_pages_render(client):
    run()
    seed = Article.objects.get(title=SEED_TITLE)
    html = client.get(seed.get_absolute_url()).content.decode()
    assert "Thứ Tư, 24/05/2023 17:20" in html
    assert "Mã QR Code truy cập vào Fanpage Cổng tin tức Thành phố Hải Phòng" in html
    assert client.get("/").status_code == 200
