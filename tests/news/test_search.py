"""Tìm kiếm: Vietnamese full-text search."""

import re
import unicodedata
from html import unescape
from io import StringIO

import pytest
from django.db import connection
from django.utils.html import strip_tags

from news.models import Article
from news.search import fold, highlight, matching, search
from tests.factories import make_article, make_category, vn_time

pytestmark = pytest.mark.django_db


def titles(query):
    articles = Article.objects.in_bulk(search(Article.objects.published(), query))
    return [articles[pk].title for pk in search(Article.objects.published(), query)]


@pytest.fixture
def corpus(site_settings):
    make_article(
        title="Quận Hồng Bàng tổng kết phong trào", published_at=vn_time(2023, 5, 24, 17, 20)
    )
    make_article(title="Ủy ban nhân dân phường họp", body="<p>Nội dung họp.</p>")
    make_article(title="Uỷ ban MTTQ phường Minh Khai", published_at=vn_time(2023, 5, 1, 8, 0))
    make_article(title="Đảng bộ quận đại hội", lead="Đại hội Đảng bộ nhiệm kỳ mới.")
    make_article(title="Tin giao thông", body="<p>Đường Hồng Bàng thông xe.</p>")
    make_article(title="Bản nháp về Hồng Bàng", status=Article.Status.DRAFT, published_at=None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hong bang", {"Quận Hồng Bàng tổng kết phong trào", "Tin giao thông"}),
        ("Hồng Bàng", {"Quận Hồng Bàng tổng kết phong trào", "Tin giao thông"}),
        ("HỒNG BÀNG", {"Quận Hồng Bàng tổng kết phong trào", "Tin giao thông"}),
        ("uy ban", {"Ủy ban nhân dân phường họp", "Uỷ ban MTTQ phường Minh Khai"}),
        ("Uỷ ban", {"Ủy ban nhân dân phường họp", "Uỷ ban MTTQ phường Minh Khai"}),
        ("Ủy ban", {"Ủy ban nhân dân phường họp", "Uỷ ban MTTQ phường Minh Khai"}),
        ("dang", {"Đảng bộ quận đại hội"}),
        ("ĐẢNG", {"Đảng bộ quận đại hội"}),
        (
            unicodedata.normalize("NFD", "Hồng Bàng"),
            {"Quận Hồng Bàng tổng kết phong trào", "Tin giao thông"},
        ),
    ],
)
def test_accents_and_tone_mark_placement_never_matter(corpus, query, expected):
    assert set(titles(query)) == expected


def test_drafts_are_never_found(corpus):
    assert "Bản nháp về Hồng Bàng" not in titles("nháp")


def test_a_title_match_ranks_above_a_body_match(corpus):
    assert titles("hong bang")[0] == "Quận Hồng Bàng tổng kết phong trào"


def test_exact_accents_rank_above_folded_matches(site_settings):
    make_article(title="Chuyện con ma ở làng")
    make_article(title="Chuyện người má ở làng")
    assert titles("má")[0] == "Chuyện người má ở làng"
    assert titles("ma")[0] == "Chuyện con ma ở làng"


def test_fold_keeps_one_character_per_character():
    text = "Đồng chí Lê Thị Vân, Uỷ ban"
    assert fold(text) == "Dong chi Le Thi Van, Uy ban"
    assert len(fold(text)) == len(text)


def test_search_uses_the_gin_index(corpus):
    # A test table is too small for the planner to prefer an index by itself;
    # forbidding sequential scans shows which index serves the match.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = matching(Article.objects.all(), "hong bang").explain()
    assert "Bitmap Index Scan on article_search_folded_idx" in plan


@pytest.mark.parametrize(
    "query",
    [
        *["", "   ", "x" * 500, "a" * 10 + " " + "ă" * 490, "!!! ???", "' OR 1=1 --"],
        *["<script>", "\x1b[31m"],
    ],
)
def test_odd_queries_answer_200(client, corpus, query):
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_a_query_with_a_nul_is_a_vietnamese_400(client, corpus):
    response = client.get("/tim-kiem/", {"q": "hong\x00bang"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_search_page_shows_count_snippets_and_filters(client, corpus):
    other = make_category(name="Giao thông")
    make_article(
        title="Hồng Bàng mở đường mới", category=other, published_at=vn_time(2023, 6, 1, 9, 0)
    )
    html = client.get("/tim-kiem/", {"q": "hong bang"}).content.decode()
    assert "3 kết quả cho “hong bang”" in html
    assert "<mark>Hồng</mark> <mark>Bàng</mark>" in html
    html = client.get("/tim-kiem/", {"q": "hong bang", "category": other.slug}).content.decode()
    assert "1 kết quả" in html and "Hồng Bàng mở đường mới" in html
    html = client.get(
        "/tim-kiem/", {"q": "hong bang", "from_date": "2023-05-20", "to_date": "2023-05-31"}
    ).content.decode()
    assert "Quận Hồng Bàng tổng kết phong trào" in html and "mở đường mới" not in html
    bad_filters = client.get(
        "/tim-kiem/", {"q": "hong bang", "from_date": "hôm qua", "category": "khong-co"}
    )
    assert bad_filters.status_code == 200 and "3 kết quả" in bad_filters.content.decode()


def test_small_typos_get_suggestions(client, corpus):
    html = client.get("/tim-kiem/", {"q": "hong bnag"}).content.decode()
    assert "0 kết quả" in html
    assert "Có phải bạn muốn tìm" in html and "Quận Hồng Bàng tổng kết phong trào" in html


def test_search_pages_and_a_page_past_the_end(client, site_settings, django_assert_max_num_queries):
    for n in range(25):
        make_article(title=f"Hồng Bàng tin số {n}")
    first = client.get("/tim-kiem/", {"q": "hong bang"})
    assert re.search(r"Trang 1/2", first.content.decode())
    with django_assert_max_num_queries(4):
        second = client.get("/tim-kiem/", {"q": "hong bang", "page": "2"})
    assert second.content.decode().count('class="card__title"') == 5
    assert client.get("/tim-kiem/", {"q": "hong bang", "page": "3"}).status_code == 404
    assert client.get("/tim-kiem/", {"q": "hong bang", "page": "x"}).status_code == 404


def test_a_typo_is_corrected_word_by_word_with_a_link_to_the_corrected_search(client, corpus):
    html = client.get("/tim-kiem/", {"q": "uy bna nhan dan"}).content.decode()
    assert "Có phải bạn muốn tìm" in html
    assert 'href="?q=uy+ban+nhan+dan">uy ban nhan dan</a>' in html
    assert "Ủy ban nhân dân phường họp" in html


def test_words_found_in_articles_are_never_corrected(corpus):
    from news.search import corrected_query

    assert corrected_query("Hồng Bàng") is None
    assert corrected_query("hong bnag") == "hong bang"
    # Short words allow one edit: "xy" is not made into some two-edit neighbour.
    assert corrected_query("xyzzy qqq") is None


def test_the_dictionary_learns_words_on_save_and_the_command_recounts_it(corpus):
    from io import StringIO

    from django.core.management import call_command

    from news.models import SearchTerm

    make_article(title="Lễ hội pháo hoa quốc tế")
    assert SearchTerm.objects.filter(word__in=["phao", "hoa", "quoc"]).count() == 3
    Article.objects.filter(title__startswith="Lễ hội").delete()
    out = StringIO()
    call_command("rebuild_search_terms", stdout=out)
    assert not SearchTerm.objects.filter(word="phao").exists()
    assert SearchTerm.objects.get(word="hong").articles == 2  # the draft does not count
    assert "words" in out.getvalue()


def test_only_the_most_recent_matches_are_ranked(client, site_settings, monkeypatch):
    from news import search as search_module

    monkeypatch.setattr(search_module, "MAX_CANDIDATES", 3)
    for day in range(1, 6):
        make_article(title=f"Hồng Bàng ngày {day}", published_at=vn_time(2023, 5, day, 8, 0))
    assert sorted(titles("hong bang")) == [f"Hồng Bàng ngày {day}" for day in (3, 4, 5)]
    assert "3 kết quả" in client.get("/tim-kiem/", {"q": "hong bang"}).content.decode()


def test_a_snippet_is_cut_around_the_first_match_with_every_match_in_it_marked():
    text = "Mở đầu. " + "chữ " * 200 + "Ủy ban quận Hồng Bàng họp với uỷ ban phường." + " hết" * 200
    snippet = highlight(text, "uy ban")
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "Mở đầu" not in snippet
    assert "<mark>Ủy</mark> <mark>ban</mark> quận" in snippet
    assert "với <mark>uỷ</mark> <mark>ban</mark> phường" in snippet
    assert len(strip_tags(snippet)) <= 262
    # No match: the start of the text, unmarked.
    assert highlight(text, "hải phòng").startswith("Mở đầu. chữ")


def test_a_snippet_finds_a_match_far_into_the_text_and_only_whole_words():
    # "Hồngkông" comes first: it must not count as "Hồng", and the real
    # match, thousands of characters on, must be found.
    text = "chữ " * 150 + "Hồngkông " + "chữ " * 1000 + "quận HỒNG Bàng họp."
    snippet = highlight(text, "hong")
    assert "quận <mark>HỒNG</mark> Bàng họp." in snippet
    assert "Hồngkông" not in snippet and snippet.count("<mark>") == 1


def test_a_snippet_matches_every_way_of_writing_a_vietnamese_letter():
    text = "Đường Lê Lợi, UỶ BAN, ủy ban, Uỷ Ban; Hồng Bàng, hong bang, Hõng Băng; Hồngkông, đà."
    snippet = highlight(text, "uy ban hong bang duong da")
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == [
        "Đường", "UỶ", "BAN", "ủy", "ban", "Uỷ", "Ban",
        "Hồng", "Bàng", "hong", "bang", "Hõng", "Băng", "đà",
    ]  # fmt: skip
    # The words around the marks are printed as written.
    assert snippet.startswith("<mark>Đường</mark> Lê Lợi, <mark>UỶ</mark>")


def test_the_search_form_keeps_the_chosen_filters(client, site_settings):
    section = make_category(name="Giao thông <vận tải>")
    make_category(name="Y tế")
    html = client.get(
        "/tim-kiem/", {"q": "cầu", "category": section.slug, "from_date": "2023-05-20"}
    ).content.decode()
    assert f'<option value="{section.slug}" selected>Giao thông &lt;vận tải&gt;</option>' in html
    assert '<option value="">Tất cả</option>' in html
    assert '<input type="date" name="from_date" value="2023-05-20" id="id_from_date">' in html
    assert '<input type="date" name="to_date" id="id_to_date">' in html


def suggestion(client, query) -> str | None:
    """What "Có phải bạn muốn tìm" offers for ``query``, or None."""
    html = client.get("/tim-kiem/", {"q": query}).content.decode()
    found = re.search(r'class="section-title__suggestion"[^>]*>([^<]*)</a>', html)
    return found[1] if found else None


# A public word one edit further from the typo than a word of the other article.
PUBLIC_TITLE = "Hội thảo về học thuyết mới"
OTHER_TITLE = "Học nghề đóng thuyền rồng"


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.REVIEW, "published_at": None},
        {"status": Article.Status.UNPUBLISHED},
        {"published_at": vn_time(2999, 1, 1, 8, 0)},  # scheduled
        {"deleted_at": vn_time(2023, 5, 25, 8, 0)},  # in the trash
    ],
    ids=["draft", "review", "unpublished", "scheduled", "trash"],
)
def test_a_word_only_in_an_unpublished_article_is_never_suggested(client, corpus, state):
    from django.core.management import call_command

    from news.search import corrected_query

    make_article(title=PUBLIC_TITLE)
    make_article(title=OTHER_TITLE, **state)
    assert corrected_query("hoc thuyenn") == "hoc thuyet"
    assert suggestion(client, "hoc thuyenn") == "hoc thuyet"
    call_command("rebuild_search_terms", stdout=StringIO())
    assert corrected_query("hoc thuyenn") == "hoc thuyet"
    # The control: once public, its word is the nearer one.
    make_article(title=OTHER_TITLE)
    assert suggestion(client, "hoc thuyenn") == "hoc thuyen"


@pytest.mark.parametrize("leave", ["unpublish", "trash", "reschedule"])
def test_a_word_stops_being_suggested_when_its_article_stops_being_public(
    client, corpus, admin_user, leave
):
    from django.utils import timezone

    from news.services import article_publish, article_trash, article_unpublish

    make_article(title=PUBLIC_TITLE)
    article = make_article(title=OTHER_TITLE)
    assert suggestion(client, "hoc thuyenn") == "hoc thuyen"
    if leave == "unpublish":
        article_unpublish(article=article, user=admin_user)
    elif leave == "trash":
        article_trash(article=article, user=admin_user)
    else:
        article_publish(
            article=article, user=admin_user, at=timezone.now() + timezone.timedelta(days=1)
        )
    assert suggestion(client, "hoc thuyenn") == "hoc thuyet"
    # Its words that other public articles have stay: "khu" is in none, "vinh" in one.
    assert suggestion(client, "hocc thuyet") == "hoc thuyet"


def test_a_scheduled_article_s_words_are_suggested_once_it_goes_live(
    client, corpus, admin_user, monkeypatch
):
    from django.core.management import call_command
    from django.utils import timezone

    from news.services import article_publish

    make_article(title=PUBLIC_TITLE)
    article = make_article(title=OTHER_TITLE, status=Article.Status.DRAFT, published_at=None)
    now = timezone.now()
    article_publish(article=article, user=admin_user, at=now + timezone.timedelta(hours=1))
    assert suggestion(client, "hoc thuyenn") == "hoc thuyet"
    monkeypatch.setattr(timezone, "now", lambda: now + timezone.timedelta(hours=2))
    call_command("publish_scheduled", stdout=StringIO())
    assert suggestion(client, "hoc thuyenn") == "hoc thuyen"


@pytest.mark.parametrize(
    ("query", "marked"),
    [("cầu rào", False), ("thép", True)],
    ids=["title-only", "lead-and-body"],
)
def test_a_snippet_is_escaped_once_whether_or_not_the_text_matches(
    client, site_settings, query, marked
):
    make_article(
        title="Cầu Rào <mới> & “đẹp” 'nhất'",
        lead='Dầm thép <b>nặng</b> & "chắc"',
        body="<p>Nhịp 2 &lt; 3 &amp; dầm 'thép' “mới”</p>",
    )
    html = client.get("/tim-kiem/", {"q": query}).content.decode()
    snippet = re.search(r'<p class="search-results__snippet">(.*?)</p>', html, re.S)[1]
    assert "&amp;lt;" not in snippet and "&amp;amp;" not in snippet and "&amp;quot;" not in snippet
    text = "Dầm thép <b>nặng</b> & \"chắc\" Nhịp 2 < 3 & dầm 'thép' “mới”"
    assert unescape(strip_tags(snippet)) == text
    assert ("<mark>thép</mark>" in snippet) is marked
    title = re.search(r'class="card__title"><a [^>]*>(.*?)</a>', html)[1]
    assert unescape(title) == "Cầu Rào <mới> & “đẹp” 'nhất'"
