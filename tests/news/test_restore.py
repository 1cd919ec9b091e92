"""Restoring old versions and deleted articles goes through the workflow.

Every restore path (a version from the history, a purged article, the bulk
actions) checks who may do it, brings back only the article's own content,
keeps its workflow state and dates, cleans the body again and leaves an
entry in the article's audit trail.
"""

import json
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from reversion.models import Revision, Version

from news import services
from news.models import Article, ArticleEvent, GalleryItem
from portal.roles import ADMINISTRATOR, EDITOR, REPORTER
from tests.factories import article_form_data, make_article, make_image, make_user, vn_time

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def revision_url(article, version):
    return f"/quan-tri/news/article/{article.pk}/history/{version.pk}/"


def versions_of(article):
    return list(Version.objects.get_for_object(article))


@pytest.fixture
def people(db):
    return {
        "reporter": make_user(REPORTER, "phongvien"),
        "other": make_user(REPORTER, "phongvien2"),
        "editor": make_user(EDITOR, "bientap"),
        "admin": make_user(ADMINISTRATOR, "quantri"),
    }


def corrected_and_taken_down(people):
    """A reporter's article, published, corrected by an editor, then taken down."""
    article = make_article(
        title="Tiêu đề sai",
        created_by=people["reporter"],
        status=Article.Status.DRAFT,
        published_at=None,
    )
    services.article_submit(article=article, user=people["reporter"])
    services.article_publish(article=article, user=people["editor"])
    article.title = "Tiêu đề đã sửa"
    article.save()
    services.article_unpublish(article=article, user=people["editor"], comment="Sai số liệu")
    return article


def reporter_posts_a_version(client, article, version, title):
    """What the review did: open a version's form and save it, through both addresses."""
    answers = []
    for url in (revision_url(article, version), f"/quan-tri/news/article/recover/{version.pk}/"):
        form = article_form_data(title=title, body="<p>Viết lại.</p>", category=article.category_id)
        answers.append(client.post(url, form).status_code)
    return answers


def test_a_reporter_cannot_put_back_a_corrected_article_that_an_editor_took_down(
    site_settings, people
):
    article = corrected_and_taken_down(people)
    draft = versions_of(article)[-1]  # the reporter's own draft, before review
    assert draft.field_dict["status"] == Article.Status.DRAFT
    reporter = login(people["reporter"])
    assert reporter_posts_a_version(reporter, article, draft, "Tiêu đề sai") == [403, 403]
    article.refresh_from_db()
    assert article.title == "Tiêu đề đã sửa"
    assert article.status == Article.Status.UNPUBLISHED
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_a_reporter_cannot_rewrite_their_own_published_article_from_its_history(
    site_settings, people
):
    reporter = people["reporter"]
    article = make_article(
        title="Bản duyệt", created_by=reporter, status=Article.Status.DRAFT, published_at=None
    )
    services.article_submit(article=article, user=reporter)
    services.article_publish(article=article, user=people["editor"])
    draft = versions_of(article)[-1]
    answers = reporter_posts_a_version(login(reporter), article, draft, "Viết lại sau khi duyệt")
    assert answers == [403, 403]
    article.refresh_from_db()
    assert (article.title, article.status) == ("Bản duyệt", Article.Status.PUBLISHED)


def test_a_version_of_another_model_with_the_articles_id_is_not_restored(site_settings, people):
    """A gallery item's version whose object id equals the article's id is not the article's."""
    editor = people["editor"]
    article = make_article(title="Bài có bộ ảnh", status=Article.Status.DRAFT, published_at=None)
    other = make_article(title="Bài khác", status=Article.Status.DRAFT, published_at=None)
    revision = Revision.objects.create(date_created=article.created_at, user=editor)
    foreign = Version.objects.create(
        revision=revision,
        object_id=str(article.pk),
        content_type=ContentType.objects.get_for_model(GalleryItem),
        db="default",
        format="json",
        serialized_data=json.dumps(
            [
                {
                    "model": "news.galleryitem",
                    "pk": article.pk,
                    "fields": {"article": other.pk, "image": None, "caption": "", "order": 0},
                }
            ]
        ),
        object_repr="x",
    )
    client = login(editor)
    assert client.get(revision_url(article, foreign)).status_code == 404
    assert client.post(revision_url(article, foreign), {}).status_code == 404
    # Another article's version under this article's address: refused too.
    theirs = versions_of(other)[0]
    assert client.post(revision_url(article, theirs), {}).status_code == 404
    article.refresh_from_db()
    assert article.title == "Bài có bộ ảnh"


def test_restoring_keeps_status_and_dates_cleans_the_body_and_is_audited(site_settings, people):
    article = make_article(title="Bản một", body="<p>Một.</p>")
    published_at = article.published_at
    article.title, article.body = "Bản hai", "<p>Hai.</p>"
    article.save()
    old = versions_of(article)[-1]
    # A version stored before today's allow-list: it holds a script.
    data = json.loads(old.serialized_data)
    data[0]["fields"]["body"] = '<p>Một.</p><script>alert(1)</script><p onclick="x()">Ba.</p>'
    data[0]["fields"]["status"] = Article.Status.DRAFT
    data[0]["fields"]["published_at"] = None
    old.serialized_data = json.dumps(data)
    old.save()

    response = login(people["editor"]).post(revision_url(article, old), {})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Bản một"
    assert article.body == "<p>Một.</p><p>Ba.</p>"
    assert article.status == Article.Status.PUBLISHED and article.published_at == published_at
    assert article.is_public
    event = article.events.first()
    assert (event.action, event.actor) == (ArticleEvent.Action.REVERTED, people["editor"])
    assert Client().get(article.get_absolute_url()).content.decode().count("Bản một") >= 1


def test_restoring_into_a_published_article_follows_the_publication_rules(site_settings, people):
    article = make_article(title="Ảnh chưa có alt")
    photo = make_image(alt_text="")
    article.cover_image = photo
    article.status = Article.Status.DRAFT  # saved as a draft, then published again
    article.save()
    photo_version = versions_of(article)[0]
    article.cover_image = None
    article.status = Article.Status.PUBLISHED
    article.save()

    response = login(people["editor"]).post(revision_url(article, photo_version), {}, follow=True)
    assert "chưa có mô tả thay thế" in response.content.decode()
    article.refresh_from_db()
    assert article.cover_image_id is None and article.is_public


def test_a_reporter_restores_a_version_of_their_own_draft(site_settings, people):
    reporter = people["reporter"]
    article = make_article(
        title="Nháp một", created_by=reporter, status=Article.Status.DRAFT, published_at=None
    )
    article.title = "Nháp hai"
    article.save()
    first = versions_of(article)[-1]
    assert login(people["other"]).post(revision_url(article, first), {}).status_code == 403
    assert login(reporter).post(revision_url(article, first), {}).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.status) == ("Nháp một", Article.Status.DRAFT)


def purged(article, user):
    services.article_trash(article=article, user=user)
    article.refresh_from_db()
    services.article_purge(article=article, user=user)


def test_purging_removes_the_stored_versions_so_nobody_reads_them_again(site_settings, people):
    article = make_article(title="Bài sẽ bị xóa vĩnh viễn", body="<p>Nội dung kín.</p>")
    GalleryItem.objects.create(article=article, image=make_image(alt_text="Ảnh"), caption="Chú")
    article.save()
    pk = article.pk
    assert Version.objects.get_for_object_reference(Article, pk).exists()
    purged(article, people["admin"])
    assert not Version.objects.get_for_object_reference(Article, pk).exists()
    assert not Version.objects.get_for_model(GalleryItem).exists()
    admin = login(people["admin"])
    assert (
        "Bài sẽ bị xóa vĩnh viễn"
        not in admin.get("/quan-tri/news/article/recover/").content.decode()
    )


def test_recovering_deleted_articles_is_for_those_who_may_purge_and_gives_a_draft(
    site_settings, people
):
    # An article deleted without going through the purge service (as before
    # purging removed versions): its versions are still stored.
    article = make_article(title="Bài đã xóa trước đây", body="<p>Nội dung cũ.</p>")
    version = versions_of(article)[0]
    pk = article.pk
    Article.objects.filter(pk=pk).delete()

    for role in ("reporter", "other", "editor"):
        client = login(people[role])
        assert client.get("/quan-tri/news/article/recover/").status_code == 403
        page = client.get(f"/quan-tri/news/article/recover/{version.pk}/")
        assert page.status_code == 403 and "Nội dung cũ" not in page.content.decode()
        assert client.post(f"/quan-tri/news/article/recover/{version.pk}/", {}).status_code == 403
    assert not Article.objects.filter(pk=pk).exists()

    admin = login(people["admin"])
    assert "Bài đã xóa trước đây" in admin.get("/quan-tri/news/article/recover/").content.decode()
    assert admin.post(f"/quan-tri/news/article/recover/{version.pk}/", {}).status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert recovered.status == Article.Status.DRAFT and recovered.published_at is None
    assert not recovered.is_public
    assert Client().get(recovered.get_absolute_url()).status_code == 404
    assert recovered.events.first().action == ArticleEvent.Action.RECOVERED


def test_reporters_are_not_offered_actions_they_cannot_take(site_settings, people):
    make_article(title="Bài đã đăng")
    page = login(people["reporter"]).get("/quan-tri/news/article/").content.decode()
    for action in ("publish_selected", "unpublish_selected", "purge_selected", "trash_selected"):
        assert f'value="{action}"' not in page
    assert "/quan-tri/news/article/recover/" not in page
    editor_page = login(people["editor"]).get("/quan-tri/news/article/").content.decode()
    assert 'value="publish_selected"' in editor_page
    assert 'value="purge_selected"' not in editor_page


def test_bulk_publish_applies_the_alt_text_rule_of_the_form(site_settings, people):
    article = make_article(title="Bộ ảnh thiếu alt", status=Article.Status.DRAFT, published_at=None)
    GalleryItem.objects.create(article=article, image=make_image(alt_text=""), caption="Ảnh")
    response = login(people["editor"]).post(
        "/quan-tri/news/article/",
        {"action": "publish_selected", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "chưa có mô tả thay thế" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and not article.is_public


def test_preview_links_die_on_publish_and_stay_dead_after_unpublish(site_settings, people):
    from news.preview import preview_url

    article = make_article(title="Nháp có liên kết", status=Article.Status.DRAFT, published_at=None)
    path = urlsplit(preview_url(article)).path
    assert Client().get(path).status_code == 200
    services.article_publish(article=article, user=people["editor"])
    services.article_unpublish(article=article, user=people["editor"])
    assert Client().get(path).status_code == 404


def test_only_those_who_may_edit_an_article_hand_out_its_preview_links(site_settings, people):
    article = make_article(
        title="Nháp của đồng nghiệp",
        created_by=people["reporter"],
        status=Article.Status.DRAFT,
        published_at=None,
    )
    url = f"/quan-tri/news/article/{article.pk}/xem-truoc/"
    colleague = login(people["other"])
    assert colleague.get(url).status_code == 403
    assert colleague.post(url, {"revoke": "1"}).status_code == 403
    assert login(people["reporter"]).get(url).status_code == 200
    assert login(people["editor"]).get(url).status_code == 200


def test_an_out_of_range_edit_start_is_a_form_error(site_settings, people):
    article = make_article(title="Bài thử")
    response = login(people["editor"]).post(
        f"/quan-tri/news/article/{article.pk}/change/",
        article_form_data(
            title="Bài thử sửa",
            category=article.category_id,
            edit_version=article.version + 5,
            edit_started="1e300",
        ),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Bài thử"


def test_deleting_for_good_asks_first_and_names_what_goes(site_settings, people):
    editor, admin = people["editor"], login(people["admin"])
    first = make_article(title="Bài thứ nhất trong thùng rác")
    second = make_article(title="Bài thứ hai trong thùng rác")
    for article in (first, second):
        services.article_trash(article=article, user=editor)
    selection = {"action": "purge_selected", "_selected_action": [first.pk, second.pk]}
    asked = admin.post("/quan-tri/news/article/?thung_rac=1", selection)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Bài thứ nhất trong thùng rác" in page and "Bài thứ hai trong thùng rác" in page
    assert "không thể hoàn tác" in page
    assert Article.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    done = admin.post("/quan-tri/news/article/?thung_rac=1", {**selection, "post": "yes"})
    assert done.status_code == 302
    assert not Article.objects.filter(pk__in=[first.pk, second.pk]).exists()

    third = make_article(title="Bài thứ ba")
    services.article_trash(article=third, user=editor)
    url = f"/quan-tri/news/article/{third.pk}/xoa-vinh-vien/"
    assert url in admin.get(f"/quan-tri/news/article/{third.pk}/change/").content.decode()
    assert "Bài thứ ba" in admin.get(url).content.decode()
    assert Article.objects.filter(pk=third.pk).exists()
    assert login(editor).post(url).status_code == 403
    assert admin.post(url).status_code == 302
    assert not Article.objects.filter(pk=third.pk).exists()


def test_delete_says_the_article_goes_to_the_trash_and_can_come_back(site_settings, people):
    article = make_article(title="Bài sẽ vào thùng rác")
    editor = login(people["editor"])
    url = f"/quan-tri/news/article/{article.pk}/delete/"
    question = editor.get(url).content.decode()
    assert "vào thùng rác" in question and "khôi phục" in question
    answer = editor.post(url, {"post": "yes"}, follow=True).content.decode()
    assert "Đã bỏ bài “Bài sẽ vào thùng rác” vào thùng rác" in answer
    assert "khôi phục" in answer
    article.refresh_from_db()
    assert article.deleted_at is not None


def test_the_author_takes_an_article_back_from_review(site_settings, people):
    reporter = people["reporter"]
    article = make_article(
        title="Bài chờ duyệt", created_by=reporter, status=Article.Status.DRAFT, published_at=None
    )
    services.article_submit(article=article, user=reporter)
    url = f"/quan-tri/news/article/{article.pk}/rut-lai/"
    form = login(reporter).get(f"/quan-tri/news/article/{article.pk}/change/").content.decode()
    assert url in form and "Rút lại để sửa tiếp" in form
    assert login(people["other"]).post(url).status_code == 403
    assert login(reporter).post(url).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.events.first().action == ArticleEvent.Action.WITHDRAWN
    assert login(reporter).post(url).status_code == 403  # a draft: nothing to withdraw


def test_the_article_list_filters_by_author_and_puts_a_reporters_own_first(site_settings, people):
    reporter, editor = people["reporter"], people["editor"]
    reporter.first_name, reporter.last_name = "Lan", "Nguyễn Thị"
    reporter.save()
    make_article(title="Bài mới của biên tập viên", created_by=editor)
    make_article(
        title="Bài cũ của phóng viên", created_by=reporter, published_at=vn_time(2020, 1, 1, 8, 0)
    )
    client = login(reporter)
    page = client.get("/quan-tri/news/article/").content.decode()
    assert page.index("Bài cũ của phóng viên") < page.index("Bài mới của biên tập viên")
    assert "Nguyễn Thị Lan" in page  # the author filter, names in Vietnamese order
    mine = client.get("/quan-tri/news/article/", {"cua_toi": "1"}).content.decode()
    assert "Bài cũ của phóng viên" in mine and "Bài mới của biên tập viên" not in mine
    theirs = client.get("/quan-tri/news/article/", {"nguoi_tao": editor.pk}).content.decode()
    assert "Bài mới của biên tập viên" in theirs and "Bài cũ của phóng viên" not in theirs
    editors_view = login(editor).get("/quan-tri/news/article/").content.decode()
    assert editors_view.index("Bài mới của biên tập viên") < editors_view.index(
        "Bài cũ của phóng viên"
    )
