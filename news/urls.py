from django.urls import path, re_path

from news import views
from news.feeds import LatestArticlesFeed, SectionFeed

app_name = "news"

urlpatterns = [
    # The slug comes first for readers, the id last for the database:
    # /tin-tuc/quan-hong-bang-gan-ket-...-42/
    re_path(
        r"^tin-tuc/(?P<slug>[-\w]+)-(?P<pk>[0-9]+)/$",
        views.ArticleDetailView.as_view(),
        name="article-detail",
    ),
    path("tin-tuc/<int:pk>/", views.article_redirect, name="article-short"),
    path("tin-tuc/<int:pk>/qr.<str:fmt>", views.article_qr, name="article-qr"),
    path("xem-truoc/<str:token>/", views.article_preview, name="article-preview"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("rss/", LatestArticlesFeed(), name="feed"),
    path("rss/<slug:slug>/", SectionFeed(), name="section-feed"),
    path("chuyen-muc/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tu-khoa/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("tin-theo-ngay/", views.DayArchiveView.as_view(), name="day"),
]
