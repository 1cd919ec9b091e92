from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from portal import chrome

register = template.Library()

# The portal's own weekday names. Django's Vietnamese locale writes "Thứ 4";
# government portals write the words, and "Chủ Nhật" for Sunday.
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


@register.filter
def date_line(value):
    """``2023-05-24 10:20 UTC`` → ``Thứ Tư, 24/05/2023 17:20`` in the site's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y %H:%M}"


@register.filter
def absolute_url(path):
    """Prefix a site path with ``SITE_URL``, the origin readers use."""
    return f"{settings.SITE_URL}{path}"


@register.filter
def elided_pages(paginator, number):
    """Page numbers around the current one, with the first and last: 1 2 … 7 8 9 … 20."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def site_chrome(context, part):
    """``{% site_chrome "header" %}``: the site's header or footer (portal/chrome.py),
    fetched from the cache once per page for both, with the site settings."""
    request = context.get("request")
    if request is not None:
        return mark_safe(chrome.for_request(request)[part])  # noqa: S308 - our templates
    parts = context.render_context.get("site_chrome")
    if parts is None:
        parts = context.render_context["site_chrome"] = chrome.site_chrome()
    return mark_safe(parts[part])  # noqa: S308 - rendered by our templates
