"""QR codes as derived files: built once per (URL, size, format), then served.

A QR code depends only on the text it encodes, so the file name is a hash of
that text. The first request for a URL builds the file into storage; every
later one, on any server sharing the storage, finds it there.
"""

import hashlib
import io

import qrcode
import qrcode.image.svg
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

# Pixels per QR module for PNG files: "web" for the page, "print" for
# newsroom downloads that go into print layouts.
PNG_BOX_SIZES = {"web": 6, "print": 20}
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def _qr(data: str, box_size: int) -> qrcode.QRCode:
    # Level M survives a smudge or a logo-free print at small sizes.
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4
    )
    qr.add_data(data)
    qr.make(fit=True)
    return qr


def render_qr(data: str, fmt: str, size: str = "web") -> bytes:
    """Return the bytes of a QR code for ``data`` as PNG or SVG."""
    buffer = io.BytesIO()
    if fmt == "png":
        image = _qr(data, PNG_BOX_SIZES[size]).make_image(fill_color="black", back_color="white")
        image.save(buffer, format="PNG", optimize=True)
    elif fmt == "svg":
        image = _qr(data, 10).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
        image.save(buffer)
    else:
        raise ValueError(f"unknown QR format {fmt!r}")
    return buffer.getvalue()


def qr_name(data: str, fmt: str = "png", size: str = "web") -> str:
    """The storage name of the QR code for ``data`` (a hash of it: no I/O)."""
    if fmt not in FORMATS or size not in PNG_BOX_SIZES:
        raise ValueError(f"unknown QR format or size {fmt!r}/{size!r}")
    digest = hashlib.sha256(data.encode()).hexdigest()[:24]
    return f"qr/{digest}-{size}.{fmt}" if fmt == "png" else f"qr/{digest}.{fmt}"


def qr_storage_name(data: str, fmt: str, size: str = "web") -> str:
    """The storage name of the QR code for ``data``, building the file if it is missing."""
    name = qr_name(data, fmt, size)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(render_qr(data, fmt, size)))
        if saved != name:
            # Another request built the same file a moment earlier; its copy
            # is identical, so drop ours.
            default_storage.delete(saved)
    return name
