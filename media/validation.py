"""Uploads are checked from their bytes, decoded in full and re-encoded clean.

Nothing about an upload is trusted: not its extension, not the browser's
content type, not its metadata. The type is read from the file's first
bytes; images are verified and fully decoded by Pillow, turned upright by
their EXIF orientation, converted to sRGB and written out again with no
metadata at all (so no GPS position, comment or author reaches the public);
documents must be one of a few office formats.
Every refusal is an ``UploadRejected`` with a Vietnamese message saying why.
"""

import hashlib
import io
import logging
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps

logger = logging.getLogger(__name__)
# A truncated file must fail, not be padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False


class UploadRejected(Exception):
    """An upload the library refuses; ``str()`` is the message for the user."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes  # re-encoded, upright, in sRGB, without metadata
    format: str  # "jpeg", "png", "webp"
    width: int
    height: int
    content_hash: str  # of the bytes as uploaded, to recognise the same upload again

    @property
    def extension(self) -> str:
        return {"jpeg": "jpg"}.get(self.format, self.format)


@dataclass(frozen=True)
class CleanDocument:
    file_type: str  # "pdf", "docx", "xlsx", "odt", "ods"
    content_hash: str


IMAGE_SIGNATURES = [
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
]
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}

DOCUMENT_TYPES = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "odt": ("application/vnd.oasis.opendocument.text", "ODT"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ODS"),
}


def read_upload(upload) -> bytes:
    """The upload's bytes, refusing it before reading when it is over the size limit."""
    limit = settings.MEDIA_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadRejected(
            _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(_("Tệp quá lớn; giới hạn là %s.") % filesizeformat(limit))
    if not data:
        raise UploadRejected(_("Tệp rỗng."))
    return data


def sniff_image(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    for signature, kind in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _looks_like_svg_or_html(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<", b"<?xml")) or b"<svg" in head


# WebP stores at most 16383 px a side; a sliver 1 px by 10,000 is no photo.
MAX_SIDE = 16_000
MAX_ASPECT_RATIO = 25


def check_shape(width: int, height: int) -> None:
    if not width or not height:
        raise UploadRejected(_("Ảnh không có kích thước."))
    if max(width, height) > MAX_SIDE or max(width, height) / min(width, height) > MAX_ASPECT_RATIO:
        raise UploadRejected(
            _("Kích thước ảnh bất thường (%(width)s × %(height)s điểm ảnh).")
            % {"width": width, "height": height}
        )


def clean_image(data: bytes) -> CleanImage:
    kind = sniff_image(data)
    if kind is None:
        if _looks_like_svg_or_html(data):
            raise UploadRejected(
                _("Không nhận ảnh SVG hay tệp HTML: chúng có thể chứa mã chạy trên trình duyệt.")
            )
        raise UploadRejected(
            _(
                "Tệp không phải ảnh JPEG, PNG, WebP hay GIF "
                "(đã kiểm tra nội dung tệp, không theo đuôi tên)."
            )
        )
    try:
        with warnings.catch_warnings():
            # Over MAX_IMAGE_PIXELS Pillow only warns; twice over, it raises.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != PILLOW_FORMATS[kind]:
                    raise UploadRejected(_("Nội dung tệp không khớp với định dạng ảnh."))
                # The header gives the size before any pixel is decoded.
                if probe.width * probe.height > settings.MEDIA_MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError(f"{probe.width}x{probe.height}")
                check_shape(probe.width, probe.height)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()  # decode every pixel: a truncated or corrupt file fails here
            content, fmt, size = _reencode(image, kind)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected(
            _(
                "Ảnh có quá nhiều điểm ảnh (giới hạn %(limit)s triệu điểm ảnh); "
                "có thể là tệp độc hại."
            )
            % {"limit": f"{settings.MEDIA_MAX_IMAGE_PIXELS // 1_000_000}"}
        ) from exc
    except Exception as exc:
        # Pillow reports damaged files with many exception types (OSError,
        # SyntaxError, struct.error, ValueError...): all mean the same to a user.
        logger.info("Image upload refused as corrupt: %s: %s", type(exc).__name__, exc)
        raise UploadRejected(_("Ảnh bị hỏng hoặc không đầy đủ, không đọc được.")) from exc
    return CleanImage(
        content=content,
        format=fmt,
        width=size[0],
        height=size[1],
        content_hash=hashlib.sha256(data).hexdigest(),
    )


SRGB = ImageCms.createProfile("sRGB")


def in_srgb(image: Image.Image) -> Image.Image:
    """The image's pixels in sRGB, when it has a colour profile saying they are not.

    A browser shows a picture without a profile as sRGB. Photos from phones
    and cameras often come in Display P3 or Adobe RGB: their pixels are
    converted, so they keep their colours once the profile is gone. A
    profile that cannot be used (damaged, or not for the pixels' kind) is
    ignored, as a browser would. The result's ``info`` is not to be trusted:
    Pillow attaches the sRGB profile to a converted image.
    """
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        source = image
        if "transparency" in image.info or image.mode in ("LA", "PA"):
            # A transparent colour key would no longer match once converted.
            source = image.convert("RGBA")
        elif image.mode not in ("RGB", "RGBA", "CMYK", "L"):
            source = image.convert("RGB")
        mode = "RGBA" if source.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(source, profile, SRGB, outputMode=mode)
        return converted.convert("L") if source.mode == "L" else converted
    except (ImageCms.PyCMSError, OSError, ValueError) as error:
        logger.info("Colour profile of an upload ignored: %s", error)
        return image


# What an image's info may carry into a stored file: the transparent colour
# of a palette or RGB PNG, needed to draw it. Everything else Pillow would
# write back (comment, EXIF, XMP, colour profile, DPI) is left behind.
DECODING_INFO = ("transparency",)


def bare(image: Image.Image) -> Image.Image:
    """``image`` with nothing in its ``info`` that a save would write as metadata."""
    image.info = {key: image.info[key] for key in DECODING_INFO if key in image.info}
    return image


# What Pillow reports of a file's metadata in ``info``.
METADATA_INFO = {"icc_profile", "comment", "exif", "xmp", "XML:com.adobe.xmp", "photoshop"}


def carries_metadata(data: bytes) -> bool:
    """Whether a stored photo holds anything ``_reencode`` leaves out (a photo
    stored before uploads were cleaned of comments and colour profiles)."""
    with Image.open(io.BytesIO(data)) as image:
        # A JPEG's APPn and COM segments; APP0 is also where a JFXX thumbnail goes.
        for marker, content in getattr(image, "applist", []):
            if not (marker == "APP0" and content.startswith(b"JFIF\0")):
                return True
        return bool(METADATA_INFO & set(image.info)) or bool(getattr(image, "text", None))


def _reencode(image: Image.Image, kind: str) -> tuple[bytes, str, tuple[int, int]]:
    """Turn the pixels upright, into sRGB, and write them out with no metadata:
    no EXIF (the camera's GPS position, serial, owner), XMP, IPTC, comment,
    PNG text or colour profile. A JPEG keeps only the JFIF header that
    libjpeg writes (a version and a pixel aspect ratio)."""
    out = io.BytesIO()
    if kind == "gif":
        # A GIF keeps its first frame only, as a PNG.
        image.seek(0)
        upright = bare(in_srgb(image).convert("RGBA"))
        upright.save(out, "PNG", optimize=True)
        return out.getvalue(), "png", upright.size
    upright = bare(in_srgb(ImageOps.exif_transpose(image)))
    if kind == "jpeg":
        if upright.mode not in ("RGB", "L"):
            upright = bare(upright.convert("RGB"))
        upright.save(out, "JPEG", quality=90, optimize=True)
        return out.getvalue(), "jpeg", upright.size
    if kind == "webp":
        upright.save(out, "WEBP", quality=90)
        return out.getvalue(), "webp", upright.size
    upright.save(out, "PNG", optimize=True)
    return out.getvalue(), "png", upright.size


def sniff_document(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # Read a bounded amount: the entry could be a zip bomb.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                for kind in ("odt", "ods"):
                    if mimetype == DOCUMENT_TYPES[kind][0]:
                        return kind
                return None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, EOFError):
        # Damaged, encrypted or oddly compressed archives are not documents we take.
        return None
    return None


def clean_document(data: bytes) -> CleanDocument:
    kind = sniff_document(data)
    if kind is None:
        raise UploadRejected(
            _(
                "Chỉ nhận tài liệu PDF, Word (DOCX), Excel (XLSX), ODT hoặc ODS "
                "(đã kiểm tra nội dung tệp)."
            )
        )
    return CleanDocument(file_type=kind, content_hash=hashlib.sha256(data).hexdigest())
