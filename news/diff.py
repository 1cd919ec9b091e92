"""Readable differences between two revisions of an article, word by word."""

import difflib
import re
from html import escape

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from news.models import Article
from portal.sanitize import sanitize_html

COMPARED_FIELDS = ["title", "lead", "body", "author_byline", "source"]
# Words, runs of spaces and single punctuation marks, so that "quận." and
# "quận Hồng Bàng." differ by the added words only.
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def readable_text(value, field: str) -> str:
    """A field's text as readers read it: a body's paragraphs as lines, no markup."""
    text = value or ""
    if field == "body":
        # Compare what readers read: paragraphs as lines, markup left out. A
        # version stored before today's allow-list is cleaned first, as a
        # restore would clean it (and the tag stripper needs parseable markup).
        text = sanitize_html(text)
        text = re.sub(r"</(p|h[2-6]|li|figcaption|tr)>", "\n", text)
        text = strip_tags(text).replace("&nbsp;", " ")
    return text


def word_diff(old: str, new: str) -> str:
    """HTML of ``new`` with removed words in <del> and added words in <ins>."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece escaped


def version_diff(old: dict, new: dict) -> list[dict]:
    """For each compared field that differs: its label and the word diff."""
    changes = []
    for field in COMPARED_FIELDS:
        before, after = readable_text(old.get(field), field), readable_text(new.get(field), field)
        if before != after:
            changes.append(
                {
                    "label": Article._meta.get_field(field).verbose_name,
                    "diff": word_diff(before, after),
                }
            )
    return changes
