import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage

from media.models import Document
from news import views_count
from portal.models import SiteSettings


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path, monkeypatch):
    """Each test writes files to its own folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    # The documents field resolved its storage when the model loaded.
    monkeypatch.setattr(
        Document._meta.get_field("file"),
        "storage",
        FileSystemStorage(location=settings.DOCUMENTS_ROOT, base_url=None),
    )
    # Tests count each page's own work; tests/portal/test_page_cache.py turns
    # the page cache on where it is the subject.
    settings.PAGE_CACHE_ENABLED = False
    # Brute-force protection counts every failed login; tests/portal/test_login_lockout.py
    # turns it on where it is the subject (the test client logs in without a request).
    settings.AXES_ENABLED = False
    # Deliberately slow password hashing would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    views_count._buffer.clear()
    yield
    cache.clear()
    views_count._buffer.clear()


@pytest.fixture
def site_settings(db):
    site = SiteSettings.load()
    site.portal_name = "Cổng tin tức Thành phố Hải Phòng"
    site.fanpage_url = "https://www.facebook.com/example.haiphong"
    site.save()
    return site
