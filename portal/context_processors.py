from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal.models import SiteSettings


def site(request):
    # Lazy: admin pages that never print the portal name pay nothing.
    from news.models import section_tree

    return {
        "site_settings": SimpleLazyObject(SiteSettings.load),
        "sections": SimpleLazyObject(section_tree),
        "SITE_URL": settings.SITE_URL,
    }
