"""Every address the admin mounts, as every role, against the matrix in docs/roles.md.

The matrix is read from the documentation itself, so the two cannot drift.
Each address (the portal's own admin views and those Django, django-reversion
and django-axes add) is asked for with GET and POST as an anonymous visitor,
a reporter, a second reporter, an editor and an administrator, on objects
chosen so that the rules that narrow a right to some objects are tried on
both sides (the reporter's own draft and a colleague's, a photo in public use
and one that is not, a trashed article, an article deleted for good).

- What the matrix does not give must be refused (the login page, 403 or
  404) without the object's text in the answer, and a POST of a form that
  works for an allowed role must leave the database as it was.
- What the matrix gives must work: a GET opens, and that same POST goes
  through (a redirect), so the refusals above are tested with a form that
  would have done something.

Each request runs in a transaction that is rolled back afterwards, so one
role's allowed delete does not hide the next role's attempt.
"""

import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from reversion.models import Version

from media.models import Image
from news import services
from news.models import Article
from portal.roles import ADMINISTRATOR, EDITOR, REPORTER
from tests.factories import make_article, make_image, make_user
from tests.test_staff_only_urls import admin_routes

pytestmark = pytest.mark.django_db

ROLES_DOC = Path(__file__).resolve().parent.parent / "docs" / "roles.md"
COLUMNS = {"Phóng viên": REPORTER, "Biên tập viên": EDITOR, "Quản trị": ADMINISTRATOR}
WORDS = {
    "xem": "view",
    "thêm": "add",
    "sửa": "change",
    "xóa vĩnh viễn": "purge",
    "xóa": "delete",
    "xuất bản": "publish",
    "rút lại": "withdraw",
}
PATTERN = r"(" + "|".join(WORDS) + r")(?: \((\d)\))?"
MARK = "Đổi trái phép"

# Tables whose rows change on any request (sessions, login records) or
# that only the login throttle writes.
VOLATILE_TABLES = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}


def read_matrix() -> dict:
    """{model label: {role: {action: rule number or None}}} from docs/roles.md."""
    matrix = {}
    header = None
    for line in ROLES_DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| Model"):
            header = [COLUMNS[cell] for cell in cells[1:]]
            continue
        if header is None or not line.startswith("| `"):
            continue
        label = cells[0].strip("`")
        matrix[label] = {}
        for role, cell in zip(header, cells[1:], strict=True):
            rights = {}
            for word, rule in re.findall(PATTERN, cell):
                action = WORDS[word]
                rights[action] = int(rule) if rule else None
            matrix[label][role] = rights
    assert len(matrix) >= 15, "the matrix in docs/roles.md was not found"
    return matrix


MATRIX = read_matrix()


def fingerprint() -> dict:
    """{table: a digest of its rows} for every table but the volatile ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall() if name not in VOLATILE_TABLES]
        digest = "md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), ''))"
        # Table names from the catalogue, quoted as identifiers.
        quote = connection.ops.quote_name
        parts = " UNION ALL ".join(
            f"SELECT '{name}', {digest} FROM {quote(name)} t"  # noqa: S608
            for name in tables
        )
        cursor.execute(parts)
        return dict(cursor.fetchall())


class FormReader(HTMLParser):
    """The values a browser would post from the admin's main form."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self.in_form, self.select, self.textarea = {}, False, None, None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form or (not attrs.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.add(self.textarea, "")

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_data(html: str) -> dict:
    reader = FormReader()
    reader.feed(html)
    data = {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    for name in ("title", "name", "portal_name", "full_name", "number", "old_path", "username"):
        if name in data:
            data[name] = f"/{MARK}/" if name == "old_path" else MARK + "x"
            break
    data["_save"] = "1"
    return data


@pytest.fixture
def newsroom(site_settings, tmp_path):
    call_command("load_demo", stdout=StringIO())
    people = {
        "reporter": make_user(REPORTER, "phongvien"),
        "other": make_user(REPORTER, "phongvien2"),
        "editor": make_user(EDITOR, "bientap"),
        "admin": make_user(ADMINISTRATOR, "quantri"),
    }
    reporter, editor = people["reporter"], people["editor"]

    def article(title, **fields):
        return make_article(title=title, created_by=reporter, **fields)

    draft = {"status": Article.Status.DRAFT, "published_at": None}
    articles = {
        "own draft": article("Nháp riêng của phóng viên", **draft),
        "in review": article("Bài đang chờ duyệt", **draft),
        "published": article("Bài của phóng viên đã đăng"),
        "editor's": make_article(title="Bài của biên tập viên", created_by=editor),
        "trashed": article("Bài trong thùng rác", **draft),
    }
    services.article_submit(article=articles["in review"], user=reporter)
    services.article_trash(article=articles["trashed"], user=editor)
    gone = make_article(title="Bài đã xóa trước đây", created_by=reporter)
    deleted_version = Version.objects.get_for_object(gone).first()
    Article.objects.filter(pk=gone.pk).delete()

    unused = make_image(title="Ảnh riêng chưa dùng", alt_text="Ảnh", user=reporter)
    public = make_image(title="Ảnh riêng đã đăng", alt_text="Ảnh", user=reporter)
    articles["published"].cover_image = public
    articles["published"].save()
    images = {
        "own unused": unused,
        "own public": public,
        "editor's": make_image(title="Ảnh của biên tập viên", alt_text="Ảnh", user=editor),
    }
    return {
        "people": people,
        "articles": articles,
        "images": images,
        "deleted_version": deleted_version,
    }


def objects_for(label, newsroom):
    """The objects an address is tried on: both sides of each narrowing rule."""
    if label == "news.article":
        return [(name, a.pk, a.title) for name, a in newsroom["articles"].items()]
    if label == "media.image":
        return [(name, i.pk, i.title) for name, i in newsroom["images"].items()]
    if label == "auth.user":
        user = newsroom["people"]["other"]
        return [("user", user.pk, user.username)]
    if label == "auth.group":
        group = Group.objects.get(name=REPORTER)
        return [("group", group.pk, None)]
    app_label, model_name = label.split(".")
    from django.apps import apps

    model = apps.get_model(app_label, model_name)
    obj = model._default_manager.order_by("pk").first()
    return [(str(obj), obj.pk, None)] if obj else []


def allowed(role, label, action, obj, user) -> bool:
    rights = MATRIX[label].get(role, {}) if role else {}
    if action not in rights:
        return False
    rule = rights[action]
    if label == "news.article" and obj is not None:
        if rule == 1:
            return (
                obj.created_by_id == user.pk
                and obj.status == Article.Status.DRAFT
                and obj.deleted_at is None
            )
        if rule in (2, 3):
            return obj.deleted_at is None
        if rule == 4:
            return obj.deleted_at is not None
        if rule == 6:
            return (
                obj.created_by_id == user.pk
                and obj.status == Article.Status.REVIEW
                and obj.deleted_at is None
            )
    if label == "media.image" and obj is not None and rule == 5:
        return obj.uploaded_by_id == user.pk and not (
            Image.objects.filter(pk=obj.pk).in_public_use().exists()
        )
    return True


# Which right each address needs: by the end of its name, for GET and POST.
GENERIC = {
    "changelist": ("view", None),
    "add": ("add", "add"),
    "change": ("view", "change"),
    "delete": ("delete", "delete"),
    "history": ("view", None),
}
SPECIAL = {
    "admin:news_article_presence": (None, "view"),
    "admin:news_article_compare": ("view", None),
    "admin:news_article_preview_link": ("change", "change"),
    "admin:news_article_revision": ("view", "change"),
    "admin:news_article_recoverlist": ("purge", None),
    "admin:news_article_recover": ("purge", "purge"),
    "admin:news_article_purge": ("purge", "purge"),
    "admin:news_article_withdraw": (None, "withdraw"),
    "admin:media_image_bulk_upload": ("add", "add"),
    "admin:media_image_ckeditor_upload": (None, "add"),
    "admin:media_image_ckeditor_browse": ("view", None),
    "admin:media_document_ckeditor_browse": ("view", None),
    "admin:awards_awarddecision_import": ("change", "change"),
    "admin:auth_user_password_change": ("change", "change"),
}
# Open to any signed-in staff member, or no page at all: the walk of
# tests/test_staff_only_urls.py covers them.
SKIPPED = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:autocomplete",
    "admin:app_list",
}


def rights_needed(name, route):
    if name in SPECIAL:
        return SPECIAL[name]
    if name == "admin:None":
        return ("view", None) if "<path:object_id>" in route else (None, None)
    return GENERIC[name.rsplit("_", 1)[1]]


def label_of(route):
    match = re.match(r"quan-tri/(\w+)/(\w+)/", route)
    return f"{match[1]}.{match[2]}" if match else None


def concrete(route, pk, newsroom):
    article = newsroom["articles"].get("own draft")
    path = route.replace("^", "").replace("$", "")
    if "recover/(" in path:
        return "/" + path.replace(r"(\d+)", str(newsroom["deleted_version"].pk))
    if "history/(" in path:
        version = Version.objects.get_for_object_reference(Article, pk).first()
        path = path.replace("([^/]+)", str(pk)).replace(r"(\d+)", str(version.pk))
        return "/" + path
    del article
    return "/" + re.sub(r"<(?:\w+:)?\w+>", str(pk), path)


def addresses(newsroom):
    """(name, label, url, object or None, its text) for every address of every model."""
    from django.apps import apps

    for route, name in admin_routes():
        if name in SKIPPED or "(?P<url>" in route:
            continue
        label = label_of(route)
        assert label in MATRIX, f"{label} ({name}) is missing from docs/roles.md"
        model = apps.get_model(label)
        if "<" not in route and "(" not in route:
            yield name, label, "/" + route, None, None, route
            continue
        if name == "admin:news_article_recover":
            yield name, label, concrete(route, 0, newsroom), None, "Bài đã xóa trước đây", route
            continue
        for _key, pk, text in objects_for(label, newsroom):
            obj = model._default_manager.get(pk=pk)
            if name == "admin:auth_user_password_change" or label == "auth.user":
                obj = None  # users have no object rules
            yield name, label, concrete(route, pk, newsroom), obj, text, route


def ask(client, method, url, data=None):
    with transaction.atomic():
        before = fingerprint()
        response = getattr(client, method)(url, data or {})
        after = fingerprint()
        changed = sorted(name for name in after if after[name] != before.get(name))
        transaction.set_rollback(True)
    return response, changed


def test_every_admin_address_follows_the_role_matrix(newsroom):
    people = newsroom["people"]
    administrator = Client()
    administrator.force_login(people["admin"])
    clients = {None: Client()}
    users = {None: None}
    for key, role in (
        ("reporter", REPORTER),
        ("other", REPORTER),
        ("editor", EDITOR),
        ("admin", ADMINISTRATOR),
    ):
        client = Client()
        client.force_login(people[key])
        clients[key] = client
        users[key] = (role, people[key])

    forms = {}
    problems = []
    checked = 0
    for name, label, url, obj, text, route in addresses(newsroom):
        get_right, post_right = rights_needed(name, route)
        if post_right and url not in forms:
            # The form as an administrator gets it: what a browser would post.
            page = administrator.get(url)
            html = page.content.decode() if page.status_code == 200 else ""
            forms[url] = form_data(html) if html else {}
            forms[url].update({"post": "yes", "workflow_comment": "Thử quyền"})
        for key, client in clients.items():
            role, user = users[key] or (None, None)
            for method, right in (("get", get_right), ("post", post_right)):
                if right is None:
                    continue
                may = role is not None and allowed(role, label, right, obj, user)
                if name == "admin:news_article_revision" and method == "get":
                    may = may and obj is not None
                data = forms.get(url) if method == "post" else None
                response, changed = ask(client, method, url, data)
                checked += 1
                where = f"{key or 'anonymous'} {method.upper()} {url} ({name})"
                status = response.status_code
                if status >= 500:
                    problems.append(f"{where}: {status}")
                    continue
                if may:
                    if status in (403, 404) or (
                        status == 302 and "/login/" in response.get("Location", "")
                    ):
                        problems.append(f"{where}: refused ({status}) though the matrix allows")
                    continue
                body = response.content.decode(errors="replace") if status == 200 else ""
                if status == 200 or (text and text in body):
                    problems.append(f"{where}: answered {status} though the matrix refuses")
                if changed:
                    problems.append(f"{where}: changed {changed} though the matrix refuses")
    problems += bulk_action_problems(newsroom, clients, users)
    assert checked > 800
    assert problems == [], "\n".join(problems)


# The right each bulk action needs, by its name.
ACTION_RIGHTS = {
    "delete_selected": "delete",
    "publish_selected": "publish",
    "unpublish_selected": "publish",
    "trash_selected": "delete",
    "restore_selected": "delete",
    "purge_selected": "purge",
    "cleanup_expired_attempts": "delete",
}


def bulk_action_problems(newsroom, clients, users):
    """Every action of every list, posted by every role with every row selected,
    whether or not the list offers it to that role."""
    from django.contrib import admin

    problems = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
        names = {"delete_selected"} | {
            action if isinstance(action, str) else action.__name__
            for action in model_admin.actions or []
        }
        pks = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)]
        if not pks:
            continue
        for action in sorted(names):
            assert action in ACTION_RIGHTS, f"{label}: which right does {action} need?"
            for key, client in clients.items():
                role, user = users[key] or (None, None)
                if role is not None and allowed(role, label, ACTION_RIGHTS[action], None, user):
                    continue
                data = {"action": action, "_selected_action": pks, "post": "yes", "index": "0"}
                response, changed = ask(client, "post", url, data)
                where = f"{key or 'anonymous'} {action} on {url}"
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                if changed:
                    problems.append(f"{where}: changed {changed} though the matrix refuses")
    return problems


def test_a_post_an_allowed_role_makes_does_change_the_database(newsroom):
    """The refusals above are tried with forms that work: an editor's save of an
    article, a reporter's of their own draft and photo, go through."""
    people = newsroom["people"]
    administrator = Client()
    administrator.force_login(people["admin"])
    cases = [
        ("editor", f"/quan-tri/news/article/{newsroom['articles']['published'].pk}/change/"),
        ("reporter", f"/quan-tri/news/article/{newsroom['articles']['own draft'].pk}/change/"),
        ("reporter", f"/quan-tri/media/image/{newsroom['images']['own unused'].pk}/change/"),
        (
            "admin",
            f"/quan-tri/news/category/{newsroom['articles']['published'].category_id}/change/",
        ),
    ]
    for key, url in cases:
        data = form_data(administrator.get(url).content.decode())
        client = Client()
        client.force_login(people[key])
        response, changed = ask(client, "post", url, data)
        assert response.status_code == 302 and changed, (key, url, response.status_code)
