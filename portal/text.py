"""Vietnamese text helpers shared by every app."""

import re
import unicodedata
from functools import reduce
from operator import or_

from django.db import models
from django.utils.text import slugify

# Đ/đ is a letter of its own, not D with a diacritic, so Unicode
# decomposition leaves it alone and Django's slugify drops it ("dong chi"
# would become "ong-chi"). Map it before slugify does the rest.
_DD = str.maketrans({"Đ": "D", "đ": "d"})


def nfc(text: str | None) -> str | None:
    """Return ``text`` in Unicode NFC, the form the database stores.

    Text pasted from Word or typed on macOS often arrives decomposed (NFD):
    the same word then has two spellings and search and uniqueness break.
    """
    if text is None:
        return None
    return unicodedata.normalize("NFC", text)


# Characters no text field keeps. Line breaks of other kinds (Word's
# Shift+Enter pastes a vertical tab; U+2028 and U+2029 come from PDFs and
# some editors) become a newline, or a space in a one-line field. Other C0
# and C1 controls, which XML 1.0 forbids or discourages and PostgreSQL cannot
# store (NUL), are dropped, as are the noncharacters (U+FFFE, U+FFFF and
# their kin, two of which XML also forbids). A lone surrogate (half of a
# character, from a broken encoding) cannot be written as UTF-8 at all: it
# becomes U+FFFD, the replacement character. Tab and newline stay.
# Written as regular-expression escapes that Python and PostgreSQL both read.
_BREAKS = r"\x0b\x0c\x85\u2028\u2029"
_CONTROLS = r"\x01-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
_NONCHARACTERS = r"\ufdd0-\ufdef" + "".join(
    rf"\U{plane + 0xFFFE:08x}-\U{plane + 0xFFFF:08x}" for plane in range(0, 0x110000, 0x10000)
)
_UNSAFE = re.compile(rf"[\r\x00{_BREAKS}{_CONTROLS}{_NONCHARACTERS}\ud800-\udfff]")
_NEWLINES = re.compile(rf"\r\n?|[{_BREAKS}]")
_DROP = re.compile(rf"[\x00{_CONTROLS}{_NONCHARACTERS}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# For finding rows stored before text was cleaned. No carriage return: it is
# harmless on its own, and every row typed in a text area has one; PostgreSQL
# cannot store a NUL or a surrogate.
UNSAFE_SQL_PATTERN = f"[{_BREAKS}{_CONTROLS}{_NONCHARACTERS}]"


def clean_text(text: str | None, *, multiline: bool = True) -> str | None:
    """``text`` as every text field stores it: NFC, newlines as ``\\n``, no
    control characters but tab and newline, nothing XML 1.0 cannot carry.

    In a ``multiline`` field other line breaks become a newline; in a
    one-line field every line break becomes a space.
    """
    if text is None:
        return None
    if _UNSAFE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
        text = _NEWLINES.sub("\n", text)
        text = _DROP.sub("", text)
    if not multiline and "\n" in text:
        text = text.replace("\n", " ")
    return nfc(text)


def text_fields(model) -> list[models.Field]:
    """The text columns staff, imports and commands fill: every editable
    ``CharField`` and ``TextField`` (rich text, slugs, addresses included).
    Columns derived on save (``editable=False``) are left out: sort keys
    hold control characters on purpose. So are primary keys, which name the
    row rather than hold its text."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and isinstance(field, models.CharField | models.TextField)
    ]


def _clean_field(field, value):
    if not isinstance(value, str):
        return value
    return clean_text(value, multiline=isinstance(field, models.TextField))


class CleanTextMixin:
    """Clean every text field on ``save()`` (``clean_text``), for every model
    a person or an import fills, so a field added later is cleaned too.

    A ``save()`` that derives something from the text (a slug, a sort key,
    the search terms) calls ``clean_text_fields()`` first.
    """

    def clean_text_fields(self) -> None:
        for field in text_fields(type(self)):
            value = getattr(self, field.attname)
            cleaned = _clean_field(field, value)
            if cleaned is not value:
                setattr(self, field.attname, cleaned)

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        super().save(*args, **kwargs)


def clean_stored_text(model, *, also=()) -> list:
    """Clean the text fields of ``model``'s rows stored before they were
    cleaned on save, and return the primary keys of the rows changed.

    For data migrations: PostgreSQL finds the few rows that need it, and
    they are written with ``bulk_update`` (no ``save()``, nothing derived).
    ``also`` names non-editable columns derived from the text to clean too.
    """
    fields = [*text_fields(model), *(model._meta.get_field(name) for name in also)]
    if not fields:
        return []
    condition = reduce(
        or_, (models.Q(**{f"{field.attname}__regex": UNSAFE_SQL_PATTERN}) for field in fields)
    )
    changed = []
    rows = model._base_manager.filter(condition).only("pk", *(f.attname for f in fields))
    for row in rows.iterator(chunk_size=500):
        before = [getattr(row, field.attname) for field in fields]
        for field in fields:
            setattr(row, field.attname, _clean_field(field, getattr(row, field.attname)))
        if [getattr(row, field.attname) for field in fields] != before:
            changed.append(row)
    if changed:
        model._base_manager.bulk_update(changed, [f.attname for f in fields], batch_size=500)
    return [row.pk for row in changed]


def slugify_vi(text: str, max_length: int = 200) -> str:
    """``Đồng chí Lê Thị Vân`` → ``dong-chi-le-thi-van``, cut at a word boundary."""
    slug = slugify(unicodedata.normalize("NFC", text or "").translate(_DD))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


# Vietnamese alphabetical order (with f, j, w, z for foreign names), used for
# sort keys: ă and â are letters of their own after a, đ comes after d.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_WEIGHT = {letter: index for index, letter in enumerate(_ALPHABET)}
# Marks that make a different letter (breve, circumflex, horn)...
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_COMPOSED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# ...and tone marks, which only break ties, in dictionary order:
# ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_WEIGHT = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str):
    """Yield (base letter or character, tone weight) for each letter of ``text``."""
    base, tone = None, 0
    for char in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.combining(char):
            if char in _TONE_WEIGHT:
                tone = _TONE_WEIGHT[char]
            elif base is not None and char in _LETTER_MARKS:
                base = _COMPOSED.get((base, char), base)
            continue
        if base is not None:
            yield base, tone
        base, tone = char, 0
    if base is not None:
        yield base, tone


def vi_sort_key(text: str) -> str:
    """A key that sorts Vietnamese text in dictionary order under the "C" collation.

    ``An`` < ``Ánh`` < ``Ăn`` < ``Bình`` < ``Dung`` < ``Đào``: letters first,
    tone marks only to break ties, case ignored. PostgreSQL's ICU ``vi``
    collation does the same, but not every PostgreSQL build has ICU (the
    embedded development server does not), so the key is stored with the row.
    """
    primary, secondary = [], []
    for char, tone in _letters(text or ""):
        weight = _LETTER_WEIGHT.get(char)
        if weight is not None:
            primary.append(chr(0x100 + weight))
            secondary.append(chr(0x30 + tone))
        elif char.isspace():
            primary.append(" ")
        elif char.isalnum():
            # Digits sort before letters, other scripts after them.
            primary.append(char if char.isdigit() else chr(0x200 + ord(char)))
        # Punctuation does not take part in the order.
    return "".join(primary).strip() + "\x01" + "".join(secondary)
