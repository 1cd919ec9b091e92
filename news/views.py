from datetime import date, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import OuterRef, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView

from news.forms import SearchForm
from news.models import (
    Article,
    Category,
    SectionCount,
    Tag,
    find_section,
    other_articles,
    public_article,
    section_ids,
)
from news.preview import article_for_token
from news.search import corrected_query, highlight, search
from news.stored_html import article_cards, article_markup
from news.views_count import record_view
from portal import chrome
from portal.views import CanonicalDetailView, qr_response

# How many other articles "Tin khác" lists under an article.


# What the front page shows.
FEATURED = 5
LATEST = 10
PER_SECTION = 4
MOST_READ = 5
MOST_READ_DAYS = 7


class HomeView(TemplateView):
    """Trang chủ: featured stories, the latest news, a block per section, the most read."""

    template_name = "news/home.html"
    # The query parameters the page reads: the page cache keeps a page
    # under these alone and hands the view no others (portal/cache.py).
    query_parameters = ()

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        # Headline lists print titles and times only: no covers to fetch.
        headlines = Article.objects.published().only("pk", "slug", "title", "published_at")
        featured = list(published.featured()[:FEATURED])
        latest = list(headlines.exclude(pk__in=[a.pk for a in featured])[:LATEST])
        # The newest few of every section: one small index scan per section
        # (an array subquery), then those articles in one query.
        sections = [
            section
            for section in Category.objects.annotate(
                newest=ArraySubquery(
                    Article.objects.published()
                    .filter(category=OuterRef("pk"))
                    .order_by("-published_at")
                    .values("pk")[:PER_SECTION]
                )
            ).order_by("order", "name")
            if section.newest
        ]
        articles = published.in_bulk([pk for section in sections for pk in section.newest])
        blocks = [(section, [articles[pk] for pk in section.newest]) for section in sections]
        since = timezone.localdate() - timedelta(days=MOST_READ_DAYS - 1)
        most_read = list(
            headlines.filter(view_counts__day__gte=since)
            .annotate(recent_views=Sum("view_counts__views"))
            .order_by("-recent_views", "-published_at")[:MOST_READ]
        )
        return super().get_context_data(
            featured=featured, latest=latest, blocks=blocks, most_read=most_read, **kwargs
        )


class IdFirstPaginator(Paginator):
    """Finds a page's ids first, then loads only those rows.

    ``OFFSET 9980`` makes PostgreSQL fetch and throw away every row before
    the page; with the ids chosen in a subquery it walks the index alone, so
    page 500 costs about what page 1 does.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


class ArticleListView(ListView):
    """A numbered, paginated list of published articles (sections, tags, days),
    printed as the articles' stored cards."""

    template_name = "news/article_list.html"
    paginate_by = 20
    query_parameters = ("page",)
    paginator_class = IdFirstPaginator

    def articles(self):
        return Article.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        context["cards"] = article_cards(context["page_obj"].object_list)
        return context


class SectionView(ArticleListView):
    def get_queryset(self):
        # The section, its parent and subsections come with the cached tree
        # the menu is printed from.
        self.section = find_section(self.kwargs["slug"])
        if self.section is None:
            raise Http404("Không có chuyên mục này.")
        self.section_ids = section_ids(self.section)
        return self.articles().filter(category__in=self.section_ids)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # Kept at write time (SectionCount), rather than counted on every page.
        paginator.count = SectionCount.objects.published_in(self.section_ids)
        return paginator

    def get_context_data(self, **kwargs):
        section = self.section
        crumbs = [section.parent] if section.parent_id else []
        return super().get_context_data(
            heading=section.name,
            section=section,
            crumbs=crumbs,
            feed_url=reverse("news:section-feed", kwargs={"slug": section.slug}),
            **kwargs,
        )


class TagView(ArticleListView):
    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.articles().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=f"#{self.tag.name}", tag=self.tag, **kwargs)


class DayArchiveView(ArticleListView):
    """Tin theo ngày: pick a date, see that day's articles."""

    template_name = "news/day_archive.html"
    query_parameters = ("ngay", "page")

    def get_queryset(self):
        self.day = None
        raw = self.request.GET.get("ngay", "")
        try:
            self.day = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise Http404("Ngày không hợp lệ.") from None
        if not date.min < self.day < date.max:
            # The page links the day before and after: there are none.
            raise Http404("Ngày không hợp lệ.")
        return self.articles().on_day(self.day)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Tin theo ngày %(day)s") % {"day": self.day.strftime("%d/%m/%Y")},
            day=self.day,
            previous_day=self.day - timedelta(days=1),
            next_day=self.day + timedelta(days=1),
            **kwargs,
        )


SUGGESTIONS = 5
# The suggestions under a corrected query are the best of its newest
# matches: a reader sees five titles, not a count or pages.
SUGGESTION_CANDIDATES = 50


class SearchView(ListView):
    """Tìm kiếm: accent-insensitive full-text search with filters."""

    template_name = "news/search.html"
    context_object_name = "results"
    paginate_by = 20
    query_parameters = (*SearchForm.base_fields, "page")

    def get_queryset(self):
        """The ids of the matching articles, best first: the page's rows come later."""
        self.form = SearchForm(self.request.GET or None)
        self.criteria = self.form.cleaned()
        self.filtered = Article.objects.published()
        if not self.criteria["q"]:
            return []
        if "category" in self.criteria:
            self.filtered = self.filtered.in_category(self.criteria["category"])
        if "from_date" in self.criteria:
            self.filtered = self.filtered.filter(published_at__date__gte=self.criteria["from_date"])
        if "to_date" in self.criteria:
            self.filtered = self.filtered.filter(published_at__date__lte=self.criteria["to_date"])
        return search(self.filtered, self.criteria["q"])

    def articles(self, ids) -> list[Article]:
        rows = self.filtered.for_search_results().in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.criteria["q"]
        context["results"] = self.articles(list(context["results"]))
        for article in context["results"]:
            article.snippet = highlight(f"{article.lead} {article.body_text}", query)
        if query and not context["paginator"].count:
            correction = corrected_query(query)
            if correction:
                context["correction"] = correction
                context["correction_query_string"] = self.query_string(q=correction)
                suggested = search(self.filtered, correction, candidates=SUGGESTION_CANDIDATES)[
                    :SUGGESTIONS
                ]
                context["suggestions"] = self.articles(suggested)
        return {**context, "form": self.form, "query": query, "query_string": self.query_string()}

    def query_string(self, **changes) -> str:
        """This search's parameters without the page number, with ``changes``."""
        params = self.request.GET.copy()
        params.pop("page", None)
        for name, value in changes.items():
            params[name] = value
        return params.urlencode()


class ArticleDetailView(CanonicalDetailView):
    """The article page; staff may also see unpublished articles, marked as such."""

    context_object_name = "article"

    def get_object(self, queryset=None):
        if can_preview(self.request.user):
            return super().get_object(Article.objects.live().for_public_page())
        article = public_article(int(self.kwargs["pk"]))
        if article is None:
            raise Http404("Không tìm thấy bài viết.")
        return article

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.object.is_public:
            record_view(self.object.pk, self.request)
            # A page served later from the page cache still counts as a view.
            response.counted_article_id = self.object.pk
        else:
            # A draft must never be kept by a browser or a shared cache.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # One load of the site settings for the stored markup's key and the page.
        context["site_settings"] = site = chrome.for_request(self.request)["settings"]
        context["article_head"], context["article_main"] = article_markup(self.object, site)
        context["other_articles"] = other_articles(self.object)
        return context


def can_preview(user) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm("news.view_article")


@require_safe
def article_preview(request, token):
    """A draft opened through a signed preview link, for reviewers without an account."""
    article = article_for_token(token)
    if article is None:
        raise Http404("Liên kết xem trước không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
    article = Article.objects.for_public_page().get(pk=article.pk)
    site = chrome.for_request(request)["settings"]
    head, main = article_markup(article, site)
    response = render(
        request,
        "news/article_detail.html",
        {
            "site_settings": site,
            "article": article,
            "article_head": head,
            "article_main": main,
            "other_articles": [],
            "preview_link": True,
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def article_redirect(request, pk):
    """``/tin-tuc/123/`` → the article's canonical address."""
    article = get_object_or_404(Article.objects.published().only("id", "slug"), pk=pk)
    return redirect(article, permanent=True)


@require_safe
def article_qr(request, pk, fmt):
    article = get_object_or_404(Article.objects.published().only("id", "slug"), pk=pk)
    return qr_response(request, article.canonical_url, fmt, f"qr-{article.slug}")
