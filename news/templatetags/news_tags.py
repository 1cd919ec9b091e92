import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portal.models import SiteSettings

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
