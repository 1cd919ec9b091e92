import unicodedata

import pytest

from portal.text import clean_text, nfc, slugify_vi


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đồng chí Lê Thị Vân", "dong-chi-le-thi-van"),
        ("ĐẢNG BỘ QUẬN HỒNG BÀNG", "dang-bo-quan-hong-bang"),
        ("Ủy ban nhân dân quận", "uy-ban-nhan-dan-quan"),
        ("Uỷ ban MTTQ Việt Nam", "uy-ban-mttq-viet-nam"),
        ("Quận Hồng Bàng: Gắn kết công tác", "quan-hong-bang-gan-ket-cong-tac"),
        ("Kinh tế - Xã hội 2013-2023", "kinh-te-xa-hoi-2013-2023"),
        ("“Dân vận khéo”", "dan-van-kheo"),
        ("Đường Điện Biên Phủ, đoạn đầu", "duong-dien-bien-phu-doan-dau"),
    ],
)
def test_slugify_vi_writes_vietnamese_letters_as_plain_latin(text, slug):
    assert slugify_vi(text) == slug


def test_slugify_vi_gives_the_same_slug_for_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Đồng chí Lê Thị Vân")
    assert decomposed != "Đồng chí Lê Thị Vân"
    assert slugify_vi(decomposed) == "dong-chi-le-thi-van"


def test_slugify_vi_cuts_long_titles_at_a_word_boundary():
    slug = slugify_vi("phong trào toàn dân bảo vệ an ninh Tổ quốc " * 10, max_length=50)
    assert len(slug) <= 50
    assert not slug.endswith("-")
    assert "phong-trao-toan-dan-bao-ve-an-ninh-to-quoc".startswith(slug.split("-phong")[0])
    # Every piece is a whole word of the title.
    assert set(slug.split("-")) <= {
        "phong",
        "trao",
        "toan",
        "dan",
        "bao",
        "ve",
        "an",
        "ninh",
        "to",
        "quoc",
    }


def test_nfc_composes_text_pasted_in_decomposed_form():
    decomposed = unicodedata.normalize("NFD", "Hồng Bàng")
    assert len(decomposed) > len("Hồng Bàng")
    assert nfc(decomposed) == "Hồng Bàng"
    assert nfc(None) is None


LINE_BREAKS = ["\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\r\n", "\r"]
# Every other C0 and C1 control character but tab and newline.
OTHER_CONTROLS = [
    chr(c)
    for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]
    if chr(c) not in ["\t", "\n", *LINE_BREAKS]
]


@pytest.mark.parametrize("char", LINE_BREAKS, ids=ascii)
def test_other_line_breaks_become_a_newline_or_in_one_line_fields_a_space(char):
    # Word's Shift+Enter pastes a vertical tab between the two lines.
    assert clean_text(f"Dòng một{char}dòng hai") == "Dòng một\ndòng hai"
    assert clean_text(f"Dòng một{char}dòng hai", multiline=False) == "Dòng một dòng hai"


@pytest.mark.parametrize(
    "char",
    [*OTHER_CONTROLS, "\ufffe", "\uffff", "\ufdd0", "\U0010ffff"],
    ids=ascii,
)
def test_other_controls_and_noncharacters_are_dropped(char):
    assert clean_text(f"Hồng{char} Bàng") == "Hồng Bàng"


def test_tab_newline_and_ordinary_text_stay_as_they_are():
    text = "Hồng Bàng\tđón tàu\n“Dân vận khéo” – 100 % \u00a0 😀 \u200b"
    assert clean_text(text) == text
    assert clean_text(None) is None


def test_a_lone_surrogate_becomes_the_replacement_character():
    assert clean_text("Hồng\ud800Bàng") == "Hồng\ufffdBàng"


def test_clean_text_composes_decomposed_text():
    assert clean_text(unicodedata.normalize("NFD", "Hồng\x0bBàng")) == "Hồng\nBàng"


def project_models():
    from django.apps import apps

    labels = ("news", "media", "organizations", "awards", "portal")
    return [model for label in labels for model in apps.get_app_config(label).get_models()]


# Models whose text only the portal's own code writes, from a fixed list.
NOT_FILLED_BY_PEOPLE = {"media.Rendition"}


def test_every_model_with_text_fields_cleans_them_on_save():
    from portal.text import CleanTextMixin, text_fields

    missing = [
        model._meta.label
        for model in project_models()
        if text_fields(model)
        and model._meta.label not in NOT_FILLED_BY_PEOPLE
        and not issubclass(model, CleanTextMixin)
    ]
    assert missing == []


@pytest.mark.django_db
def test_text_saved_by_a_command_or_an_import_is_cleaned(site_settings):
    from tests.factories import make_article, make_decision, make_person

    article = make_article(
        title="Cảng Hải Phòng\x0bđón tàu lớn\x01",
        lead="Dòng một\x0bdòng hai\x1b[31m",
        body="<p>Nội dung\x0cbài&#11;viết&#x1;</p>",
        author_byline="Hoàng\x00 Tùng\u2028",
        source="Báo\x85Hải Phòng",
    )
    article.refresh_from_db()
    assert article.title == "Cảng Hải Phòng đón tàu lớn"
    assert article.lead == "Dòng một\ndòng hai[31m"
    assert article.body == "<p>Nội dung\nbài\nviết</p>"
    assert article.body_text == "Nội dung bài viết"
    assert article.author_byline == "Hoàng Tùng"
    assert article.source == "Báo Hải Phòng"
    person = make_person("Lê\x0bThị\x7f Vân")
    assert person.full_name == "Lê Thị Vân"
    decision = make_decision("12\x0b/QĐ-UBND", reason="Lý do\u2029khen\x9b")
    decision.refresh_from_db()
    assert (decision.number, decision.reason) == ("12 /QĐ-UBND", "Lý do\nkhen")
    site_settings.editor_in_charge = "Nguyễn\x0bVăn A"
    site_settings.save()
    site_settings.refresh_from_db()
    assert site_settings.editor_in_charge == "Nguyễn Văn A"


@pytest.mark.django_db
def test_the_migration_cleans_rows_stored_before_and_renders_their_articles_again(
    site_settings,
):
    import importlib

    from django.apps import apps

    from news.models import Article, Category
    from tests.factories import make_article

    migration = importlib.import_module("portal.migrations.0004_clean_stored_text")
    dirty = make_article(title="Tin cũ")
    clean = make_article(title="Tin khác")
    # As rows were stored before text was cleaned on save.
    Article.objects.filter(pk=dirty.pk).update(
        title="Tin\x0bcũ", lead="Sapo\x01 cũ", body="<p>Thân\x0cbài</p>", body_text="Thân\x0cbài"
    )
    Category.objects.update(name="Quốc phòng\x0b- An ninh")
    Article.objects.update(article_html="<main>cũ</main>", card_html="<article>cũ</article>")
    before = dict(Article.objects.values_list("pk", "article_html_generation"))

    migration.clean_stored_text(apps, None)

    dirty.refresh_from_db()
    assert (dirty.title, dirty.lead, dirty.body, dirty.body_text) == (
        "Tin cũ",
        "Sapo cũ",
        "<p>Thân\nbài</p>",
        "Thân\nbài",
    )
    assert Category.objects.get().name == "Quốc phòng - An ninh"
    # Pages that print a cleaned section render again.
    for article in Article.objects.all():
        assert article.article_html == article.card_html == ""
        assert article.article_html_generation == before[article.pk] + 1
    clean.refresh_from_db()
    assert clean.title == "Tin khác"
