"""Server-side allow-list for rich text.

CKEditor 4 is end-of-life, and a body can also arrive from an import or a
command, so nothing typed in an editor is trusted: every rich-text field is
cleaned here before it is stored, and templates print only the result.
"""

import re
from html import escape
from html.parser import HTMLParser

import nh3

from portal.text import clean_text

ALLOWED_TAGS = {
    # text structure
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
    # inline formatting
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
    # lists
    "ul",
    "ol",
    "li",
    # links and images
    "a",
    "img",
    "figure",
    "figcaption",
    # tables
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

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": {"title"},
    "ol": {"start", "type"},
}

# No style attribute is kept: the public pages' Content-Security-Policy would
# not apply it, and position, float, size, colour and the like could overlay
# the page or fake its furniture. Text alignment, the one style an editor
# sets, becomes a class (static/css/site.css), as CKEditor's justify buttons
# write it (justifyClasses in portal/settings.py).
ALIGNMENT_CLASSES = {
    "left": "text-left",
    "center": "text-center",
    "right": "text-right",
    "justify": "text-justify",
    # Vietnamese is written left to right.
    "start": "text-left",
    "end": "text-right",
}
ALIGNABLE_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "div",
    "li",
    "td",
    "th",
    "caption",
    "figcaption",
}

ALLOWED_CLASSES = {
    # What CKEditor's image2 plugin writes for aligned and captioned photos.
    "figure": {"image-captioned", "image-left", "image-center", "image-right"},
    **{tag: set(ALIGNMENT_CLASSES.values()) for tag in ALIGNABLE_TAGS},
}

# No javascript:, data:, vbscript: or other scheme can reach a link or an image.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Dropped together with everything inside them, not just unwrapped.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "noscript", "template"}


def sanitize_html(html: str | None) -> str:
    """Return ``html`` reduced to the article allow-list, its alignment as classes,
    as clean text.

    The parser turns character references into the characters they name, so
    ``&#11;`` comes out as a vertical tab: the output is cleaned
    (``clean_text``) after the allow-list, not only the input.
    """
    if not html:
        return ""
    cleaned = _clean(html, keep_alignment=True)
    if " style=" in cleaned:
        # Only an alignment is left in a style attribute; cleaned again, the
        # markup with classes instead is held to the same allow-list.
        cleaned = _clean(alignment_as_classes(cleaned), keep_alignment=False)
    return clean_text(cleaned).strip()


def _clean(html: str, *, keep_alignment: bool) -> str:
    attributes = ALLOWED_ATTRIBUTES
    if keep_alignment:
        attributes = attributes | {
            tag: ALLOWED_ATTRIBUTES.get(tag, set()) | {"style"} for tag in ALIGNABLE_TAGS
        }
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=attributes,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_alignment_only if keep_alignment else None,
        filter_style_properties={"text-align"} if keep_alignment else None,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


TEXT_ALIGN = re.compile(r"(?:^|;)\s*text-align\s*:\s*([a-z]+)\s*(?:!\s*important\s*)?(?=;|$)")


def _alignment_only(tag: str, attribute: str, value: str) -> str | None:
    """A style attribute reduced to the alignment it sets, if one we have a class for."""
    if attribute != "style":
        return value
    # The last declaration wins, as in CSS; property names are not case-sensitive.
    found = TEXT_ALIGN.findall(value.lower())
    if found and found[-1] in ALIGNMENT_CLASSES:
        return f"text-align:{found[-1]}"
    return None


class _AlignmentAsClasses(HTMLParser):
    """Writes sanitised markup out again with each ``style="text-align:…"`` as a class.

    The input is the sanitiser's own output, escaped as html5ever writes it;
    the output is written the same way, so nothing else in it changes.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        style = attrs.pop("style", None) or ""
        align = style.partition(":")[2]
        if align in ALIGNMENT_CLASSES:
            classes = (attrs.get("class") or "").split()
            attrs["class"] = " ".join([*classes, ALIGNMENT_CLASSES[align]])
        written = "".join(
            f' {name}="{_escape_attribute(value)}"' if value is not None else f" {name}"
            for name, value in attrs.items()
        )
        self.out.append(f"<{tag}{written}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(escape(data, quote=False).replace("\xa0", "&nbsp;"))


def _escape_attribute(value: str) -> str:
    return escape(value).replace("&#x27;", "'").replace("\xa0", "&nbsp;")


def alignment_as_classes(html: str) -> str:
    """``html`` (sanitised, or derived from sanitised markup) with every
    ``style="text-align:…"`` turned into its class; the rest as it was."""
    if " style=" not in html:
        return html
    writer = _AlignmentAsClasses()
    writer.feed(html)
    writer.close()
    return "".join(writer.out)
