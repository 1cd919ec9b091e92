from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from news.forms import SearchForm
from news.models import Article
from news.preview import article_for_token
from news.search import highlight, search, similar_titles
from portal.views import CanonicalDetailView, qr_response

# How many other articles "Tin khác" lists under an article.
OTHER_ARTICLES = 8


class HomeView(ListView):
    """The latest published articles, newest first."""

    template_name = "news/home.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing()


class SearchView(ListView):
    """Tìm kiếm: accent-insensitive full-text search with filters."""

    template_name = "news/search.html"
    context_object_name = "results"
    paginate_by = 20

    def get_queryset(self):
        self.form = SearchForm(self.request.GET or None)
        self.criteria = self.form.cleaned()
        if not self.criteria["q"]:
            return Article.objects.none()
        articles = Article.objects.published().for_listing().defer("search_folded", "search_exact")
        if "category" in self.criteria:
            articles = articles.in_category(self.criteria["category"])
        if "from_date" in self.criteria:
            articles = articles.filter(published_at__date__gte=self.criteria["from_date"])
        if "to_date" in self.criteria:
            articles = articles.filter(published_at__date__lte=self.criteria["to_date"])
        self.filtered = articles
        return search(articles, self.criteria["q"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.criteria["q"]
        for article in context["results"]:
            article.snippet = highlight(f"{article.lead} {article.body_text}", query)
        if query and not context["paginator"].count:
            context["suggestions"] = list(similar_titles(self.filtered, query))
        params = self.request.GET.copy()
        params.pop("page", None)
        return {**context, "form": self.form, "query": query, "query_string": params.urlencode()}


class ArticleDetailView(CanonicalDetailView):
    """The article page; staff may also see unpublished articles, marked as such."""

    context_object_name = "article"

    def get_queryset(self):
        if can_preview(self.request.user):
            return Article.objects.live().for_page()
        return Article.objects.published().for_page()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_public:
            # A draft must never be kept by a browser or a shared cache.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["other_articles"] = list(
            Article.objects.published()
            .for_listing()
            .in_category(self.object.category_id)
            .exclude(pk=self.object.pk)[:OTHER_ARTICLES]
        )
        return context


def can_preview(user) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm("news.view_article")


@require_safe
def article_preview(request, token):
    """A draft opened through a signed preview link, for reviewers without an account."""
    article = article_for_token(token)
    if article is None:
        raise Http404("Liên kết xem trước không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
    article = Article.objects.for_page().get(pk=article.pk)
    response = render(
        request,
        "news/article_detail.html",
        {"article": article, "other_articles": [], "preview_link": True},
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
