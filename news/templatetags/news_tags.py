import json
from html import escape

from django import template
from django.conf import settings
from django.template.defaultfilters import truncatewords
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from media.rendering import picture_html
from portal.models import SiteSettings
from portal.templatetags.portal import date_line

register = template.Library()


@register.filter
def news_article_json_ld(article):
    """schema.org NewsArticle for search engines, as a JSON-LD data block."""
    site = SiteSettings.load()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "datePublished": article.published_at.isoformat(),
        "dateModified": (article.content_changed_at or article.published_at).isoformat(),
        "mainEntityOfPage": article.canonical_url,
        "articleSection": article.category.name,
        "inLanguage": "vi",
        "publisher": {
            "@type": "Organization",
            "name": site.portal_name,
            "logo": {"@type": "ImageObject", "url": f"{settings.SITE_URL}/static/favicon.svg"},
        },
    }
    if article.author_byline:
        data["author"] = {"@type": "Person", "name": article.author_byline}
    share = article.share_image
    if share:
        data["image"] = [settings.SITE_URL + share.url]
    if article.original_url:
        data["isBasedOn"] = article.original_url
    # "</" cannot end the data block early once "<" is escaped.
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


# A card's cover: a third of the page on a desktop, half on a tablet.
CARD_SIZES = "(min-width: 1024px) 380px, (min-width: 768px) 50vw, 100vw"
# Covers in the first row load at once; the rest when scrolled to.
EAGER_CARDS = 3
LEAD_WORDS = 40


@register.simple_tag
def article_card(article, position=EAGER_CARDS + 1, show_lead=False):
    """One article in a list: cover, title, section and time, the lead if asked.

    ``{% article_card article position=forloop.counter show_lead=True %}``.
    Built here rather than in an included template: a list page prints
    twenty cards, and each include cost more than the rest of the page.
    """
    url = article.get_absolute_url()
    cover = ""
    if article.cover_image is not None:
        picture = picture_html(
            article.cover_image, alt="", sizes=CARD_SIZES, lazy=position > EAGER_CARDS
        )
        cover = format_html(
            '\n  <a class="card__image" href="{}" tabindex="-1" aria-hidden="true">{}</a>',
            url,
            mark_safe(picture),  # noqa: S308 - escaped in picture_html
        )
    lead = ""
    if show_lead and article.lead:
        lead = truncatewords(article.lead, LEAD_WORDS)
        lead = format_html('\n  <p class="card__lead">{}</p>', lead)
    return format_html(
        '<article class="card">{}\n  {}{}\n</article>', cover, card_heading(article, url), lead
    )


@register.simple_tag
def card_heading(article, url=None):
    """A listed article's title, section and time, as cards and search results print them."""
    # Plain escapes and one f-string: search results and the front page
    # print dozens of these, and format_html's lazy-aware escaping of each
    # part cost more than the rest of the heading.
    local = timezone.localtime(article.published_at)
    return mark_safe(  # noqa: S308 - every part escaped
        f'<h2 class="card__title"><a href="{escape(url or article.get_absolute_url())}">'
        f"{escape(article.title)}</a></h2>\n"
        f'  <p class="card__meta"><span class="card__category">{escape(article.category.name)}'
        f'</span> · <time datetime="{local.isoformat()}">{date_line(local)}</time></p>'
    )


@register.simple_tag
def headline(article, time_format=""):
    """A listed article's linked title, with its time in ``time_format``
    (strftime, in the portal's time zone) when one is given:
    ``{% headline other "(%d/%m/%Y)" %}``."""
    link = f'<a href="{escape(article.get_absolute_url())}">{escape(article.title)}</a>'
    if time_format:
        local = timezone.localtime(article.published_at)
        link += (
            f' <time datetime="{local.isoformat()}">{escape(local.strftime(time_format))}</time>'
        )
    return mark_safe(link)  # noqa: S308 - every part escaped
