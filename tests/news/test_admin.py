import pytest
from django.contrib.auth import get_user_model

from news.models import Article
from tests.factories import article_form_data, make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("bientap", "bt@example.vn", "mat-khau-dai")
    client.force_login(user)
    return user


def test_add_form_renders_ckeditor_in_vietnamese(client, editor):
    response = client.get("/quan-tri/news/article/add/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thêm vào bài viết" in html or "Thêm bài viết" in html
    assert "Tiêu đề" in html and "Sapo" in html and "Chuyên mục" in html
    assert "ckeditor/ckeditor/ckeditor.js" in html
    assert "&quot;versionCheck&quot;: false" in html  # no "version is not secure" banner
    assert "admin/js/slug-vi.js" in html
    # slug-vi.js wraps URLify, so it must come after urlify.js.
    assert html.index("admin/js/urlify.js") < html.index("admin/js/slug-vi.js")


def test_add_form_publishes_an_article_stamped_with_its_author(client, editor):
    category = make_category()
    response = client.post(
        "/quan-tri/news/article/add/",
        article_form_data(
            title="Đồng chí Lê Thị Vân dự hội nghị",
            lead="Sapo.",
            body='<p>Nội dung <img src="x" alt="Ảnh" onerror="alert(1)"></p>',
            category=category.pk,
            _transition="publish",
            author_byline="Hoàng Tùng",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.slug == "dong-chi-le-thi-van-du-hoi-nghi"
    assert article.created_by == editor
    assert article.published_at is not None
    assert article.body == '<p>Nội dung <img src="x" alt="Ảnh"></p>'
    assert client.get(article.get_absolute_url()).status_code == 200


def test_add_form_reports_missing_fields_in_vietnamese(client, editor):
    response = client.post("/quan-tri/news/article/add/", article_form_data(_transition="publish"))
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not Article.objects.exists()


def test_change_form_edits_an_article(client, editor):
    article = make_article(title="Tiêu đề đầu")
    url = f"/quan-tri/news/article/{article.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        article_form_data(
            title="Tiêu đề đã sửa",
            lead=article.lead,
            body=article.body,
            category=article.category_id,
            published_at_0="24/05/2023",
            published_at_1="17:20:00",
            author_byline="Hoàng Tùng",
            slug=article.slug,
            edit_version=article.version,
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề đã sửa"
    assert article.status == Article.Status.PUBLISHED  # saving never changes the state
    assert article.created_by is None  # only set when the article is created


def test_changelist_search_and_filters(client, editor):
    make_article(title="Hội nghị tổng kết 799")
    make_article(title="Lễ hội Hoa Phượng Đỏ")
    response = client.get("/quan-tri/news/article/", {"q": "Phượng"})
    html = response.content.decode()
    assert "Lễ hội Hoa Phượng Đỏ" in html and "Hội nghị tổng kết 799" not in html
    assert client.get("/quan-tri/news/article/", {"status__exact": "draft"}).status_code == 200


def test_site_settings_open_as_a_single_form(client, editor):
    response = client.get("/quan-tri/portal/sitesettings/")
    assert response.status_code == 302
    assert response["Location"].endswith("/quan-tri/portal/sitesettings/1/change/")
    assert client.get(response["Location"]).status_code == 200


def test_the_ckeditor_upload_views_are_not_mounted(client, editor):
    assert client.get("/ckeditor/upload/").status_code == 404
    assert client.get("/ckeditor/browse/").status_code == 404


def test_a_section_cannot_be_put_under_itself_or_its_own_subsection(client, editor):
    economy = make_category(name="Kinh tế")
    port = make_category(name="Cảng biển", parent=economy)
    for parent in (economy, port):
        response = client.post(
            f"/quan-tri/news/category/{economy.pk}/change/",
            {"name": "Kinh tế", "slug": economy.slug, "order": 0, "parent": parent.pk},
        )
        assert response.status_code == 200
        assert "chuyên mục con của nó làm chuyên mục cha" in response.content.decode()
        economy.refresh_from_db()
        assert economy.parent_id is None
    # Both still have their pages.
    assert client.get(port.get_absolute_url()).status_code == 200
