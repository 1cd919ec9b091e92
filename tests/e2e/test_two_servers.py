"""Two gunicorn servers share one PostgreSQL and one Redis, as behind a load balancer.

Each server runs with production settings in its own processes. What one
server writes, the other serves fresh on the next request, whatever either
has cached; two editors saving the same article through different servers
are told of each other, and nothing is lost.
"""

import json
import re
import unicodedata
import urllib.request

import pytest

from bench import servers
from tests.redis_server import RedisServer

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dai-123"

SETUP = """
import json
import re
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from news.models import Article, Category
from portal.models import SiteSettings
from portal.roles import EDITOR
SiteSettings.load()  # as load_demo or the first admin visit would
users = get_user_model().objects
for name in ("Hà", "Minh"):
    user = users.create_user(name, password=%(password)r, is_staff=True, first_name=name)
    user.groups.add(Group.objects.get(name=EDITOR))
article = Article.objects.create(
    title="Tin gốc của hai máy chủ", lead="Sapo.", body="<p>Nội dung.</p>",
    category=Category.objects.create(name="Thời sự"), status="published",
)
print(json.dumps({"pk": article.pk, "url": article.get_absolute_url()}))
"""


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return response.read().decode(), response.headers.get("X-Page-Cache", "")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("two-servers")
    db_url = servers.database_url("congtintuc_test_two_servers")
    servers.create_database(db_url, fresh=True)
    cache = RedisServer(root)
    cache.start()
    ports = servers.free_port(), servers.free_port()
    # One environment for both, as one deployment: the same secret key
    # (sessions made on one server are valid on the other), database and cache.
    env = servers.production_env(
        db_url,
        root,
        site_url=f"http://127.0.0.1:{ports[0]}",
        REDIS_URL=f"redis://127.0.0.1:{cache.port}/0",
        STATIC_ROOT=str(servers.BASE_DIR / "var" / "bench" / "static"),
    )
    servers.manage(env, "migrate", "--noinput")
    servers.manage(env, "collectstatic", "--noinput")
    output = servers.manage(env, "shell", "-c", SETUP % {"password": PASSWORD})
    article = json.loads(output.strip().splitlines()[-1])
    a = servers.Gunicorn(env, ports[0], workers=2, log=root / "a.log").start()
    b = servers.Gunicorn(env, ports[1], workers=2, log=root / "b.log").start()
    try:
        yield a, b, article
    finally:
        a.stop()
        b.stop()
        cache.stop()
        servers.create_database(db_url, fresh=True)


def sign_in(browser, server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{server.url}/quan-tri/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{server.url}/quan-tri/")
    return context, page


def open_article(page, server, article):
    page.goto(f"{server.url}/quan-tri/news/article/{article['pk']}/change/")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").wait_for()


def test_an_edit_through_one_server_is_served_fresh_by_the_other(browser, cluster):
    a, b, article = cluster
    # Both servers have the page in the shared cache before the edit.
    for server in (a, b):
        fetch(server.url + article["url"])
        html, cache = fetch(server.url + article["url"])
        assert "Tin gốc của hai máy chủ" in html and cache == "hit"

    context, page = sign_in(browser, a, "Hà")
    try:
        open_article(page, a, article)
        page.fill("#id_title", "Tin gốc của hai máy chủ, đã sửa")
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")
    finally:
        context.close()

    # The slug was kept, so the address is the same; B serves the new title.
    html, cache = fetch(b.url + article["url"])
    assert "Tin gốc của hai máy chủ, đã sửa" in html and cache == ""
    assert "Tin gốc của hai máy chủ, đã sửa" in fetch(a.url + "/")[0]


def test_a_login_on_one_server_is_valid_on_the_other(browser, cluster):
    """Sessions live in the shared database: a load balancer may send an
    editor's next request to any server."""
    a, b, article = cluster
    context, page = sign_in(browser, a, "Minh")
    try:
        # Browsers send a host's cookies to every port of it.
        page.goto(f"{b.url}/quan-tri/news/article/{article['pk']}/change/")
        assert page.url.startswith(f"{b.url}/quan-tri/news/article/")
        assert page.input_value("#id_title").startswith("Tin gốc của hai máy chủ")
    finally:
        context.close()


def test_concurrent_edits_through_two_servers_are_refused_on_one_with_nothing_lost(
    browser, cluster
):
    a, b, article = cluster
    context_a, page_a = sign_in(browser, a, "Hà")
    context_b, page_b = sign_in(browser, b, "Minh")
    try:
        open_article(page_a, a, article)
        open_article(page_b, b, article)

        page_a.fill("#id_lead", "Sapo Hà viết trên máy chủ A.")
        page_a.click("input[name=_continue]")
        page_a.wait_for_selector(".messagelist .success")

        page_b.fill("#id_lead", "Sapo Minh viết trên máy chủ B.")
        page_b.click("input[name=_continue]")
        page_b.wait_for_selector(".errornote")
        assert "Bài này vừa được Hà lưu lúc" in page_b.locator(".errorlist.nonfield").inner_text()
        assert page_b.input_value("#id_lead") == "Sapo Minh viết trên máy chủ B."
        assert "Sapo Hà viết trên máy chủ A." in fetch(b.url + article["url"])[0]

        # Minh merges the two and saves through B: accepted, served by A.
        page_b.fill("#id_lead", "Sapo Hà viết trên máy chủ A. Minh bổ sung.")
        page_b.click("input[name=_continue]")
        page_b.wait_for_selector(".messagelist .success")
        assert "Minh bổ sung." in fetch(a.url + article["url"])[0]
    finally:
        context_a.close()
        context_b.close()


# Changes made by neither server (a command, another admin host): each must
# reach the pages both servers have cached. Each snippet prints what the
# article page must now show.
CHANGES = {
    "section renamed": """
from news.models import Category
section = Category.objects.get(name__startswith="Thời sự")
section.name = section.name + " mới"
section.save()
print(section.name)
""",
    "site settings": """
from portal.models import SiteSettings
settings = SiteSettings.load()
settings.portal_name = "Cổng tin tức Quận Hồng Bàng"
settings.save()
print(settings.portal_name)
""",
    "tag added": """
from news.models import Article, Tag
Article.objects.get(title__startswith="Tin gốc").tags.add(Tag.objects.create(name="Chuyển đổi số"))
print("Chuyển đổi số")
""",
    "award linked": """
import datetime
from awards.models import AwardDecision, AwardType
from news.models import Article
from organizations.models import Organization
decision = AwardDecision.objects.create(
    number="99/QĐ-UBND", decided_on=datetime.date(2023, 5, 20),
    award_type=AwardType.objects.create(name="Giấy khen thử", level=AwardType.Level.DISTRICT),
    authority=Organization.objects.create(name="UBND quận Hồng Bàng"),
)
decision.articles.add(Article.objects.get(title__startswith="Tin gốc"))
print("99/QĐ-UBND")
""",
}


@pytest.mark.parametrize("change", CHANGES)
def test_changes_made_elsewhere_reach_both_servers_caches(cluster, change):
    a, b, article = cluster
    for server in (a, b):
        fetch(server.url + article["url"])
        assert fetch(server.url + article["url"])[1] == "hit"
    output = servers.manage(a.env, "shell", "-c", CHANGES[change])
    expected = unicodedata.normalize("NFC", output.strip().splitlines()[-1])
    # B first: the copy it cached before the change must not be served.
    html, cache = fetch(b.url + article["url"])
    assert expected in html and cache == ""
    # A then finds the page B has just rebuilt in the shared cache.
    html, cache = fetch(a.url + article["url"])
    assert expected in html and cache == "hit"


# Changes to an article of their own, made elsewhere: each case makes the
# article (printing its id), then changes it; the page named must follow on
# both servers.
MAKE_ARTICLE = """
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from media.services import image_upload
from news.models import Article, Category
photo = io.BytesIO()
# A photo of its own for each article: the library refuses a duplicate.
Image.new("RGB", (800, 600), (10, 80, %(shade)d)).save(photo, "JPEG")
cover = image_upload(
    SimpleUploadedFile("bia.jpg", photo.getvalue(), content_type="image/jpeg"),
    title="Ảnh bìa", alt_text="Ảnh bìa trước khi sửa",
)
article = Article.objects.create(
    title=%(title)r, lead="Sapo.", body="<p>Nội dung.</p>", cover_image=cover,
    category=Category.objects.get(name__startswith="Thời sự"), status=%(status)r,
)
print(article.pk, article.get_absolute_url())
"""
AS_EDITOR = """
from django.contrib.auth import get_user_model
from news import services
from news.models import Article
article = Article.objects.get(pk=%(pk)d)
editor = get_user_model().objects.get(username="Hà")
"""
ARTICLE_CHANGES = {
    # change: (status before, the change, page, text, shown after)
    "published": ("draft", "services.article_publish(article=article, user=editor)", "/", True),
    "unpublished": (
        "published",
        "services.article_unpublish(article=article, user=editor)",
        "/",
        False,
    ),
    "deleted": ("published", "article.delete()", "/", False),
    "cover photo": (
        "published",
        "image = article.cover_image; image.alt_text = 'Ảnh bìa đã sửa'; image.save()",
        "article",
        True,
    ),
}


@pytest.mark.parametrize("change", ARTICLE_CHANGES)
def test_article_changes_made_elsewhere_reach_both_servers_caches(cluster, change):
    a, b, _article = cluster
    status, code, page, shown = ARTICLE_CHANGES[change]
    title = f"Tin thử thay đổi: {change}"
    output = servers.manage(
        a.env,
        "shell",
        "-c",
        MAKE_ARTICLE
        % {"title": title, "status": status, "shade": 40 * list(ARTICLE_CHANGES).index(change)},
    )
    pk, url = output.strip().splitlines()[-1].split()
    path = url if page == "article" else "/"
    text = "Ảnh bìa đã sửa" if page == "article" else title
    for server in (a, b):
        fetch(server.url + path)
        html, cache = fetch(server.url + path)
        assert cache == "hit" and (text in html) != shown
    servers.manage(a.env, "shell", "-c", AS_EDITOR % {"pk": int(pk)} + code)
    html, cache = fetch(b.url + path)
    assert cache == "" and (text in html) == shown, change
    html, cache = fetch(a.url + path)
    assert cache == "hit" and (text in html) == shown, change


def test_static_files_are_hashed_compressed_and_kept_a_year(cluster):
    a, _b, _article = cluster
    html, _cache = fetch(a.url + "/")
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    for encoding in ("br", "gzip"):
        request = urllib.request.Request(  # noqa: S310 - loopback
            a.url + stylesheet, headers={"Accept-Encoding": encoding}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.headers["Content-Encoding"] == encoding
            assert response.headers["Cache-Control"] == "max-age=31536000, public, immutable"
    # A name without the hash may change at any deployment: kept briefly.
    with urllib.request.urlopen(a.url + "/static/css/site.css", timeout=10) as response:  # noqa: S310
        assert "immutable" not in response.headers["Cache-Control"]
