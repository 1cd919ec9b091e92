import pytest
from django.core.cache import cache

from portal.models import SiteSettings


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Each test writes files to its own folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_settings(db):
    site = SiteSettings.load()
    site.portal_name = "Cổng tin tức Thành phố Hải Phòng"
    site.fanpage_url = "https://www.facebook.com/example.haiphong"
    site.save()
    return site
