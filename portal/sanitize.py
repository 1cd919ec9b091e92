"""Server-side allow-list for rich text.

CKEditor 4 is end-of-life, and a body can also arrive from an import or a
command, so nothing typed in an editor is trusted: every rich-text field is
cleaned here before it is stored, and templates print only the result.
"""

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
    "*": {"style"},
}

# Only alignment survives in a style attribute: position, float, size, colour
# and the like could overlay the page or fake its furniture.
ALLOWED_STYLE_PROPERTIES = {"text-align"}

# The classes CKEditor's image2 plugin writes for aligned and captioned photos.
ALLOWED_CLASSES = {"figure": {"image-captioned", "image-left", "image-center", "image-right"}}

# No javascript:, data:, vbscript: or other scheme can reach a link or an image.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Dropped together with everything inside them, not just unwrapped.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "noscript", "template"}


def sanitize_html(html: str | None) -> str:
    """Return ``html`` reduced to the article allow-list, as clean text.

    The parser turns character references into the characters they name, so
    ``&#11;`` comes out as a vertical tab: the output is cleaned
    (``clean_text``) after the allow-list, not only the input.
    """
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # A style attribute whose every property was filtered out is left empty.
    return clean_text(cleaned.replace(' style=""', "")).strip()
