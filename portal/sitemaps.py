"""sitemap.xml: an index of paginated sitemaps, on SITE_URL's scheme and host."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from awards.models import AwardDecision
from news.models import Article, Category
from organizations.models import Organization


class PortalSitemap(Sitemap):
    limit = 5000

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "published_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.updated_at


class SectionSitemap(PortalSitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.order_by("pk")


class OrganizationSitemap(PortalSitemap):
    def items(self):
        return Organization.objects.active().only("pk", "slug").order_by("pk")


class DecisionSitemap(PortalSitemap):
    def items(self):
        return AwardDecision.objects.only("pk", "slug", "decided_on").order_by("-decided_on", "-pk")

    def lastmod(self, decision):
        return decision.decided_on


SITEMAPS = {
    "bai-viet": ArticleSitemap,
    "chuyen-muc": SectionSitemap,
    "co-quan": OrganizationSitemap,
    "khen-thuong": DecisionSitemap,
}


def news_sitemap_articles():
    """Articles of the last 48 hours, for the Google News sitemap."""
    since = timezone.now() - timedelta(hours=48)
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("pk", "slug", "title", "published_at")[:1000]
    )
