"""Library photos and document labels land exactly where the body has them."""

from html.parser import HTMLParser

import pytest

from media.rendering import render_body
from media.services import image_upload
from tests.media.images import image_bytes, upload
from tests.media.test_public import make_document

pytestmark = pytest.mark.django_db

# Characters str.splitlines() breaks at and the HTML parser does not.
LINE_BREAKS_TO_SPLITLINES_ONLY = {
    "VT": "\x0b",
    "FF": "\x0c",
    "FS": "\x1c",
    "GS": "\x1d",
    "RS": "\x1e",
    "NEL": "\x85",
    "LS": "\u2028",
    "PS": "\u2029",
}


def text_of(html: str) -> str:
    """What a reader sees: the text outside tags, attribute values never."""
    parts = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append
    parser.feed(html)
    parser.close()
    return "".join(parts)


@pytest.fixture
def library():
    first = image_upload(upload(image_bytes()), title="Một", alt_text="Ảnh một")
    second = image_upload(upload(image_bytes(color=(0, 90, 0))), title="Hai", alt_text="Ảnh hai")
    return first, second, make_document(title="Quyết định")


def body_with(ch: str, first, second, document) -> str:
    """A body as CKEditor writes it, each block on its own line."""
    return (
        f"<p>Mở đầu{ch}đoạn một.</p>\n\n"
        f'<figure class="image-captioned"><img src="{first.file.url}" alt="Ảnh{ch}một">'
        f"<figcaption>Chú thích{ch}một</figcaption></figure>\n\n"
        f"<p>Giữa{ch}hai ảnh.</p>\n\n"
        f'<p>Trước ảnh hai{ch}<img src="{second.file.url}" alt="Ảnh hai">{ch}sau ảnh hai,\n'
        f'<a href="{document.get_absolute_url()}">văn{ch}bản</a> và kết{ch}thúc.</p>\n'
    )


def check_rendered(html: str, source: str, document) -> None:
    label = f" ({document.type_and_size})"
    assert html.count("<picture>") == 2
    assert '<img src="/media/images/' not in html  # both replaced, neither left over
    assert text_of(html) == text_of(source).replace("bản và", f"bản{label} và")
    assert f'bản</a> <span class="document-meta">({document.type_and_size})</span> và' in html


@pytest.mark.parametrize(
    "ch", LINE_BREAKS_TO_SPLITLINES_ONLY.values(), ids=list(LINE_BREAKS_TO_SPLITLINES_ONLY)
)
def test_photos_and_labels_keep_their_place_after_each_line_break_character(library, ch):
    # Saving cleans these characters out of a body (portal.text), but the
    # renderer must cope with any body it is given: rows stored before, raw SQL.
    first, second, document = library
    source = body_with(ch, first, second, document)
    html = render_body(source).html
    check_rendered(html, source, document)
    assert 'alt="Ảnh' + ch + 'một"' in html


def test_all_of_them_together_and_with_carriage_returns(library):
    first, second, document = library
    every = "\r".join(LINE_BREAKS_TO_SPLITLINES_ONLY.values())
    source = "".join(body_with(every * n, first, second, document) for n in (1, 2, 3))
    html = render_body(source).html
    label = f" ({document.type_and_size})"
    assert html.count("<picture>") == 6
    assert text_of(html) == text_of(source).replace("bản và", f"bản{label} và")


def test_a_tag_not_where_the_parser_placed_it_is_left_alone(library, monkeypatch, caplog):
    first, second, document = library
    source = body_with("", first, second, document)
    from media import rendering

    real = rendering._Locator._offset
    monkeypatch.setattr(rendering._Locator, "_offset", lambda self: real(self) + 3)
    html = render_body(source).html
    assert html == source  # nothing cut, nothing inserted
    assert "not at its parsed position" in caplog.text
