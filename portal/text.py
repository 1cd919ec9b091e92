"""Vietnamese text helpers shared by every app."""

import unicodedata

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


def slugify_vi(text: str, max_length: int = 200) -> str:
    """``Đồng chí Lê Thị Vân`` → ``dong-chi-le-thi-van``, cut at a word boundary."""
    slug = slugify(unicodedata.normalize("NFC", text or "").translate(_DD))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")
