from html.parser import HTMLParser

import pytest

from portal.sanitize import sanitize_html
from tests.xss import PAYLOADS, url_scheme

# Written out here, not imported from portal.sanitize: the test must not
# accept whatever the allow-list is changed to.
ALLOWED_ELEMENTS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "div",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "mark",
    "code",
    "abbr",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "colgroup",
    "col",
}
URL_ATTRIBUTES = {"href", "src"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class Inspector(HTMLParser):
    """Parses sanitised output the way a browser would and lists what is unsafe in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_ELEMENTS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"handler {name}")
            scheme = url_scheme(value or "")
            if name in URL_ATTRIBUTES and scheme and scheme not in SAFE_SCHEMES:
                self.problems.append(f"url {name}={value!r}")
            if name == "style":  # the public pages' policy applies none; alignment is a class
                self.problems.append(f"style {value!r}")

    def handle_comment(self, data):
        self.problems.append("comment")


def problems_in(html: str) -> list[str]:
    inspector = Inspector()
    try:
        inspector.feed(html)
        inspector.close()
    except AssertionError:  # markup too broken for the parser: count it as unsafe
        return ["unparseable"]
    return inspector.problems


def test_payload_list_is_loaded():
    assert len(PAYLOADS) > 6000


def test_no_xss_payload_survives_the_sanitiser():
    survivors = {p: problems_in(sanitize_html(p)) for p in PAYLOADS}
    assert {p: found for p, found in survivors.items() if found} == {}


def test_the_inspector_sees_what_the_sanitiser_removes():
    # The check above means something only if unsanitised payloads fail it.
    assert sum(1 for p in PAYLOADS if problems_in(p)) > 5000


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>An<script>alert(1)</script>toàn</p>", "<p>Antoàn</p>"),
        ('<p onclick="alert(1)">Tin</p>', "<p>Tin</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="a">', '<img alt="a">'),
        ('<iframe src="https://example.com"></iframe><p>ok</p>', "<p>ok</p>"),
        (
            '<p style="position:fixed;top:0;text-align:center;z-index:9">Giữa</p>',
            '<p class="text-center">Giữa</p>',
        ),
        ('<div style="position:absolute;left:0">x</div>', "<div>x</div>"),
    ],
)
def test_dangerous_markup_is_removed(dirty, clean):
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(
    "markup",
    [
        "<h2>Tiêu đề phụ</h2><h3>Mục nhỏ</h3>",
        "<p><strong>Đậm</strong>, <em>nghiêng</em>, <u>gạch chân</u>, H<sub>2</sub>O</p>",
        "<ul><li>Một</li><li>Hai</li></ul><ol><li>Ba</li></ol>",
        '<p><a href="https://haiphong.gov.vn/tin" rel="noopener noreferrer">Liên kết</a></p>',
        '<p><a href="mailto:bientap@example.vn" rel="noopener noreferrer">Thư</a></p>',
        '<figure class="image-captioned"><img src="/media/anh.jpg" alt="Hội nghị" '
        'width="1200" height="750"><figcaption>Quang cảnh hội nghị.</figcaption></figure>',
        "<table><thead><tr><th>Đơn vị</th><th>Số</th></tr></thead>"
        "<tbody><tr><td>Phường Minh Khai</td><td>36</td></tr></tbody></table>",
        "<blockquote><p>Trích dẫn</p></blockquote>",
    ],
)
def test_allowed_newsroom_markup_is_kept(markup):
    assert sanitize_html(markup) == markup


def test_unknown_class_names_are_dropped():
    assert sanitize_html('<figure class="image-captioned evil">x</figure>') == (
        '<figure class="image-captioned">x</figure>'
    )


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p style="text-align:center">Giữa</p>', '<p class="text-center">Giữa</p>'),
        ('<p style="text-align: right;">Phải</p>', '<p class="text-right">Phải</p>'),
        ('<h2 style="TEXT-ALIGN: Justify">Đều</h2>', '<h2 class="text-justify">Đều</h2>'),
        ('<p style="text-align:left !important">Trái</p>', '<p class="text-left">Trái</p>'),
        ('<p style="text-align:start">Đầu</p>', '<p class="text-left">Đầu</p>'),
        ('<p style="text-align:center;text-align:right">Sau</p>', '<p class="text-right">Sau</p>'),
        (
            '<p style="color:red;text-align:center;float:left">Màu</p>',
            '<p class="text-center">Màu</p>',
        ),
        ('<p style="text-align:-webkit-center">Lạ</p>', "<p>Lạ</p>"),
        ('<p style="text-align:center" class="evil">x</p>', '<p class="text-center">x</p>'),
        ('<span style="text-align:center">Dòng</span>', "<span>Dòng</span>"),
        (
            '<table><tbody><tr><td style="text-align:right">36</td></tr></tbody></table>',
            '<table><tbody><tr><td class="text-right">36</td></tr></tbody></table>',
        ),
        (
            '<p title="a&quot;b&lt;c" style="text-align:center">x&nbsp;&lt;y&gt; &amp; z</p>',
            '<p title="a&quot;b&lt;c" class="text-center">x&nbsp;&lt;y&gt; &amp; z</p>',
        ),
    ],
)
def test_alignment_becomes_a_class_and_no_style_is_kept(dirty, clean):
    assert sanitize_html(dirty) == clean
    assert sanitize_html(clean) == clean


@pytest.mark.parametrize("align", ["left", "center", "right", "justify"])
def test_what_the_editors_justify_buttons_write_is_kept(align):
    from django.conf import settings

    assert f"text-{align}" in settings.CKEDITOR_CONFIGS["default"]["justifyClasses"]
    for tag in ("p", "h2", "h3", "h4", "li"):
        markup = f'<{tag} class="text-{align}">Nội dung</{tag}>'
        if tag == "li":
            markup = f"<ul>{markup}</ul>"
        assert sanitize_html(markup) == markup


def test_the_site_styles_every_alignment_class():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    for align in ("left", "center", "right", "justify"):
        assert f".article__body .text-{align} {{ text-align: {align}; }}" in css
