"""A full disk or an unwritable media folder during an upload: a clear refusal,
no half-written file, no row pointing at a missing file."""

import errno
import os

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage

from media.models import Document, Image, Rendition
from media.services import document_create, document_prepare, image_upload
from media.validation import UploadRejected
from tests.media.images import PDF, image_bytes, upload

pytestmark = pytest.mark.django_db


def files_under(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


@pytest.fixture
def disk_full(monkeypatch):
    """Writes under the given prefixes start, then fail as on a full disk."""

    def install(*prefixes):
        real_save = FileSystemStorage._save

        def save(self, name, content):
            if not name.startswith(prefixes):
                return real_save(self, name, content)
            path = self.path(name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as half:
                half.write(b"half a file")
            raise OSError(errno.ENOSPC, "No space left on device", path)

        monkeypatch.setattr(FileSystemStorage, "_save", save)

    return install


@pytest.mark.parametrize("failing", ["images/", "renditions/"], ids=["original", "rendition"])
def test_an_image_the_disk_cannot_hold_leaves_nothing_behind(settings, disk_full, failing):
    disk_full(failing)
    with pytest.raises(UploadRejected, match="ổ đĩa của máy chủ đã đầy"):
        image_upload(upload(image_bytes()))
    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_document_the_disk_cannot_hold_leaves_nothing_behind(settings, disk_full):
    disk_full("tai-lieu", "documents/")
    data, clean = document_prepare(upload(PDF, "bao-cao.pdf", "application/pdf"))
    with pytest.raises(UploadRejected, match="ổ đĩa của máy chủ đã đầy"):
        document_create(data=data, clean=clean, original_name="bao-cao.pdf")
    assert not Document.objects.exists()
    assert files_under(settings.DOCUMENTS_ROOT) == []


def test_the_admin_shows_the_reason_instead_of_a_server_error(admin_client, settings, disk_full):
    disk_full("images/")
    response = admin_client.post(
        "/quan-tri/media/image/add/",
        {"upload": upload(image_bytes()), "title": "Ảnh hội nghị", "alt_text": "Hội nghị"},
        follow=True,
    )
    assert response.status_code == 200
    assert "ổ đĩa của máy chủ đã đầy" in response.content.decode()
    assert not Image.objects.exists()
    assert files_under(django_settings.MEDIA_ROOT) == []
