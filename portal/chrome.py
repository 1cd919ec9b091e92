"""The site's header (brand, search box, section menu) and footer, rendered once.

Every public page prints both, and they change only when the site settings
or the sections do. They are kept in the cache beside those two and deleted
whenever either is saved or deleted (``SiteSettings.save``,
``Category.save``), so a page never shows an old menu or address.
"""

from django.core.cache import cache
from django.template.loader import render_to_string

CACHE_KEY = "portal:chrome"
PARTS = ("header", "footer")
# Like the sections' own cache entry: a write that raced a change is gone
# within the hour even if nothing else changes.
TIMEOUT = 3600


def site_chrome() -> dict[str, str]:
    """``{"header": html, "footer": html}``, from the cache when possible."""
    chrome = cache.get(CACHE_KEY)
    if chrome is None:
        from news.models import section_tree
        from portal.models import SiteSettings

        context = {"site_settings": SiteSettings.load(), "sections": section_tree()}
        chrome = {
            part: render_to_string(f"includes/site_{part}.html", context).strip() for part in PARTS
        }
        cache.set(CACHE_KEY, chrome, TIMEOUT)
    return chrome


def forget() -> None:
    cache.delete(CACHE_KEY)
