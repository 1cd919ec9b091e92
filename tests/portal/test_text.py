import unicodedata

import pytest

from portal.text import nfc, slugify_vi


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
