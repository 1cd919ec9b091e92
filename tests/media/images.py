"""Real image and document files made in the tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="JPEG", size=(800, 600), color=(180, 40, 40), **save_options) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    # A diagonal, so that a rotation is visible in the pixels.
    for i in range(min(size)):
        image.putpixel((i, i), (255, 255, 255))
    image.save(out, fmt, **save_options)
    return out.getvalue()


def upload(data: bytes, name="anh.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_exif(size=(600, 400), orientation=6) -> bytes:
    """A JPEG with an orientation tag and a GPS position, as a phone writes it."""
    image = Image.new("RGB", size, (20, 90, 160))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: 6 = rotate 90° clockwise to view
    exif[0x010F] = "Máy ảnh phóng viên"  # Make
    gps = {1: "N", 2: (20.0, 51.0, 30.0), 3: "E", 4: (106.0, 41.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo: Hải Phòng
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": "<w:document>Quyết định</w:document>".encode(),
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def odt_bytes() -> bytes:
    return zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""})


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
