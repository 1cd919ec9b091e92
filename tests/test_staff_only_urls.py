"""Every admin and staff-only address refuses anonymous users and users without permission.

The test walks every URL pattern the admin has (the portal's own views
included), fills in the id of a real object, and asks as an anonymous
visitor and as a staff member who holds no permission at all.
"""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from news.models import Article
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

# What a signed-in staff member without permissions may still open: the
# empty admin index, their own password change, the admin's translations.
OPEN_TO_ANY_STAFF = {
    "admin:index",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:view_on_site",
}


def admin_routes():
    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), namespace)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}"

    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace == "admin":
            yield from walk(resolver.url_patterns, str(resolver.pattern), "admin")


def first_pk(route: str) -> str:
    """The id of an existing object of the model the route belongs to."""
    match = re.match(r"quan-tri/(\w+)/(\w+)/", route)
    if match:
        try:
            model = apps.get_model(match[1], match[2])
        except LookupError:
            model = None
        if model is not None:
            pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            if pk is not None:
                return str(pk)
    return "1"


def concrete(route: str) -> str:
    pk = first_pk(route)
    path = re.sub(
        r"<path:content_type_id>", str(ContentType.objects.get_for_model(Article).pk), route
    )
    path = re.sub(r"<(?:\w+:)?(?:object_id|pk|id)>", pk, path)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    path = path.replace("^", "").replace("$", "")
    path = re.sub(r"\(\\d\+\)", pk, path)
    path = re.sub(r"\(\[\^/\]\+\)", pk, path)
    return "/" + path


@pytest.fixture
def site(site_settings):
    call_command("load_demo", stdout=StringIO())
    draft = make_article(title="Bản nháp bí mật", status=Article.Status.DRAFT, published_at=None)
    return {"draft": draft}


def test_every_admin_address_refuses_anonymous_visitors(site):
    client = Client()
    checked = 0
    for route, name in admin_routes():
        if name in {"admin:login", "admin:logout"}:
            continue
        url = concrete(route)
        response = client.get(url)
        assert response.status_code == 302 and "/quan-tri/login/" in response["Location"], (
            name,
            url,
            response.status_code,
        )
        posted = client.post(url, {"title": "x", "_save": "1"})
        assert posted.status_code in (302, 403), (name, url, posted.status_code)
        if posted.status_code == 302:
            assert "/quan-tri/login/" in posted["Location"]
        checked += 1
    assert checked > 100  # every model admin and the portal's own admin views


def test_every_admin_address_refuses_staff_without_permission(site):
    client = Client()
    client.force_login(make_user(None, "khongquyen"))
    for route, name in admin_routes():
        if name in OPEN_TO_ANY_STAFF | {"admin:login", "admin:logout"}:
            continue
        url = concrete(route)
        response = client.get(url)
        assert response.status_code in (302, 403, 404, 405), (name, url, response.status_code)
        if response.status_code == 302:
            # The admin sends a user to its index for what they may not see,
            # or an old-style object address on to the object's change page,
            # which then refuses.
            target = response["Location"]
            if not target.rstrip("/").endswith("/quan-tri"):
                assert client.get(target).status_code in (403, 404), (name, url, target)
        posted = client.post(url, {"title": "Đổi trái phép", "_save": "1"})
        assert posted.status_code in (302, 403, 404, 405), (name, url, posted.status_code)
    assert not Article.objects.filter(title="Đổi trái phép").exists()
    index = client.get("/quan-tri/").content.decode()
    assert "/quan-tri/news/article/" not in index


def test_drafts_and_previews_are_hidden_from_the_public(site):
    client = Client()
    draft = site["draft"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_qr_url()).status_code == 404
    assert client.get(draft.get_qr_url("svg") + "?size=print&download=1").status_code == 404
    assert client.get("/xem-truoc/khong-hop-le/").status_code == 404
    assert client.get(f"/tin-tuc/{draft.pk}/").status_code == 404
