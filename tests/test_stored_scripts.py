"""Stored scripts: every vector of a public XSS corpus is harmless once stored,
whichever way it got in (the editor's save, the award import, restoring an old
revision), on the public page that shows it.

Pages are compared with the same page holding harmless text, so only what a
payload added is counted (see ``tests/xss.py``). Each vector goes alone
through the save's derivation here, and (a slow test, ``make test-slow``)
alone onto the public article page; the tests of each way in carry the
corpus in batches, which is enough to show that a path cleans what it
stores (a path that skipped the allow-list would put the raw batch, scripts
and all, on the page).
"""

import csv
import io
import json

import pytest
from django.test import Client
from reversion.models import Version

from awards.importing import award_recipients_import, plan_from_file
from news.models import Article, emptied_article_html
from news.search import highlight
from news.templatetags.news_tags import news_article_json_ld
from portal.roles import EDITOR
from tests.factories import (
    make_article,
    make_decision,
    make_organization,
    make_user,
)
from tests.xss import PAYLOADS, dangerous_markup

pytestmark = pytest.mark.django_db

BATCH = 250
HARMLESS = "<p>Nội dung thường.</p>"


def batches(size=BATCH):
    for start in range(0, len(PAYLOADS), size):
        yield "\n".join(PAYLOADS[start : start + size])


def packed(limit: int) -> list[str]:
    """The corpus packed into as few cells of at most ``limit`` characters as it fits."""
    cells, current = [], ""
    for payload in PAYLOADS:
        payload = payload[:limit]
        if current and len(current) + 1 + len(payload) > limit:
            cells.append(current)
            current = ""
        current = f"{current} {payload}" if current else payload
    return [*cells, current]


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def added_on_page(client, url, store, contents) -> dict:
    """What runnable markup each content left on ``url`` after ``store(content)``.

    Each content is stored with a marker that must show on the page: a page
    that stopped printing the field (or a stale one) would otherwise pass.
    """
    store(HARMLESS)
    baseline = dangerous_markup(page(client, url))
    found = {}
    for number, content in enumerate(contents):
        marker = f"Mốc kiểm tra {number}"
        store(f"<p>{marker}</p>{content}")
        html = page(client, url)
        assert marker in html, f"batch {number} is not on the page"
        extra = dangerous_markup(html) - baseline
        if extra:
            found[content[:200]] = dict(extra)
    return found


def test_urls_python_cannot_parse_are_stored_without_a_server_error(client, site_settings):
    # urlsplit() raises on "//[x"; the save's library lookups must not.
    article = make_article(title="Bài có địa chỉ lạ")
    article.body = '<p><img src="//[x" alt=""><a href="//[x">x</a></p>'
    article.save()
    assert page(client, article.get_absolute_url()).count("//[x") == 2


def test_the_corpus_is_loaded_and_the_check_catches_it():
    assert len(PAYLOADS) > 6000
    # The comparisons mean something only if the raw payloads fail the check.
    assert sum(1 for p in PAYLOADS if dangerous_markup(p)) > 5000


def test_every_payload_alone_leaves_nothing_runnable_in_the_stored_article_html():
    # The same derivation Article.save() runs, one vector at a time.
    found = {}
    for payload in PAYLOADS:
        article = Article(body=payload)
        article.derive_body()
        for name, value in (("body", article.body), ("body_html", article.body_html)):
            if dangerous_markup(value):
                found[payload] = (name, dict(dangerous_markup(value)))
    assert found == {}


def test_the_corpus_saved_in_articles_is_harmless_on_the_article_page(client, site_settings):
    article = make_article(title="Bài thử mã độc")

    def store(content):
        article.body = content
        article.save()

    assert added_on_page(client, article.get_absolute_url(), store, batches()) == {}


def test_the_corpus_saved_as_organization_duties_is_harmless_on_its_page(client, site_settings):
    organization = make_organization("Sở Thông tin và Truyền thông")

    def store(content):
        organization.functions = content
        organization.save()

    assert added_on_page(client, organization.get_absolute_url(), store, batches()) == {}


def test_restoring_a_revision_that_holds_the_corpus_stores_it_cleaned(site_settings):
    """A revision recorded before an allow-list rule existed (here: tampered in the
    database) is cleaned when restored, on the page that offers it and on the article."""
    # A draft, seen by its editor: a published article would (rightly) refuse
    # the corpus's images that have no alt text.
    article = make_article(title="Bài có lịch sử", body=HARMLESS, status=Article.Status.DRAFT)
    url = article.get_absolute_url()
    editor = Client()
    editor.force_login(make_user(EDITOR, "bientap"))
    # An article edited after its publication time prints its modification
    # time in a <meta>: the baseline is the page after one harmless edit.
    article.body = HARMLESS + "<p>Sửa.</p>"
    article.save()
    baseline = dangerous_markup(page(editor, url))
    first = Version.objects.get_for_object(article).first()
    restore_page = f"/quan-tri/news/article/{article.pk}/history/{first.pk}/"
    restore_baseline = dangerous_markup(editor.get(restore_page).content.decode())
    found = {}
    for content in batches(1000):
        version = Version.objects.get_for_object(article).first()
        data = json.loads(version.serialized_data)
        data[0]["fields"]["body"] = content
        version.serialized_data = json.dumps(data)
        version.save()
        restore_url = f"/quan-tri/news/article/{article.pk}/history/{version.pk}/"

        # The page that offers the restore shows the old text, never its markup.
        shown = editor.get(restore_url).content.decode()
        if dangerous_markup(shown) - restore_baseline:
            found[f"restore page: {content[:100]}"] = dict(
                dangerous_markup(shown) - restore_baseline
            )
        response = editor.post(restore_url, {"workflow_comment": ""})
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.body != content or not dangerous_markup(content)
        extra = dangerous_markup(page(editor, url)) - baseline
        if extra:
            found[f"page: {content[:100]}"] = dict(extra)
    assert found == {}
    assert Version.objects.get_for_object(article).count() > 7  # every restore was saved


def test_the_corpus_imported_as_award_recipients_is_harmless_on_the_decision_page(
    client, site_settings
):
    decision = make_decision()
    url = decision.get_absolute_url()
    baseline = dangerous_markup(page(client, url))

    # Names are numbered: the corpus repeats itself, and a repeated name is a bad row.
    names = [f"{n}. {cell}" for n, cell in enumerate(packed(190), start=1)]
    positions, units, achievements = packed(200), packed(300), packed(2000)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Loại", "Họ tên / Tên tập thể", "Chức vụ", "Đơn vị", "Thành tích"])
    for index, name in enumerate(names):
        writer.writerow(
            [
                "Tập thể" if index % 2 else "Cá nhân",
                name,
                positions[index % len(positions)],
                units[index % len(units)],
                achievements[index % len(achievements)],
            ]
        )
    plan = plan_from_file(decision, "ma-doc.csv", out.getvalue().encode("utf-8"))
    assert plan.errors == []
    assert award_recipients_import(decision=decision, plan=plan) == len(names)

    html = page(client, url)
    assert dangerous_markup(html) - baseline == {}
    # The payloads are there, as text.
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("query", ["script alert", "img src onerror", "javascript", "svg onload"])
def test_search_highlighting_of_every_payload_leaves_nothing_runnable(query):
    # highlight() builds its <mark> markup by hand; the text around it must stay text.
    found = {p: dict(dangerous_markup(highlight(p, query))) for p in PAYLOADS}
    assert {p: f for p, f in found.items() if f} == {}


def test_the_json_ld_block_holds_every_payload_as_data(site_settings):
    # The one <script> the article page writes from stored text: a payload
    # must not close it early, and must come back unchanged as JSON.
    article = make_article(title="x", author_byline="y")
    for payload in PAYLOADS:
        article.title, article.lead, article.author_byline = payload, payload, payload[:200]
        block = str(news_article_json_ld(article))
        assert block.count("<") == 2, payload  # <script ...> and </script> only
        data = json.loads(block.removeprefix('<script type="application/ld+json">')[:-9])
        assert (data["headline"], data["description"]) == (payload[:110], payload)


@pytest.mark.slow
def test_every_payload_alone_is_harmless_on_the_article_page(client, site_settings):
    """The literal check, one vector at a time, on the public page (about 3 minutes).

    Each vector is cleaned and rendered by the save's own derivation and
    stored as the save stores it (the page's stored markup emptied with it);
    the page is then fetched as a reader would, which renders it again.
    (A full ``save()`` per vector adds revisions, search vectors and the QR
    code, none of which touches the body, and doubles the time.)
    """
    article = make_article(title="Bài thử từng mã độc")
    url = article.get_absolute_url()
    rows = Article.objects.filter(pk=article.pk)
    article.body = HARMLESS
    article.derive_body()
    rows.update(body=article.body, body_html=article.body_html, **emptied_article_html())
    baseline = dangerous_markup(page(client, url))
    found = {}
    for number, payload in enumerate(PAYLOADS):
        marker = f"Mốc {number}"
        article.body = f"<p>{marker}</p>{payload}"
        article.derive_body()
        rows.update(body=article.body, body_html=article.body_html, **emptied_article_html())
        html = page(client, url)
        assert marker in html
        extra = dangerous_markup(html) - baseline
        if extra:
            found[payload] = dict(extra)
    assert found == {}
