from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal import chrome


def site(request):
    # Lazy: admin pages that never print the portal name pay nothing.
    from news.models import section_tree

    return {
        # With the header and footer, in one cache round trip (portal/chrome.py).
        "site_settings": SimpleLazyObject(lambda: chrome.for_request(request)["settings"]),
        "sections": SimpleLazyObject(section_tree),
        "SITE_URL": settings.SITE_URL,
    }
