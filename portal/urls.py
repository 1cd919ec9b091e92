from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from news.views import HomeView
from portal import views
from portal.sitemaps import SITEMAPS

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("quan-tri/", admin.site.urls),
    path("favicon.ico", views.favicon),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-tin-tuc.xml", views.news_sitemap, name="news-sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("qr/fanpage.<str:fmt>", views.fanpage_qr, name="fanpage-qr"),
    path("", include("news.urls")),
    path("", include("media.urls")),
    path("", include("organizations.urls")),
    path("", include("awards.urls")),
]

if settings.DEBUG:
    # Production serves uploads from the web server (see docs/deploying.md).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
