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
# Emptied when a change commits (``portal.cache.now_and_after_commit``); the
# hour, like the sections' own entry, is only a backstop.
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


def for_request(request) -> dict:
    """The site settings (``"settings"``) and the header and footer of the
    page ``request`` asks for.

    Every public page needs all three: they come in one cache round trip,
    not one each, and are kept on the request for the rest of it.
    """
    page = getattr(request, "_portal_site", None)
    if page is None:
        from portal.models import SiteSettings

        found = cache.get_many([SiteSettings.CACHE_KEY, CACHE_KEY])
        parts = found.get(CACHE_KEY) or site_chrome()
        settings = found.get(SiteSettings.CACHE_KEY) or SiteSettings.load()
        page = request._portal_site = {"settings": settings, **parts}
    return page


def forget() -> None:
    cache.delete(CACHE_KEY)
