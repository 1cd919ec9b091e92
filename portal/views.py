import sys

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from portal.models import SiteSettings
from portal.qr import FORMATS, PNG_BOX_SIZES, qr_storage_name
from portal.text import clean_text


class CanonicalDetailView(DetailView):
    """A detail page found by id, whose address also carries a slug.

    A stale or mistyped slug answers a permanent redirect to the canonical
    address, so links made before a rename keep working.
    """

    query_parameters = ()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs.get("slug") != self.object.slug:
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


def qr_response(request, data: str, fmt: str, filename: str) -> FileResponse:
    """Serve the stored QR code for ``data``; ``?download`` saves it, ``?size=print`` is large."""
    size = request.GET.get("size", "web")
    if fmt not in FORMATS or size not in PNG_BOX_SIZES:
        raise Http404("Không có định dạng mã QR này.")
    name = qr_storage_name(data, fmt, size)
    response = FileResponse(
        default_storage.open(name),
        content_type=FORMATS[fmt],
        as_attachment="download" in request.GET,
        filename=f"{filename}.{fmt}",
    )
    # The file name is a hash of what the code encodes, so it is a strong validator.
    response["ETag"] = f'"{name.rsplit("/", 1)[-1]}"'
    response["Last-Modified"] = http_date(default_storage.get_modified_time(name).timestamp())
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_safe
def fanpage_qr(request, fmt):
    fanpage_url = SiteSettings.load().fanpage_url
    if not fanpage_url:
        raise Http404("Cổng chưa khai báo Fanpage.")
    return qr_response(request, fanpage_url, fmt, "qr-fanpage")


@never_cache
@require_safe
def healthz(request):
    """Liveness check for a load balancer: the process answers, nothing more.

    It never touches the database. It passes the same middleware as every
    page (the page cache's lookup included) and does no work of its own,
    which makes it the benchmark's ceiling.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return HttpResponsePermanentRedirect(staticfiles_storage.url("favicon.svg"))


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def login_locked_out(request, response, credentials):
    """What django-axes answers to a locked-out login: a Vietnamese page, 429."""
    return render(
        request,
        "admin/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


def server_error(request):
    """500, or 503 while the database cannot be reached, without any query.

    A restarted PostgreSQL is found again by itself: connections are checked
    before reuse (``CONN_HEALTH_CHECKS``), so the first request after it is
    back gets a page. Django logs the traceback (``django.request``).
    """
    if database_unreachable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
    else:
        response = HttpResponseServerError(render_to_string("500.html"))
    patch_cache_control(response, no_store=True)
    return response


def database_unreachable(error) -> bool:
    """Whether ``error`` means the database is gone, not that a query was wrong.

    A connection cut while a result is read (PostgreSQL shutting down) can
    surface as a bare ``DatabaseError`` ("no message from the libpq") rather
    than an ``OperationalError``; then the connection itself says which it is.
    An integrity or programming error on a working connection stays a 500.
    """
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if type(error) is DatabaseError:
        return connection.connection is None or not connection.is_usable()
    return False


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /quan-tri/",
        "Disallow: /xem-truoc/",
        "Disallow: /tim-kiem/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        f"Sitemap: {settings.SITE_URL}/sitemap-tin-tuc.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def news_sitemap(request):
    from portal.sitemaps import news_sitemap_articles

    document = render_to_string(
        "sitemap_news.xml",
        {"articles": news_sitemap_articles(), "portal_name": SiteSettings.load().portal_name},
        request,
    )
    # Titles are cleaned when saved; a row that escaped that must not make
    # the document ill-formed for every crawler.
    return HttpResponse(clean_text(document), content_type="application/xml; charset=utf-8")


@require_safe
def sitemap_index(request):
    """The sitemap index, with every section's pages, on SITE_URL (not the request's host)."""
    from django.urls import reverse

    from portal.sitemaps import SITEMAPS

    locations = []
    for section, sitemap_class in SITEMAPS.items():
        path = reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": section})
        pages = sitemap_class().paginator.num_pages
        for page in range(1, pages + 1):
            locations.append(f"{settings.SITE_URL}{path}" + (f"?p={page}" if page > 1 else ""))
    return render(
        request,
        "sitemap_index.xml",
        {"locations": locations},
        content_type="application/xml; charset=utf-8",
    )
