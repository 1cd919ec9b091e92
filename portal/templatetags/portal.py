from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal import chrome
from portal.names import staff_name as _staff_name

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
def staff_name(user):
    """A staff member's name in Vietnamese order (portal.names), or "—"."""
    return _staff_name(user) or "—"


@register.filter
def absolute_url(path):
    """Prefix a site path with ``SITE_URL``, the origin readers use."""
    return f"{settings.SITE_URL}{path}"


@register.simple_tag
def pagination(page, query_string=""):
    """``{% pagination page_obj query_string %}``: the links under a list,
    ‹ Trước 1 … 7 8 9 10 11 … 636 Sau ›, the current page marked.

    Built here rather than in an included template: a dozen links, each a
    few template tags, cost a list page more than its twenty cards.
    """
    if not page.has_other_pages():
        return ""
    paginator = page.paginator
    prefix = f"?{conditional_escape(query_string)}&amp;page=" if query_string else "?page="
    items = []
    if page.has_previous():
        items.append(
            f'<li><a href="{prefix}{page.previous_page_number()}" rel="prev">'
            f"‹ {escape(gettext('Trước'))}</a></li>"
        )
    for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if not isinstance(number, int):
            items.append('<li><span aria-hidden="true">…</span></li>')
        elif number == page.number:
            items.append(f'<li><span aria-current="page">{number}</span></li>')
        else:
            items.append(f'<li><a href="{prefix}{number}">{number}</a></li>')
    if page.has_next():
        items.append(
            f'<li><a href="{prefix}{page.next_page_number()}" rel="next">'
            f"{escape(gettext('Sau'))} ›</a></li>"
        )
    status = gettext("Trang %(number)s/%(total)s") % {
        "number": page.number,
        "total": paginator.num_pages,
    }
    links = "\n    ".join(items)
    return mark_safe(  # noqa: S308 - numbers, and the escaped query string and words
        f'<nav class="pagination" aria-label="{escape(gettext("Phân trang"))}">\n'
        f'  <p class="visually-hidden">{escape(status)}</p>\n'
        f"  <ul>\n    {links}\n  </ul>\n</nav>"
    )


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
