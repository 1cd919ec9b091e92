from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from news.models import Article
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


class ArticleDetailView(CanonicalDetailView):
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_page()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["other_articles"] = list(
            Article.objects.published()
            .for_listing()
            .in_category(self.object.category_id)
            .exclude(pk=self.object.pk)[:OTHER_ARTICLES]
        )
        return context


@require_safe
def article_redirect(request, pk):
    """``/tin-tuc/123/`` → the article's canonical address."""
    article = get_object_or_404(Article.objects.published().only("id", "slug"), pk=pk)
    return redirect(article, permanent=True)


@require_safe
def article_qr(request, pk, fmt):
    article = get_object_or_404(Article.objects.published().only("id", "slug"), pk=pk)
    return qr_response(request, article.canonical_url, fmt, f"qr-{article.slug}")
