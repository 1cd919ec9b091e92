"""Scheduling, revisions, concurrent edits and previews."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from news import services
from news.models import Article, ArticleEvent
from news.preview import preview_url, revoke_previews
from portal.roles import EDITOR, REPORTER
from tests.factories import article_form_data, make_article, make_user, vn_time

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def opened(client, url) -> dict:
    """Open an article's form as a browser does: the version and time it was opened at."""
    html = client.get(url).content.decode()
    return {
        "edit_version": re.search(r'name="edit_version" value="(\d+)"', html).group(1),
        "edit_started": re.search(r'name="edit_started" value="([\d.]+)"', html).group(1),
    }


def test_a_scheduled_article_appears_at_its_time_with_no_command(
    client, site_settings, monkeypatch
):
    editor = make_user(EDITOR)
    article = make_article(
        title="Tin hẹn giờ 8 giờ", status=Article.Status.DRAFT, published_at=None
    )
    services.article_publish(article=article, user=editor, at=vn_time(2030, 1, 1, 8, 0))
    client.get("/")  # the site settings cache is warm; pages are requested twice
    monkeypatch.setattr(timezone, "now", lambda: vn_time(2030, 1, 1, 7, 59))
    for _ in range(2):
        assert "Tin hẹn giờ 8 giờ" not in client.get("/").content.decode()
        assert client.get(article.get_absolute_url()).status_code == 404
        assert client.get(article.get_qr_url()).status_code == 404
    monkeypatch.setattr(timezone, "now", lambda: vn_time(2030, 1, 1, 8, 0))
    for _ in range(2):
        assert "Tin hẹn giờ 8 giờ" in client.get("/").content.decode()
        assert client.get(article.get_absolute_url()).status_code == 200


def test_publish_scheduled_records_what_went_live_and_reports_what_waits(monkeypatch):
    editor = make_user(EDITOR)
    soon = make_article(title="Sắp lên", status=Article.Status.DRAFT, published_at=None)
    later = make_article(title="Còn chờ", status=Article.Status.DRAFT, published_at=None)
    services.article_publish(article=soon, user=editor, at=timezone.now() + timedelta(minutes=5))
    services.article_publish(article=later, user=editor, at=timezone.now() + timedelta(days=2))
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=10))
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "went live: " in out.getvalue() and "Sắp lên" in out.getvalue()
    assert "1 went live since the last run; 1 still scheduled." in out.getvalue()
    assert soon.events.first().action == ArticleEvent.Action.WENT_LIVE
    # Now public, the article has its stored QR code; the one still waiting has none.
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.qr_image and default_storage.exists(soon.qr_image) and not later.qr_image
    out = StringIO()
    call_command("publish_scheduled", stdout=out)  # a second run records nothing again
    assert "0 went live" in out.getvalue()


def test_every_admin_save_stores_a_revision_and_restore_keeps_both(site_settings):
    editor = make_user(EDITOR, "bientap")
    client = login(editor)
    article = make_article(title="Bản đầu", body="<p>Nội dung ban đầu.</p>")
    url = f"/quan-tri/news/article/{article.pk}/change/"
    for title, body in (("Bản hai", "<p>Nội dung sửa lần hai.</p>"), ("Bản ba", "<p>Lần ba.</p>")):
        article.refresh_from_db()
        client.post(
            url,
            article_form_data(
                title=title,
                body=body,
                category=article.category_id,
                edit_version=article.version,
                workflow_comment=f"Sửa {title}",
            ),
        )
    versions = list(Version.objects.get_for_object(article))
    assert [v.field_dict["title"] for v in versions] == ["Bản ba", "Bản hai", "Bản đầu"]
    assert versions[0].revision.user == editor
    assert versions[0].revision.get_comment() == "Sửa Bản ba"

    history = client.get(f"/quan-tri/news/article/{article.pk}/history/").content.decode()
    assert "Sửa Bản hai" in history and 'name="a"' in history

    # Restore "Bản hai": the page shows what would come back; confirming makes a new revision.
    old = versions[1]
    page = client.get(f"/quan-tri/news/article/{article.pk}/history/{old.pk}/").content.decode()
    assert "Bản <del>ba</del><ins>hai</ins>" in page
    restored = client.post(
        f"/quan-tri/news/article/{article.pk}/history/{old.pk}/",
        {"workflow_comment": "Quay lại bản hai"},
    )
    assert restored.status_code == 302
    article.refresh_from_db()
    assert article.title == "Bản hai" and article.body == "<p>Nội dung sửa lần hai.</p>"
    assert article.is_public  # restoring content leaves the article published
    titles = [v.field_dict["title"] for v in Version.objects.get_for_object(article)]
    assert titles == ["Bản hai", "Bản ba", "Bản hai", "Bản đầu"]  # "Bản ba" is still there
    event = article.events.first()
    assert event.action == ArticleEvent.Action.REVERTED and event.actor == editor
    assert "Quay lại bản hai" in event.comment


def test_the_diff_shows_changed_words(site_settings):
    editor = make_user(EDITOR)
    article = make_article(title="Hội nghị tổng kết", lead="Chiều 24/5 tại quận.")
    article.title, article.lead = "Hội nghị sơ kết", "Chiều 25/5 tại quận Hồng Bàng."
    article.save()  # every save stores a revision
    new, old = Version.objects.get_for_object(article)[:2]
    html = (
        login(editor)
        .get(f"/quan-tri/news/article/{article.pk}/so-sanh/", {"a": old.pk, "b": new.pk})
        .content.decode()
    )
    assert "Hội nghị <del>tổng</del><ins>sơ</ins> kết" in html
    assert "Chiều <del>24</del><ins>25</ins>/5 tại quận<ins> Hồng Bàng</ins>." in html


def test_a_stale_save_is_refused_and_the_second_editors_text_is_kept(site_settings):
    first, second = make_user(EDITOR, "Hà"), make_user(EDITOR, "Minh")
    article = make_article(title="Tiêu đề gốc", body="<p>Gốc.</p>")
    url = f"/quan-tri/news/article/{article.pk}/change/"
    a, b = login(first), login(second)

    state_a, state_b = opened(a, url), opened(b, url)
    saved = a.post(
        url,
        article_form_data(
            title="Tiêu đề của Hà", body="<p>Gốc.</p>", category=article.category_id, **state_a
        ),
    )
    assert saved.status_code == 302
    refused = b.post(
        url,
        article_form_data(
            title="Tiêu đề của Minh",
            body="<p>Bản của Minh.</p>",
            category=article.category_id,
            **state_b,
        ),
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Bài này vừa được Hà lưu lúc" in html
    assert "Những phần đã thay đổi: tiêu đề" in html
    assert 'value="Tiêu đề của Minh"' in html  # Minh's text is still in the form
    assert "Bản của Minh." in html
    article.refresh_from_db()
    assert article.title == "Tiêu đề của Hà"


def test_the_database_check_holds_even_when_the_form_check_is_passed(site_settings):
    article = make_article(title="Gốc")
    version = article.version
    other = Article.objects.get(pk=article.pk)
    other.title = "Người khác lưu trước"
    other.save(expected_version=version)
    article.title = "Lưu sau, dựa trên bản cũ"
    from news.models import EditConflict

    with pytest.raises(EditConflict):
        article.save(expected_version=version)
    assert Article.objects.get(pk=article.pk).title == "Người khác lưu trước"


def test_the_public_page_says_when_a_published_article_was_updated(client, site_settings):
    article = make_article(title="Tin", published_at=timezone.now() - timedelta(hours=2))
    assert "Cập nhật lúc" not in client.get(article.get_absolute_url()).content.decode()
    article.lead = "Sapo đã sửa."
    article.save()
    assert "Cập nhật lúc" in client.get(article.get_absolute_url()).content.decode()


def test_staff_see_drafts_with_a_banner_and_the_public_gets_404(client, site_settings):
    reporter = make_user(REPORTER)
    draft = make_article(title="Bản nháp mới", status=Article.Status.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = login(reporter).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Bản nháp — chưa xuất bản" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    public = make_article(title="Đã đăng")
    staff_view = login(reporter).get(public.get_absolute_url())
    assert "Bản nháp — chưa xuất bản" not in staff_view.content.decode()


def test_signed_preview_links(client, site_settings, settings, monkeypatch):
    editor = make_user(EDITOR)
    draft = make_article(title="Bài chờ duyệt", status=Article.Status.REVIEW, published_at=None)
    url = preview_url(draft).removeprefix(settings.SITE_URL)
    response = client.get(url)
    assert response.status_code == 200
    assert "Bài chờ duyệt" in response.content.decode()
    assert "liên kết xem trước" in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    tampered = url.replace(url.split("/")[-2], url.split("/")[-2][:-2] + "xx")
    assert client.get(tampered).status_code == 404
    forged = signing.dumps({"id": draft.pk, "key": draft.preview_key}, salt="khac")
    assert client.get(f"/xem-truoc/{forged}/").status_code == 404

    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 49 * 3600)
    assert client.get(url).status_code == 404  # expired after 48 hours
    monkeypatch.setattr(signing.time, "time", real_time)
    assert client.get(url).status_code == 200

    revoke_previews(draft)
    assert client.get(url).status_code == 404  # revoked
    url = preview_url(Article.objects.get(pk=draft.pk)).removeprefix(settings.SITE_URL)
    assert client.get(url).status_code == 200
    services.article_publish(article=Article.objects.get(pk=draft.pk), user=editor)
    assert client.get(url).status_code == 404  # published: the public address now


def test_the_admin_hands_out_and_revokes_preview_links(site_settings):
    editor = make_user(EDITOR)
    draft = make_article(title="Bài nháp", status=Article.Status.DRAFT, published_at=None)
    client = login(editor)
    page = client.get(f"/quan-tri/news/article/{draft.pk}/xem-truoc/").content.decode()
    link = re.search(r'id="preview-link" value="[^"]*(/xem-truoc/[^"]+)"', page) or re.search(
        r'value="https?://[^/]+(/xem-truoc/[^"]+)"', page
    )
    assert link
    assert Client().get(link.group(1)).status_code == 200
    client.post(f"/quan-tri/news/article/{draft.pk}/xem-truoc/", {"revoke": "1"})
    assert Client().get(link.group(1)).status_code == 404


def test_presence_lists_the_other_people_editing(site_settings):
    article = make_article()
    ha, minh = login(make_user(EDITOR, "Hà")), login(make_user(EDITOR, "Minh"))
    url = f"/quan-tri/news/article/{article.pk}/dang-mo/"
    assert ha.post(url).json() == {"others": []}
    assert minh.post(url).json() == {"others": ["Hà"]}
    assert ha.post(url).json() == {"others": ["Minh"]}
    assert Client().post(url).status_code == 302  # not logged in: to the login page


def test_saving_again_after_a_conflict_never_undoes_the_other_save(site_settings):
    """B changed only the sapo: A's new title and paragraph are kept, on the
    refused save's form and on every save after it."""
    first, second = make_user(EDITOR, "Hà"), make_user(EDITOR, "Minh")
    article = make_article(title="Tiêu đề gốc", lead="Sapo gốc.", body="<p>Đoạn gốc.</p>")
    url = f"/quan-tri/news/article/{article.pk}/change/"
    a, b = login(first), login(second)

    state_a, state_b = opened(a, url), opened(b, url)
    # As a browser posts the form: every field with its value, the address included.
    base = {
        "category": article.category_id,
        "author_byline": article.author_byline,
        "slug": article.slug,
    }
    saved = a.post(
        url,
        article_form_data(
            title="Tiêu đề Hà sửa", lead="Sapo gốc.", body="<p>Đoạn Hà viết.</p>", **base, **state_a
        ),
    )
    assert saved.status_code == 302
    # Minh changed only the sapo: merged, nothing of Hà's is undone.
    merged = b.post(
        url,
        article_form_data(
            title="Tiêu đề gốc",
            lead="Sapo Minh sửa.",
            body="<p>Đoạn gốc.</p>",
            **base,
            **state_b,
        ),
        follow=True,
    )
    assert merged.redirect_chain, merged.context["adminform"].form.errors
    assert "những phần bạn không sửa giữ bản mới của họ" in merged.content.decode()
    article.refresh_from_db()
    assert (article.title, article.lead, article.body) == (
        "Tiêu đề Hà sửa",
        "Sapo Minh sửa.",
        "<p>Đoạn Hà viết.</p>",
    )


def test_a_real_conflict_shows_both_texts_and_the_next_save_keeps_the_rest(site_settings):
    first, second = make_user(EDITOR, "Hà"), make_user(EDITOR, "Minh")
    article = make_article(title="Tiêu đề gốc", lead="Sapo gốc.", body="<p>Đoạn gốc.</p>")
    url = f"/quan-tri/news/article/{article.pk}/change/"
    a, b = login(first), login(second)
    state_b = opened(b, url)
    base = {
        "category": article.category_id,
        "author_byline": article.author_byline,
        "slug": article.slug,
    }
    state_a = opened(a, url)
    a.post(
        url,
        article_form_data(
            title="Tiêu đề Hà", lead="Sapo Hà.", body="<p>Đoạn gốc.</p>", **base, **state_a
        ),
    )
    # Minh changed the title too (a conflict) but not the sapo.
    refused = b.post(
        url,
        article_form_data(
            title="Tiêu đề Minh", lead="Sapo gốc.", body="<p>Đoạn gốc.</p>", **base, **state_b
        ),
    )
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Hai người cùng sửa những phần này" in page
    assert "Hãy sửa các lỗi được chỉ ra dưới đây." in page
    assert "Please correct" not in page
    assert "Tiêu đề Hà" in page and 'value="Tiêu đề Minh"' in page  # both texts
    assert "Sapo Hà." in page  # the form now holds Hà's sapo
    form = refused.context["adminform"].form
    # Saving the form as it came back keeps Hà's sapo.
    again = b.post(
        url,
        article_form_data(
            title="Tiêu đề Minh",
            lead=form.data["lead"],
            body="<p>Đoạn gốc.</p>",
            **base,
            edit_version=form.data["edit_version"],
            edit_started=form.data["edit_started"],
        ),
    )
    assert again.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Tiêu đề Minh", "Sapo Hà.")


def test_staff_names_are_written_in_vietnamese_order(site_settings):
    lan = make_user(EDITOR, "lan")
    lan.first_name, lan.last_name = "Lan", "Nguyễn Thị"
    lan.save()
    other = make_user(EDITOR, "minh")
    article = make_article(title="Tiêu đề gốc")
    url = f"/quan-tri/news/article/{article.pk}/change/"
    b = login(other)
    state = opened(b, url)
    lan_client = login(lan)
    assert lan_client.post(f"/quan-tri/news/article/{article.pk}/dang-mo/").status_code == 200
    presence = b.post(f"/quan-tri/news/article/{article.pk}/dang-mo/").json()
    assert presence == {"others": ["Nguyễn Thị Lan"]}
    article.refresh_from_db()
    fields = {"category": article.category_id, "slug": article.slug}
    lan_client.post(
        url,
        article_form_data(
            title="Tiêu đề của Lan", edit_version=article.version, edit_started="", **fields
        ),
    )
    refused = b.post(url, article_form_data(title="Tiêu đề của Minh", **fields, **state))
    assert "Bài này vừa được Nguyễn Thị Lan lưu lúc" in refused.content.decode()
    history = b.get(f"/quan-tri/news/article/{article.pk}/history/").content.decode()
    assert "Nguyễn Thị Lan" in history and "Lan Nguyễn Thị" not in history
