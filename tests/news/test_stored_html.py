"""The article page's stored markup is never stale.

Each test reads the page (which stores the markup), changes one thing the
page prints, and reads the page again: the change must be on it, with the
page cache off (the default in tests), so only the stored markup could hide
it.
"""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from awards.models import AwardRecipient, AwardType
from media import renditions
from media.models import Image
from media.services import image_upload
from news import services, stored_html
from news.models import Article, Category, GalleryItem, Tag
from portal.models import SiteSettings
from portal.roles import EDITOR
from tests.factories import make_article, make_decision, make_organization, make_user
from tests.media.images import image_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(site_settings):
    cover = image_upload(
        upload(image_bytes(color=(90, 160, 60)), name="bia-cu.jpg"), alt_text="Ảnh bìa cũ"
    )
    article = make_article(title="Tin có bộ ảnh", author_byline="Hoàng Tùng", cover_image=cover)
    image = image_upload(
        upload(image_bytes()), title="Hội nghị", alt_text="Toàn cảnh hội nghị", credit="Minh Hà"
    )
    GalleryItem.objects.create(article=article, image=image, caption="Quang cảnh hội nghị")
    article.tags.add(Tag.objects.create(name="Chuyển đổi số"))
    decision = make_decision(number="1234/QĐ-UBND")
    decision.articles.add(article)
    AwardRecipient.objects.create(decision=decision, organization=make_organization("Phường A"))
    return article


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def stored(article) -> str:
    """The stored markup, <head> tags and main part; empty when it is to be rendered again."""
    head, main = Article.objects.values_list("article_head_html", "article_html").get(pk=article.pk)
    return head + main


def shown_then_changed(client, article, change) -> str:
    """The page after ``change``, having checked that the element was stored before it."""
    page(client, article)
    assert "Tin có bộ ảnh" in stored(article)
    change(article)
    return page(client, article)


def test_the_first_public_request_stores_the_markup_and_the_next_prints_it(client, article):
    assert stored(article) == ""
    first = page(client, article)
    head, main = Article.objects.values_list("article_head_html", "article_html").get(pk=article.pk)
    assert main.startswith('<nav class="breadcrumb"') and main.endswith("</div>")
    assert main in first
    assert '<meta property="og:title" content="Tin có bộ ảnh">' in head and head in first
    for text in ("Quang cảnh hội nghị", "Chuyển đổi số", "1 tập thể", "Tiện ích thông tin"):
        assert text in main
    assert page(client, article) == first


def edit_title(article):
    article = Article.objects.get(pk=article.pk)
    article.title = "Tin có bộ ảnh, đã sửa tiêu đề"
    article.save()


def _save_first(queryset, **values):
    row = queryset.first()
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


def rename_tag(article):
    _save_first(Tag.objects.filter(articles=article), name="Trật tự đô thị")


def add_tag(article):
    article.tags.add(Tag.objects.create(name="Biển đảo"))


def tag_adds_the_article(article):
    Tag.objects.create(name="Biển đảo").articles.add(article)


def edit_gallery_caption(article):
    _save_first(article.gallery_items, caption="Các đại biểu dự hội nghị")


def edit_photo_credit(article):
    _save_first(Image.objects.filter(gallery_uses__article=article), credit="Thu Trang")


def add_gallery_photo(article):
    image = image_upload(
        upload(image_bytes(color=(10, 90, 200)), name="b.jpg"),
        title="Khen thưởng",
        alt_text="Trao giấy khen",
    )
    GalleryItem.objects.create(article=article, image=image, caption="Trao giấy khen", order=2)


def rename_award_type(article):
    _save_first(AwardType.objects.filter(decisions__articles=article), name="Bằng khen")


def renumber_decision(article):
    _save_first(article.award_decisions, number="999/QĐ-UBND")


def rename_authority(article):
    authority = article.award_decisions.first().authority
    authority.short_name = "UBND quận Hồng Bàng mới"
    authority.save()


def add_recipient(article):
    AwardRecipient.objects.create(
        decision=article.award_decisions.first(), organization=make_organization("Phường B")
    )


def rename_section(article):
    _save_first(Category.objects.filter(articles=article), name="An ninh trật tự đô thị")


def new_cover(article):
    cover = image_upload(
        upload(image_bytes(color=(200, 200, 10)), name="bia.jpg"),
        title="Ảnh bìa",
        alt_text="Ảnh bìa mới của bài",
    )
    article = Article.objects.get(pk=article.pk)
    article.cover_image = cover
    article.save()


def edit_cover_alt(article):
    _save_first(Image.objects.filter(cover_of=article), alt_text="Mô tả ảnh bìa đã sửa")


def rename_portal(article):
    site = SiteSettings.load()
    site.portal_name = "Cổng TTĐT quận Hồng Bàng"
    site.save()


def set_fanpage(article):
    site = SiteSettings.load()
    site.fanpage_url = "https://www.facebook.com/quanhongbang.moi"
    site.save()


def link_decision_from_the_article(article):
    authority = article.award_decisions.first().authority
    article.award_decisions.add(make_decision(number="777/QĐ-UBND", authority=authority))


APPEARS = {
    "article edited": (edit_title, "đã sửa tiêu đề"),
    "tag renamed": (rename_tag, "Trật tự đô thị"),
    "tag added to the article": (add_tag, "Biển đảo"),
    "article added to a tag": (tag_adds_the_article, "Biển đảo"),
    "gallery caption edited": (edit_gallery_caption, "Các đại biểu dự hội nghị"),
    "photo credit edited": (edit_photo_credit, "Thu Trang"),
    "gallery photo added": (add_gallery_photo, "Trao giấy khen"),
    "award type renamed": (rename_award_type, "Bằng khen"),
    "decision renumbered": (renumber_decision, "999/QĐ-UBND"),
    "authority renamed": (rename_authority, "UBND quận Hồng Bàng mới"),
    "recipient added": (add_recipient, "2 tập thể"),
    "decision linked from the article": (link_decision_from_the_article, "777/QĐ-UBND"),
    "section renamed": (rename_section, "An ninh trật tự đô thị"),
    "cover changed": (new_cover, 'content="Ảnh bìa mới của bài"'),
    "cover's alt text edited": (edit_cover_alt, 'content="Mô tả ảnh bìa đã sửa"'),
    "portal renamed": (rename_portal, 'og:site_name" content="Cổng TTĐT quận Hồng Bàng"'),
    "Fanpage set": (set_fanpage, "quanhongbang.moi"),
}


@pytest.mark.parametrize("change", APPEARS)
def test_a_change_shows_on_the_next_request(client, article, change):
    make_change, text = APPEARS[change]
    assert text not in page(client, article)
    html = shown_then_changed(client, article, make_change)
    assert text in html
    assert text in stored(article)  # stored again, fresh


DISAPPEARS = {
    "tag removed from the article": (lambda a: a.tags.clear(), "Chuyển đổi số"),
    "article removed from the tag": (
        lambda a: Tag.objects.get(name="Chuyển đổi số").articles.remove(a),
        "Chuyển đổi số",
    ),
    "tag's articles cleared": (
        lambda a: Tag.objects.get(name="Chuyển đổi số").articles.clear(),
        "Chuyển đổi số",
    ),
    "tag deleted": (lambda a: Tag.objects.filter(name="Chuyển đổi số").delete(), "Chuyển đổi số"),
    "gallery photo removed": (lambda a: a.gallery_items.all().delete(), "Quang cảnh hội nghị"),
    "decision unlinked": (lambda a: a.award_decisions.first().articles.clear(), "1234/QĐ-UBND"),
    "decision deleted": (lambda a: a.award_decisions.all().delete(), "1234/QĐ-UBND"),
    "recipient removed": (lambda a: AwardRecipient.objects.all().delete(), "1 tập thể"),
}


@pytest.mark.parametrize("change", DISAPPEARS)
def test_a_removal_shows_on_the_next_request(client, article, change):
    make_change, text = DISAPPEARS[change]
    html = shown_then_changed(client, article, make_change)
    assert text not in html


def test_a_parent_section_renamed_shows_in_the_breadcrumb(client, article):
    section = Category.objects.get(articles=article)
    section.parent = Category.objects.create(name="Thời sự chính trị")
    section.save()
    assert ">Thời sự chính trị</a></li>" in page(client, article)
    parent = Category.objects.filter(name="Thời sự chính trị")
    html = shown_then_changed(client, article, lambda a: _save_first(parent, name="Tổng hợp"))
    assert ">Tổng hợp</a></li>" in html


def test_the_qr_code_file_replaces_the_qr_view_once_it_is_stored(client, article):
    Article.objects.filter(pk=article.pk).update(qr_image="")
    assert f'src="/tin-tuc/{article.pk}/qr.png"' in page(client, article)
    html = shown_then_changed(
        client, article, lambda a: Article.objects.get(pk=a.pk).build_qr_image()
    )
    assert f'src="/tin-tuc/{article.pk}/qr.png"' not in html
    assert 'src="/media/qr/' in html


def test_rebuilt_renditions_show_on_the_next_request(client, article, monkeypatch):
    image = Image.objects.get(gallery_uses__article=article)
    assert "-640w.jpg 640w" in page(client, article)
    monkeypatch.setattr(renditions, "WIDTHS", (320, 480))
    html = shown_then_changed(client, article, lambda a: renditions.build_renditions(image))
    assert "-480w.jpg 480w" in html and "-640w.jpg" not in html


def test_another_site_url_renders_the_element_again(client, article, settings):
    assert "http://testserver" not in page(client, article)
    settings.SITE_URL = "https://tintuc.haiphong.gov.vn"
    html = page(client, article)
    assert '<p class="article__print-url">https://tintuc.haiphong.gov.vn/tin-tuc/' in html


def test_an_element_stored_under_another_key_is_rendered_again(client, article):
    page(client, article)
    Article.objects.filter(pk=article.pk).update(
        article_html='<article class="article">Bản cũ</article>', article_html_key="khac"
    )
    html = page(client, article)
    assert "Bản cũ" not in html and "Tin có bộ ảnh" in html
    assert "Bản cũ" not in stored(article)


def test_a_rendering_that_raced_a_change_is_not_stored(article):
    loaded = Article.objects.published().for_public_page().get(pk=article.pk)
    # A change commits while the page is being rendered from the old state.
    stored_html.forget(Q(pk=article.pk))
    head, main = stored_html.article_markup(loaded, SiteSettings.load())
    assert "Tin có bộ ảnh" in head and "Tin có bộ ảnh" in main
    assert stored(article) == ""


def test_a_scheduled_article_is_rendered_at_its_time_not_before(client, site_settings, monkeypatch):
    editor = make_user(EDITOR)
    article = make_article(title="Tin hẹn giờ", status=Article.Status.DRAFT, published_at=None)
    start = timezone.now()
    services.article_publish(article=article, user=editor, at=start + timedelta(minutes=5))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert stored(article) == ""
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=6))
    assert "Tin hẹn giờ" in page(client, article)
    assert "Tin hẹn giờ" in stored(article)


def test_a_draft_seen_by_staff_is_rendered_but_not_stored(client, site_settings):
    editor = make_user(EDITOR)
    draft = make_article(title="Bản nháp", status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    html = page(client, draft)
    assert "Bản nháp — chưa xuất bản" in html and "Bản nháp" in html
    assert stored(draft) == ""
