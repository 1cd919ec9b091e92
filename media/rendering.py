"""HTML for library images and documents: ``<picture>`` with ``srcset``, document labels.

Used by the ``{% picture %}`` template tag and when an article body is
rendered at save time, so both print the same markup.
"""

import logging
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

from media.models import Document, Image

logger = logging.getLogger(__name__)

# The article column is about 760 px wide on a desktop, the full screen on a phone.
ARTICLE_SIZES = "(min-width: 1024px) 760px, 100vw"


def picture_html(
    image: Image,
    *,
    alt: str | None = None,
    sizes: str = ARTICLE_SIZES,
    lazy: bool = True,
    css_class: str = "",
) -> str:
    """A ``<picture>`` offering WebP, with a JPEG ``<img>`` of the right size as fallback."""
    renditions = image.available_renditions()
    webp = sorted((r for r in renditions if r.format == "webp"), key=lambda r: r.width)
    jpeg = sorted((r for r in renditions if r.format == "jpeg"), key=lambda r: r.width)
    if not jpeg:  # renditions not built yet: the cleaned original still works
        src, srcset = image.file.url, ""
    else:
        fallback = next((r for r in jpeg if r.width >= 1024), jpeg[-1])
        src = fallback.url
        srcset = ", ".join(f"{r.url} {r.width}w" for r in jpeg)
    alt_text = image.alt_text if alt is None else alt
    attributes = [
        f'src="{escape(src)}"',
        f'srcset="{escape(srcset)}"' if srcset else "",
        f'sizes="{escape(sizes)}"' if srcset else "",
        f'width="{image.width}" height="{image.height}"',
        f'alt="{escape(alt_text)}"',
        'loading="lazy"' if lazy else "",
        'decoding="async"',
        f'class="{escape(css_class)}"' if css_class else "",
    ]
    webp_srcset = ", ".join(f"{r.url} {r.width}w" for r in webp)
    source = (
        f'<source type="image/webp" srcset="{escape(webp_srcset)}" sizes="{escape(sizes)}">'
        if webp
        else ""
    )
    return f"<picture>{source}<img {' '.join(a for a in attributes if a)}></picture>"


def media_name(url: str, prefix: str) -> str | None:
    """The storage name behind a URL under ``prefix`` (relative or on SITE_URL), else None."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "//[x": not a URL of ours, whatever a browser makes of it
        return None
    if parts.scheme or parts.netloc:
        site = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
    path = parts.path
    return path[len(prefix) :] if path.startswith(prefix) else None


DOCUMENT_PATH = re.compile(r"^/tai-lieu/(?P<pk>\d+)/")


@dataclass
class RenderedBody:
    html: str
    images: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    # The alt text the body gives each library image, by image id.
    alts: dict = field(default_factory=dict)


class _Locator(HTMLParser):
    """Finds ``<img>`` tags and the ends of ``<a>`` elements, with their offsets in the source.

    The parser gives a tag's place as a line and column, and counts lines by
    "\n" alone; the line starts here are counted the same way. (A body may
    hold other characters that ``str.splitlines`` breaks at: \v, \f,
    \x1c to \x1e, \x85, \u2028, \u2029.) Each offset is also checked
    against the source before it is kept: a tag not found where the parser
    placed it stays as it is, rather than being cut out with its neighbours.
    """

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", source))]
        self.images = []  # (start, end, attrs)
        self.links = []  # [attrs, offset after the closing tag or None]
        self._open_links = []

    def _offset(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            start, text = self._offset(), self.get_starttag_text()
            if self.source.startswith(text, start):
                self.images.append((start, start + len(text), dict(attrs)))
            else:
                logger.error("Body image tag not at its parsed position %s: %r", start, text)
        elif tag == "a":
            self._open_links.append(len(self.links))
            self.links.append([dict(attrs), None])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "a" and self._open_links:
            index = self._open_links.pop()
            start = self._offset()
            close = self.source.find(">", start)
            if self.source[start : start + 3].lower() == "</a" and close != -1:
                self.links[index][1] = close + 1
            else:
                logger.error("Body link end not at its parsed position %s", start)


def render_body(html: str) -> RenderedBody:
    """Rewrite library images as responsive pictures and label document links.

    ``html`` is a body that has already been sanitised. Images that are not
    in the library (inserted by URL) are kept as they are.
    """
    locator = _Locator(html)
    locator.feed(html)
    locator.close()

    image_names = {
        name: attrs
        for _start, _end, attrs in locator.images
        if (name := media_name((attrs.get("src") or ""), settings.MEDIA_URL))
    }
    images = {image.file.name: image for image in Image.objects.filter(file__in=list(image_names))}
    document_ids = {}
    for index, (attrs, _end) in enumerate(locator.links):
        path = media_name((attrs.get("href") or ""), "")
        match = DOCUMENT_PATH.match(path or "")
        if match:
            document_ids[index] = int(match["pk"])
    documents = Document.objects.in_bulk(set(document_ids.values()))

    edits = []  # (start, end, replacement)
    alts = {}
    first = True
    for start, end, attrs in locator.images:
        name = media_name((attrs.get("src") or ""), settings.MEDIA_URL)
        image = images.get(name)
        if image is None:
            continue
        if (attrs.get("alt") or "").strip():
            alts.setdefault(image.pk, attrs["alt"].strip())
        alt = attrs.get("alt") or image.alt_text
        edits.append((start, end, picture_html(image, alt=alt, lazy=not first)))
        first = False
    for index, pk in document_ids.items():
        document = documents.get(pk)
        end = locator.links[index][1]
        if document is None or end is None:
            continue
        label = f' <span class="document-meta">({escape(document.type_and_size)})</span>'
        edits.append((end, end, label))

    out, position = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(html[position:start])
        out.append(replacement)
        position = end
    out.append(html[position:])
    return RenderedBody(
        html="".join(out),
        images=list({image.pk: image for image in images.values()}.values()),
        documents=[documents[pk] for pk in dict.fromkeys(document_ids.values()) if pk in documents],
        alts=alts,
    )


def images_without_alt(html: str) -> list[str]:
    """File names of ``<img>`` tags in ``html`` with no or empty alt text."""
    locator = _Locator(html or "")
    locator.feed(html or "")
    locator.close()
    return [
        _file_name(attrs.get("src") or "")
        for _start, _end, attrs in locator.images
        if not (attrs.get("alt") or "").strip()
    ]


def _file_name(url: str) -> str:
    try:
        return urlsplit(url).path.rsplit("/", 1)[-1] or "?"
    except ValueError:
        return "?"
