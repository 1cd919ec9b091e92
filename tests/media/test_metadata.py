"""No metadata of an uploaded photo reaches the stored file or any rendition.

Each file is read back byte by byte: only what a decoder needs may be left
(a JPEG's JFIF header, tables and frame; a PNG's header, palette,
transparency and pixels; a WebP's pixels and alpha).
"""

import io
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image as PILImage

from media.renditions import planned
from media.services import image_upload
from tests.media.images import (
    SECRET,
    gif_with_comment,
    image_bytes,
    jpeg_segments,
    jpeg_with_metadata,
    linear_rgb_profile,
    png_chunks,
    png_with_metadata,
    upload,
    webp_chunks,
    webp_with_metadata,
)

pytestmark = pytest.mark.django_db

JPEG_DECODING = {"APP0", "DQT", "SOF", "DHT", "DRI"}
PNG_DECODING = {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}
WEBP_DECODING = {"VP8 ", "VP8L", "VP8X", "ALPH"}


def stored_files(image) -> dict[str, bytes]:
    names = [image.file.name, *(r.file.name for r in image.renditions.all())]
    assert len(names) == 1 + len(planned(image))  # the original and every rendition
    files = {}
    for name in names:
        with default_storage.open(name) as handle:
            files[name] = handle.read()
    return files


def metadata_left(data: bytes) -> set[str]:
    if data.startswith(b"\xff\xd8"):
        segments = jpeg_segments(data)
        assert segments.count("APP0") == 1  # JFIF, written by libjpeg
        return set(segments) - JPEG_DECODING
    if data.startswith(b"\x89PNG"):
        return set(png_chunks(data)) - PNG_DECODING
    assert data[8:12] == b"WEBP"
    return set(webp_chunks(data)) - WEBP_DECODING


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (jpeg_with_metadata(), "may-anh.jpg"),
        (png_with_metadata(), "do-hoa.png"),
        (webp_with_metadata(), "dien-thoai.webp"),
        (gif_with_comment(), "dong.gif"),
    ],
    ids=["jpeg", "png", "webp", "gif"],
)
def test_no_metadata_is_left_in_the_stored_photo_or_its_renditions(data, name):
    assert SECRET in data
    image = image_upload(upload(data, name))
    for stored_name, stored in stored_files(image).items():
        assert metadata_left(stored) == set(), stored_name
        assert SECRET not in stored, stored_name
        assert b"ICC_PROFILE" not in stored and b"iCCP" not in stored, stored_name


def test_jpeg_segments_are_all_seen_in_the_upload():
    """The upload itself carries every segment the test above expects gone."""
    segments = jpeg_segments(jpeg_with_metadata())
    assert {"COM", "APP1", "APP2", "APP13", "APP15"} <= set(segments)
    assert segments.count("APP1") == 2  # EXIF and XMP


def pixel(data: bytes) -> tuple:
    with PILImage.open(io.BytesIO(data)) as picture:
        return picture.convert("RGB").getpixel((picture.width // 2, picture.height // 2))


def test_a_photo_in_another_colour_space_keeps_its_colours_in_srgb():
    # Mid-grey in a linear-light profile is what sRGB calls 188.
    image = image_upload(upload(jpeg_with_metadata(icc_profile=linear_rgb_profile())))
    for stored_name, stored in stored_files(image).items():
        assert all(abs(channel - 188) <= 3 for channel in pixel(stored)), stored_name


def test_a_photo_in_srgb_keeps_its_pixels():
    image = image_upload(upload(jpeg_with_metadata(color=(200, 40, 40))))
    for stored_name, stored in stored_files(image).items():
        assert all(abs(a - b) <= 4 for a, b in zip(pixel(stored), (200, 40, 40), strict=True)), (
            stored_name
        )


def test_a_damaged_colour_profile_is_ignored_not_refused():
    image = image_upload(upload(jpeg_with_metadata(icc_profile=b"not a profile" * 20)))
    for stored_name, stored in stored_files(image).items():
        assert metadata_left(stored) == set(), stored_name


def stored_before_cleaning(data: bytes):
    """A library photo as uploads stored it before: its file still has ``data``'s metadata."""
    image = image_upload(upload(image_bytes(size=(640, 480))))
    default_storage.delete(image.file.name)
    default_storage.save(image.file.name, ContentFile(data))
    return image


def test_rebuild_renditions_cleans_photos_stored_with_their_metadata():
    image = stored_before_cleaning(jpeg_with_metadata(icc_profile=linear_rgb_profile()))
    name, rendition_names = image.file.name, sorted(r.file.name for r in image.renditions.all())
    out = StringIO()
    call_command("rebuild_renditions", "--clean-originals", "--dry-run", stdout=out)
    assert "would clean 1 originals" in out.getvalue()
    assert SECRET in default_storage.open(name).read()

    out = StringIO()
    call_command("rebuild_renditions", "--clean-originals", stdout=out)
    assert "Built 4 renditions for 1 images; cleaned 1 originals; 0 failed." in out.getvalue()
    image.refresh_from_db()
    assert image.file.name == name  # pages keep pointing at it
    assert sorted(r.file.name for r in image.renditions.all()) == rendition_names
    files = stored_files(image)
    for stored_name, stored in files.items():
        assert metadata_left(stored) == set(), stored_name
        assert all(abs(channel - 188) <= 3 for channel in pixel(stored)), stored_name
    assert image.file_size == len(files[name])
    assert default_storage.listdir(name.rsplit("/", 1)[0])[1] == [name.rsplit("/", 1)[1]]

    out = StringIO()
    call_command("rebuild_renditions", "--clean-originals", "--missing-only", stdout=out)
    assert "Built 0 renditions for 1 images; cleaned 0 originals" in out.getvalue()
