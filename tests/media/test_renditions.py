from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image as PILImage

from media.models import Rendition
from media.renditions import build_renditions
from media.services import image_upload
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def sizes(image):
    return sorted((r.width, r.format) for r in image.renditions.all())


def test_renditions_are_built_on_upload_in_webp_and_jpeg():
    image = image_upload(upload(image_bytes(size=(2000, 1000))))
    assert sizes(image) == sorted(
        [(w, f) for w in (320, 640, 1024, 1600) for f in ("webp", "jpeg")] + [(1200, "jpeg")]
    )
    for rendition in image.renditions.all():
        with default_storage.open(rendition.file.name) as handle:
            stored = PILImage.open(handle)
            assert stored.format == rendition.format.upper()
            assert stored.size == (rendition.width, rendition.height)
            assert rendition.height == rendition.width // 2


def test_renditions_are_never_upscaled():
    image = image_upload(upload(image_bytes(size=(700, 350))))
    assert {w for w, _f in sizes(image)} == {320, 640, 700}
    assert max(r.width for r in image.renditions.all()) == image.width


def test_renditions_are_built_once(monkeypatch):
    image = image_upload(upload(image_bytes()))
    count = Rendition.objects.count()

    def fail(*args, **kwargs):
        raise AssertionError("rendition rebuilt")

    monkeypatch.setattr("media.renditions.render", fail)
    assert build_renditions(image, missing_only=True) == 0
    assert Rendition.objects.count() == count


def test_rebuild_keeps_file_names():
    image = image_upload(upload(image_bytes()))
    names = sorted(r.file.name for r in image.renditions.all())
    build_renditions(image)
    image.refresh_from_db()
    assert sorted(r.file.name for r in image.renditions.all()) == names
    assert all(default_storage.exists(name) for name in names)


def test_rebuild_renditions_command_rebuilds_missing_files_and_reports():
    image = image_upload(upload(image_bytes()))
    image_upload(upload(image_bytes(color=(9, 9, 9))))
    image.renditions.filter(format="webp").delete()  # 800 px wide: 320, 640 and 800
    out = StringIO()
    call_command("rebuild_renditions", "--missing-only", stdout=out)
    assert image.renditions.filter(format="webp").count() == 3
    assert "Built 3 renditions for 2 images; 0 failed." in out.getvalue()
    assert "[" in out.getvalue() and "2/2" in out.getvalue()

    out = StringIO()
    call_command("rebuild_renditions", "--image", str(image.pk), stdout=out)
    assert "Built 6 renditions for 1 images" in out.getvalue()


def test_rebuild_renditions_command_dry_run_and_unknown_image():
    image = image_upload(upload(image_bytes()))
    image.renditions.all().delete()
    out = StringIO()
    call_command("rebuild_renditions", "--missing-only", "--dry-run", stdout=out)
    assert "Would build 6 renditions" in out.getvalue()
    assert image.renditions.count() == 0
    with pytest.raises(CommandError, match="No image with id 999999"):
        call_command("rebuild_renditions", "--image", "999999", stdout=StringIO())


def listed(image):
    image.refresh_from_db()
    return sorted((r.width, r.format, r.name) for r in image.available_renditions())


def test_the_image_row_lists_its_renditions_so_pages_need_no_query_for_them():
    image = image_upload(upload(image_bytes(size=(2000, 1000))))
    assert listed(image) == sorted((r.width, r.format, r.file.name) for r in image.renditions.all())
    assert image.rendition(700, "jpeg").width == 1024
    assert image.rendition(700, "jpeg").url == f"/media/{image.rendition(700, 'jpeg').name}"


def test_rebuilding_renditions_rewrites_the_list_on_the_image_row():
    image = image_upload(upload(image_bytes()))
    image.renditions.filter(format="webp").delete()
    type(image).objects.filter(pk=image.pk).update(rendition_files=[])
    call_command("rebuild_renditions", "--missing-only", stdout=StringIO())
    assert listed(image) == sorted((r.width, r.format, r.file.name) for r in image.renditions.all())
    assert {fmt for _w, fmt, _n in listed(image)} == {"webp", "jpeg"}


@pytest.mark.parametrize(
    "name",
    [
        "renditions/2026/11/anh-hoi-nghi-640.webp",
        "renditions/2026/11/ảnh hội nghị (1)-1024.jpg",
        "qr/tin-tuc/bai-viet-42.png",
    ],
)
def test_rendition_urls_are_what_the_storage_would_say(name):
    from django.core.files.storage import default_storage

    from media.models import media_url

    assert media_url(name) == default_storage.url(name)
