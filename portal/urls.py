from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from news.views import HomeView
from portal import views

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("quan-tri/", admin.site.urls),
    path("favicon.ico", views.favicon),
    path("qr/fanpage.<str:fmt>", views.fanpage_qr, name="fanpage-qr"),
    path("", include("news.urls")),
    path("", include("media.urls")),
    path("", include("organizations.urls")),
    path("", include("awards.urls")),
]

if settings.DEBUG:
    # Production serves uploads from the web server (see README.md).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "portal.views.page_not_found"
