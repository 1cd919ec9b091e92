"""Workflows of the media library: adding images and documents, deleting them."""

import contextlib
import errno
import logging
import secrets
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from media.models import Document, Image
from media.renditions import build_renditions
from media.validation import (
    CleanDocument,
    CleanImage,
    UploadRejected,
    carries_metadata,
    clean_document,
    clean_image,
    read_upload,
)
from portal.text import nfc, slugify_vi

logger = logging.getLogger(__name__)

# A full disk, a quota, a read-only or unwritable folder: the server's fault,
# not the file's.
STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS}


def storage_failed() -> UploadRejected:
    return UploadRejected(
        _(
            "Không lưu được tệp: ổ đĩa của máy chủ đã đầy hoặc thư mục lưu trữ không ghi "
            "được. Chưa có gì được lưu; hãy báo quản trị viên rồi thử lại."
        )
    )


def _store(field_file, name: str, data: bytes) -> None:
    """Write ``data`` to the field's storage, leaving no part of it behind on failure.

    Django's file storage leaves a half-written file when a write fails (a
    full disk); the name it was writing is known in advance, so it is removed.
    """
    field = field_file.field
    candidate = field_file.storage.get_available_name(
        field.generate_filename(field_file.instance, name), max_length=field.max_length
    )
    try:
        field_file.save(name, ContentFile(data), save=False)
    except OSError as error:
        logger.error("Storing upload %r as %r failed: %s", name, candidate, error)
        with contextlib.suppress(OSError):
            field_file.storage.delete(candidate)
        if error.errno in STORAGE_ERRNOS:
            raise storage_failed() from error
        raise


class DuplicateUpload(UploadRejected):
    """The same bytes are already in the library; ``existing`` is that row."""

    def __init__(self, existing):
        self.existing = existing
        super().__init__(
            _("Tệp này đã có trong thư viện: “%(title)s” (số %(pk)s). Hãy dùng lại tệp đó.")
            % {"title": existing.title, "pk": existing.pk}
        )


def stored_name(original_name: str, extension: str, fallback: str) -> str:
    """A Vietnamese-aware slug of the original name plus a random suffix.

    Only the slug of the name's last part is kept: no directory, dot or
    character a user typed reaches the file system.
    """
    stem = slugify_vi(PurePath(original_name or "").stem, max_length=60) or fallback
    return f"{stem}-{secrets.token_hex(4)}.{extension}"


def title_from_name(original_name: str) -> str:
    stem = PurePath(original_name or "").stem.replace("_", " ").replace("-", " ").strip()
    return nfc(" ".join(stem.split()))[:255] or _("Ảnh không tên")


def image_prepare(upload) -> CleanImage:
    """Check an upload and return it cleaned; raise ``UploadRejected`` (or a duplicate)."""
    clean = clean_image(read_upload(upload))
    existing = Image.objects.filter(content_hash=clean.content_hash).first()
    if existing is not None:
        raise DuplicateUpload(existing)
    return clean


def image_create(
    *, clean: CleanImage, original_name: str, user=None, image: Image | None = None, **fields
) -> Image:
    """Store a prepared image and build its renditions, all or nothing.

    ``fields`` (title, alt_text, default_caption, credit) describe the new
    row, or ``image`` is an unsaved row a form has filled in.
    """
    image = image or Image(**fields)
    image.title = image.title or title_from_name(original_name)
    image.format = clean.format
    image.width, image.height = clean.width, clean.height
    image.file_size = len(clean.content)
    image.content_hash = clean.content_hash
    image.uploaded_by = user if user and user.is_authenticated else None
    try:
        with transaction.atomic():
            _store(image.file, stored_name(original_name, clean.extension, "anh"), clean.content)
            image.save()
            build_renditions(image)
    except Exception as error:
        # The database rolled back; take the files written so far with it.
        if image.file.name:
            image.file.storage.delete(image.file.name)
        if image.pk:
            _delete_rendition_files(image.pk)
        if isinstance(error, OSError) and error.errno in STORAGE_ERRNOS:
            logger.error("Storing renditions for upload %r failed: %s", original_name, error)
            raise storage_failed() from error
        if isinstance(error, OSError | ValueError):
            logger.exception("Renditions failed for upload %r", original_name)
            raise UploadRejected(
                _("Không xử lý được ảnh này; hãy thử lưu lại ảnh ở định dạng JPEG.")
            ) from error
        raise
    return image


def image_upload(upload, *, user=None, **fields) -> Image:
    """Prepare and create in one step (commands, the editor's upload, bulk upload)."""
    return image_create(
        clean=image_prepare(upload), original_name=upload.name or "", user=user, **fields
    )


def image_clean_stored(image: Image) -> bool:
    """Clean a stored photo that still carries metadata, as an upload is
    cleaned now; return whether it was rewritten.

    Pages point at the photo by its file name, so the name is kept. The
    clean copy is written beside it first: a write that fails (a full disk)
    leaves the photo as it was, or, at worst, its clean copy in the spare.
    Build the renditions again afterwards.
    """
    storage, name = image.file.storage, image.file.name
    with storage.open(name, "rb") as handle:
        data = handle.read()
    if not carries_metadata(data):
        return False
    clean = clean_image(data)
    if (clean.width, clean.height) != (image.width, image.height):
        raise ValueError(f"cleaning would change its size to {clean.width}x{clean.height}")
    spare = storage.save(f"{name}.clean", ContentFile(clean.content))
    storage.delete(name)
    try:
        saved = storage.save(name, ContentFile(clean.content))
    except OSError:
        logger.error("Image %s: %s removed, its clean copy is %s", image.pk, name, spare)
        raise
    if saved != name:
        logger.error(
            "Image %s: %s stored as %s, its clean copy is %s", image.pk, name, saved, spare
        )
        raise OSError(f"{name} stored as {saved}")
    storage.delete(spare)
    Image.objects.filter(pk=image.pk).update(file_size=len(clean.content))
    return True


def _delete_rendition_files(image_pk: int) -> None:
    from django.core.files.storage import default_storage

    directory = f"renditions/{image_pk}"
    if default_storage.exists(directory):
        for name in default_storage.listdir(directory)[1]:
            default_storage.delete(f"{directory}/{name}")


def image_delete(image: Image) -> None:
    """Delete an image and its files. Raises ``ProtectedError`` while an article uses it."""
    name, pk = image.file.name, image.pk
    with transaction.atomic():
        image.delete()
    image.file.storage.delete(name)
    _delete_rendition_files(pk)


def document_prepare(upload) -> tuple[bytes, CleanDocument]:
    data = read_upload(upload)
    clean = clean_document(data)
    existing = Document.objects.filter(content_hash=clean.content_hash).first()
    if existing is not None:
        raise DuplicateUpload(existing)
    return data, clean


def document_create(
    *,
    data: bytes,
    clean: CleanDocument,
    original_name: str,
    user=None,
    document: Document | None = None,
    **fields,
) -> Document:
    """Store a prepared document (``fields`` or a form's unsaved ``document``)."""
    document = document or Document(**fields)
    document.title = document.title or title_from_name(original_name)
    document.file_type = clean.file_type
    document.file_size = len(data)
    document.content_hash = clean.content_hash
    document.uploaded_by = user if user and user.is_authenticated else None
    _store(document.file, stored_name(original_name, clean.file_type, "tai-lieu"), data)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def document_delete(document: Document) -> None:
    name = document.file.name
    with transaction.atomic():
        document.delete()
    document.file.storage.delete(name)
