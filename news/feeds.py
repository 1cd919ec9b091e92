"""RSS 2.0 for the whole portal and for each section."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from news.models import Article, Category
from portal.models import SiteSettings
from portal.text import clean_text

ITEMS = 30


def _xml_safe(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return [_xml_safe(v) for v in value]
    return value


class XmlSafeRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose text holds nothing XML 1.0 forbids.

    Text is cleaned when it is saved; a row that escaped that (raw SQL, an
    old backup) would otherwise make Django's writer refuse the whole feed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})


class LatestArticlesFeed(Feed):
    feed_type = XmlSafeRssFeed
    query_parameters = ()

    def title(self):
        return SiteSettings.load().portal_name

    def link(self):
        return f"{settings.SITE_URL}/"

    def description(self):
        return f"Tin mới nhất – {SiteSettings.load().portal_name}"

    def feed_url(self):
        return settings.SITE_URL + self.request_path

    def get_object(self, request, *args, **kwargs):
        self.request_path = request.path
        return None

    def items(self):
        return Article.objects.published().for_listing()[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Readers render an RSS description as HTML; the sapo is plain text,
        # and what an editor typed in it must show as typed.
        return escape(item.lead)

    def item_link(self, item):
        return item.canonical_url  # absolute, on SITE_URL

    def item_guid(self, item):
        return item.canonical_url

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return (
            timezone.localtime(item.content_changed_at) if item.updated_after_publication else None
        )

    def item_author_name(self, item):
        return item.author_byline or None

    def item_categories(self, item):
        return [item.category.name]

    def _share(self, item):
        return item.share_image

    def item_enclosure_url(self, item):
        share = self._share(item)
        return settings.SITE_URL + share.url if share else None

    def item_enclosure_length(self, item):
        share = self._share(item)
        try:
            return default_storage.size(share.name) if share else None
        except OSError:
            return 0

    def item_enclosure_mime_type(self, item):
        return "image/jpeg" if self._share(item) else None


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        self.request_path = request.path
        return get_object_or_404(Category, slug=slug)

    def title(self, section):
        return f"{section.name} – {SiteSettings.load().portal_name}"

    def link(self, section):
        return settings.SITE_URL + section.get_absolute_url()

    def description(self, section):
        return f"Tin {section.name} – {SiteSettings.load().portal_name}"

    def items(self, section):
        return Article.objects.published().for_listing().in_section(section)[:ITEMS]
