"""Roles against transitions, through the services and through forged admin POSTs."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from news import services
from news.models import Article, ArticleEvent
from portal.roles import ADMINISTRATOR, EDITOR, REPORTER
from tests.factories import article_form_data, make_article, make_category, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "reporter": make_user(REPORTER, "phongvien"),
        "other_reporter": make_user(REPORTER, "phongvien2"),
        "editor": make_user(EDITOR, "bientap"),
        "admin": make_user(ADMINISTRATOR, "quantri"),
    }


def draft_by(user, **fields):
    return make_article(status=Article.Status.DRAFT, published_at=None, created_by=user, **fields)


# (service, starting state, {role: allowed})
MATRIX = [
    ("submit", "draft", {"reporter": True, "other_reporter": False, "editor": True, "admin": True}),
    (
        "send_back",
        "review",
        {"reporter": False, "other_reporter": False, "editor": True, "admin": True},
    ),
    (
        "publish",
        "review",
        {"reporter": False, "other_reporter": False, "editor": True, "admin": True},
    ),
    (
        "publish",
        "draft",
        {"reporter": False, "other_reporter": False, "editor": True, "admin": True},
    ),
    (
        "unpublish",
        "published",
        {"reporter": False, "other_reporter": False, "editor": True, "admin": True},
    ),
    ("trash", "draft", {"reporter": False, "other_reporter": False, "editor": True, "admin": True}),
]


@pytest.mark.parametrize(("action", "state", "allowed"), MATRIX)
@pytest.mark.parametrize("role", ["reporter", "other_reporter", "editor", "admin"])
def test_every_role_against_every_transition(people, action, state, allowed, role):
    article = draft_by(people["reporter"])
    Article.objects.filter(pk=article.pk).update(
        status=state, published_at=timezone.now() if state == "published" else None
    )
    article.refresh_from_db()
    service = getattr(services, f"article_{action}")
    kwargs = {"comment": "Cần bổ sung nguồn tin."} if action == "send_back" else {}
    if allowed[role]:
        service(article=article, user=people[role], **kwargs)
        assert article.events.filter(actor=people[role]).exists()
    else:
        with pytest.raises(PermissionDenied):
            service(article=article, user=people[role], **kwargs)
        assert not article.events.exists()
        fresh = Article.objects.get(pk=article.pk)
        assert (fresh.status, fresh.deleted_at) == (state, None)


def test_only_administrators_delete_for_good(people):
    article = draft_by(people["reporter"])
    services.article_trash(article=article, user=people["editor"])
    with pytest.raises(PermissionDenied):
        services.article_purge(article=article, user=people["editor"])
    services.article_purge(article=article, user=people["admin"])
    assert not Article.objects.filter(pk=article.pk).exists()


def test_send_back_needs_a_reason(people):
    article = draft_by(people["reporter"])
    services.article_submit(article=article, user=people["reporter"])
    with pytest.raises(services.TransitionRefused):
        services.article_send_back(article=article, user=people["editor"], comment=" ")
    services.article_send_back(article=article, user=people["editor"], comment="Thiếu ảnh.")
    event = article.events.first()
    assert (event.action, event.comment, event.actor) == (
        "sent-back",
        "Thiếu ảnh.",
        people["editor"],
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_reporter_edits_own_draft_only_until_submitted(people):
    mine = draft_by(people["reporter"], title="Bài của tôi")
    theirs = draft_by(people["other_reporter"], title="Bài người khác")
    client = login(people["reporter"])
    url = f"/quan-tri/news/article/{mine.pk}/change/"
    post = article_form_data(title="Đã sửa", category=mine.category_id, edit_version=mine.version)
    assert client.post(url, post).status_code == 302
    assert Article.objects.get(pk=mine.pk).title == "Đã sửa"
    # Someone else's draft: read-only at best, and a forged POST changes nothing.
    response = client.post(f"/quan-tri/news/article/{theirs.pk}/change/", post | {"title": "Hack"})
    assert response.status_code in (302, 403)
    assert Article.objects.get(pk=theirs.pk).title == "Bài người khác"
    # Submitted: the reporter can no longer edit it.
    services.article_submit(article=Article.objects.get(pk=mine.pk), user=people["reporter"])
    fresh = Article.objects.get(pk=mine.pk)
    client.post(url, post | {"title": "Sửa sau khi gửi", "edit_version": fresh.version})
    assert Article.objects.get(pk=mine.pk).title == "Đã sửa"


def test_a_forged_publish_by_a_reporter_is_refused(people):
    article = draft_by(people["reporter"])
    client = login(people["reporter"])
    response = client.post(
        f"/quan-tri/news/article/{article.pk}/change/",
        article_form_data(
            title=article.title,
            category=article.category_id,
            edit_version=article.version,
            _transition="publish",
            status="published",
            published_at_0="01/01/2020",
            published_at_1="08:00",
        ),
    )
    assert response.status_code == 200
    assert "Bạn không được phép" in response.content.decode()
    fresh = Article.objects.get(pk=article.pk)
    assert (fresh.status, fresh.published_at) == (Article.Status.DRAFT, None)
    assert not Article.objects.published().exists()


def test_a_forged_bulk_publish_by_a_reporter_changes_nothing(people):
    article = draft_by(people["reporter"])
    client = login(people["reporter"])
    client.post(
        "/quan-tri/news/article/",
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_bulk_publish_and_unpublish_go_through_the_services(people):
    articles = [draft_by(people["reporter"], title=f"Bài {n}") for n in range(3)]
    client = login(people["editor"])
    ids = [a.pk for a in articles]
    client.post("/quan-tri/news/article/", {"action": "publish_selected", "_selected_action": ids})
    assert Article.objects.published().count() == 3
    assert ArticleEvent.objects.filter(action="published", actor=people["editor"]).count() == 3
    client.post(
        "/quan-tri/news/article/", {"action": "unpublish_selected", "_selected_action": ids}
    )
    assert set(Article.objects.values_list("status", flat=True)) == {"unpublished"}


def test_reporter_submits_and_editor_publishes_through_the_admin(people):
    client = login(people["reporter"])
    category = make_category()
    response = client.post(
        "/quan-tri/news/article/add/",
        article_form_data(title="Tin phường Minh Khai", category=category.pk, _transition="submit"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by) == (Article.Status.REVIEW, people["reporter"])
    editor = login(people["editor"])
    html = editor.get(f"/quan-tri/news/article/{article.pk}/change/").content.decode()
    assert 'value="publish"' in html and 'value="send_back"' in html
    response = editor.post(
        f"/quan-tri/news/article/{article.pk}/change/",
        article_form_data(
            title=article.title,
            category=category.pk,
            edit_version=article.version,
            _transition="publish",
        ),
    )
    assert response.status_code == 302
    assert Article.objects.published().get() == article
    assert list(article.events.values_list("action", flat=True)) == ["published", "submitted"]


def test_editor_schedules_for_a_future_time(people, client):
    article = draft_by(people["reporter"], title="Tin hẹn giờ")
    editor = login(people["editor"])
    at = timezone.localtime(timezone.now() + timedelta(hours=2))
    editor.post(
        f"/quan-tri/news/article/{article.pk}/change/",
        article_form_data(
            title=article.title,
            category=article.category_id,
            edit_version=article.version,
            published_at_0=at.strftime("%d/%m/%Y"),
            published_at_1=at.strftime("%H:%M:%S"),
            _transition="publish",
        ),
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert article.events.first().action == "scheduled"


def test_trash_hides_and_restore_brings_back(people, client, site_settings):
    article = make_article(title="Bài sẽ vào thùng rác")
    services.article_trash(article=article, user=people["editor"])
    assert client.get(article.get_absolute_url()).status_code == 404
    editor = login(people["editor"])
    listing = editor.get("/quan-tri/news/article/").content.decode()
    assert "Bài sẽ vào thùng rác" not in listing
    trash = editor.get("/quan-tri/news/article/", {"thung_rac": "1"}).content.decode()
    assert "Bài sẽ vào thùng rác" in trash
    editor.post(
        "/quan-tri/news/article/?thung_rac=1",
        {"action": "restore_selected", "_selected_action": [article.pk]},
    )
    assert client.get(article.get_absolute_url()).status_code == 200


def test_purge_trash_command_deletes_after_thirty_days(people):
    old = make_article(title="Cũ")
    recent = make_article(title="Mới")
    Article.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    Article.objects.filter(pk=recent.pk).update(deleted_at=timezone.now() - timedelta(days=2))
    from io import StringIO

    out = StringIO()
    call_command("purge_trash", stdout=out)
    assert "Deleted 1 articles." in out.getvalue()
    assert list(Article.objects.values_list("title", flat=True)) == ["Mới"]


def test_sync_roles_restores_a_tampered_group(people):
    from django.contrib.auth.models import Group, Permission

    reporters = Group.objects.get(name=REPORTER)
    reporters.permissions.add(Permission.objects.get(codename="publish_article"))
    from io import StringIO

    call_command("sync_roles", stdout=StringIO())
    assert not reporters.permissions.filter(codename="publish_article").exists()
    assert people["reporter"].has_perm("news.add_article")
