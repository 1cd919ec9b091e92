"""The public XSS payload corpus and a check for what a browser would run.

``tests/data/xss-payload-list.txt`` is payloadbox/xss-payload-list (MIT, see
the licence beside it). ``dangerous_markup`` parses a page the way a browser
tokenises it and lists everything that could run script or change where the
page sends people: the tests compare a page carrying payloads with the same
page carrying harmless text, so the portal's own scripts and search form are
not counted against it.
"""

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

PAYLOADS = (
    (Path(__file__).parent / "data" / "xss-payload-list.txt")
    .read_text(encoding="utf-8", errors="replace")
    .splitlines()
)

FORBIDDEN_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "style",
    "base",
    "link",
    "meta",
    "svg",
    "math",
}
FORBIDDEN_SCHEMES = {"javascript", "vbscript", "livescript"}


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: it drops tabs and newlines anywhere, and
    leading spaces and control characters, before reading ``scheme:``."""
    value = re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c")
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", value)
    return match.group(1).lower() if match else None


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = Counter()

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
            self.found[f"<{tag}>"] += 1
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found[f"{name}="] += 1
            scheme = url_scheme(value)
            if scheme in FORBIDDEN_SCHEMES:
                self.found[f"{scheme}: URL"] += 1
            if scheme == "data" and re.match(r"(?i)\s*data:\s*text/html", value):
                self.found["data:text/html URL"] += 1

    handle_startendtag = handle_starttag


def dangerous_markup(html: str) -> Counter:
    """Each kind of runnable or redirecting markup in ``html``, with its count."""
    finder = _Finder()
    try:
        finder.feed(html)
        finder.close()
    except AssertionError:  # markup too broken for the parser: count it as unsafe
        finder.found["unparseable markup"] += 1
    return finder.found
