"""Every upload rule, with real files made in the test."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from media.models import Document, Image
from media.services import DuplicateUpload, document_prepare, image_upload
from media.validation import UploadRejected
from tests.media.images import (
    PDF,
    docx_bytes,
    image_bytes,
    jpeg_with_exif,
    odt_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fmt", "name", "stored_format"),
    [("JPEG", "anh.jpg", "jpeg"), ("PNG", "anh.png", "png"), ("WEBP", "anh.webp", "webp")],
)
def test_valid_images_are_accepted(fmt, name, stored_format):
    image = image_upload(upload(image_bytes(fmt), name), title="Ảnh")
    assert image.format == stored_format
    assert (image.width, image.height) == (800, 600)
    assert default_storage.exists(image.file.name)
    with default_storage.open(image.file.name) as handle:
        assert PILImage.open(handle).format == fmt


def test_gif_keeps_its_first_frame_as_png():
    out = io.BytesIO()
    frames = [PILImage.new("RGB", (100, 80), color) for color in ("red", "blue")]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    image = image_upload(upload(out.getvalue(), "dong.gif"))
    assert image.format == "png"
    with default_storage.open(image.file.name) as handle:
        stored = PILImage.open(handle)
        assert getattr(stored, "n_frames", 1) == 1
        assert stored.convert("RGB").getpixel((50, 40)) == (255, 0, 0)


def rejected(data: bytes, name="anh.jpg") -> str:
    with pytest.raises(UploadRejected) as error:
        image_upload(upload(data, name))
    assert not Image.objects.exists()
    return str(error.value)


def test_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", size=(1200, 900))
    assert "hỏng" in rejected(data[: len(data) // 2])


def test_decompression_bomb_is_refused(settings):
    settings.MEDIA_MAX_IMAGE_PIXELS = 1_000_000
    # A 10 KB file that would decode to 1.5 million pixels: over the limit.
    data = image_bytes("PNG", size=(1500, 1000))
    assert len(data) < 20_000
    message = rejected(data, "bom.png")
    assert "quá nhiều điểm ảnh" in message and "giới hạn 1 triệu" in message


def test_pillow_itself_refuses_a_real_decompression_bomb():
    # 20000×20000 pixels of one colour compress to a few hundred KB; Pillow's
    # own guard (set from settings when the app loads) stops it as well.
    out = io.BytesIO()
    PILImage.new("1", (20_000, 20_000)).save(out, "PNG")
    assert "quá nhiều điểm ảnh" in rejected(out.getvalue(), "bom.png")


def test_html_renamed_jpg_is_refused():
    message = rejected(b"<html><script>alert(1)</script></html>", "anh.jpg")
    assert "SVG" in message or "HTML" in message


def test_svg_with_script_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "SVG" in rejected(svg, "logo.svg")


def test_text_renamed_png_is_refused():
    assert "không phải ảnh" in rejected(b"day la van ban, khong phai anh", "anh.png")


def test_oversized_file_is_refused_before_it_is_read(settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 50_000
    message = rejected(image_bytes("PNG", size=(1000, 1000), color=(1, 2, 3)) + b"\0" * 60_000)
    assert "quá lớn" in message and "KB" in message


def test_the_same_bytes_twice_offer_the_existing_image():
    data = image_bytes()
    first = image_upload(upload(data, "lan-1.jpg"), title="Lần đầu")
    with pytest.raises(DuplicateUpload) as duplicate:
        image_upload(upload(data, "lan-2.jpg"))
    assert duplicate.value.existing == first
    assert "đã có trong thư viện" in str(duplicate.value)
    assert Image.objects.count() == 1


def test_exif_orientation_is_applied_and_gps_is_stripped():
    image = image_upload(upload(jpeg_with_exif(size=(600, 400), orientation=6), "dien-thoai.jpg"))
    # Orientation 6 turns a 600×400 sensor image into a 400×600 portrait.
    assert (image.width, image.height) == (400, 600)
    files = [image.file.name, *(r.file.name for r in image.renditions.all())]
    for name in files:
        with default_storage.open(name) as handle:
            stored = PILImage.open(handle)
            exif = stored.getexif()
            assert 0x8825 not in exif, name  # no GPS block
            assert 0x010F not in exif, name  # no camera make
            assert exif.get(0x0112, 1) == 1, name
            raw = stored.info.get("exif", b"")
            assert b"GPS" not in raw


def test_stored_name_is_a_slug_of_the_original_plus_a_random_suffix():
    image = image_upload(upload(image_bytes(), "../../etc/Ảnh Đồng chí Vân.JPG"))
    name = image.file.name.rsplit("/", 1)[-1]
    assert name.startswith("anh-dong-chi-van-")
    assert name.endswith(".jpg")
    assert ".." not in image.file.name and "etc" not in image.file.name
    other = image_upload(upload(image_bytes(color=(1, 1, 1)), "../../etc/Ảnh Đồng chí Vân.JPG"))
    assert other.file.name != image.file.name


@pytest.mark.parametrize(
    ("data", "file_type"),
    [(PDF, "pdf"), (docx_bytes(), "docx"), (xlsx_bytes(), "xlsx"), (odt_bytes(), "odt")],
)
def test_documents_are_recognised_from_their_bytes(data, file_type):
    _data, clean = document_prepare(upload(data, "van-ban.bin", "application/octet-stream"))
    assert clean.file_type == file_type


@pytest.mark.parametrize(
    "data",
    [
        b"<html>trang</html>",
        zip_bytes({"a.txt": b"x"}),
        b"MZ\x90\x00 executable",
        image_bytes(),
    ],
    ids=["html", "plain-zip", "exe", "jpeg"],
)
def test_other_documents_are_refused(data):
    with pytest.raises(UploadRejected, match="Chỉ nhận tài liệu"):
        document_prepare(upload(data, "quyet-dinh.pdf", "application/pdf"))
    assert not Document.objects.exists()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_damaged_files_are_refused_with_a_message_never_an_error(fmt):
    """Bytes flipped and cut at random: each upload is stored or refused in words."""
    import random

    rng = random.Random(f"media-{fmt}")  # the same damage on every run
    original = image_bytes(fmt, size=(64, 48))
    outcomes = {"stored": 0, "refused": 0}
    for _ in range(60):
        data = bytearray(original)
        for _flip in range(rng.randint(1, 8)):
            data[rng.randrange(8, len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(8, len(data))]
        try:
            image_upload(upload(bytes(data), f"hong.{fmt.lower()}"))
            outcomes["stored"] += 1
        except DuplicateUpload:
            outcomes["stored"] += 1
        except UploadRejected as error:
            assert str(error)
            outcomes["refused"] += 1
    assert outcomes["refused"] > 0
    assert sum(outcomes.values()) == 60


@pytest.mark.parametrize("mode", ["P", "LA", "I;16", "CMYK", "1"])
def test_unusual_pixel_formats_get_renditions(mode):
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    out = io.BytesIO()
    PILImage.new(mode, (500, 300)).save(out, fmt)
    image = image_upload(upload(out.getvalue(), f"anh.{fmt.lower()}"))
    assert image.renditions.filter(format="webp").exists()
    assert image.renditions.filter(format="jpeg").exists()


@pytest.mark.parametrize("size", [(16_500, 10), (20, 2_000)], ids=["too-wide", "sliver"])
def test_images_of_absurd_shape_are_refused(size):
    assert "bất thường" in rejected(image_bytes("PNG", size=size), "dai.png")


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "anh.jpg"), ("GIF", "anh.gif")])
def test_script_appended_after_the_image_data_is_never_stored(fmt, name):
    payload = b"<html><body><script>alert(document.cookie)</script></body></html>"
    image = image_upload(upload(image_bytes(fmt) + payload, name))
    stored = [image.file.name, *(r.name for r in image.available_renditions())]
    for stored_name in stored:
        with default_storage.open(stored_name) as handle:
            data = handle.read()
        assert b"<script" not in data and b"<html" not in data, stored_name
