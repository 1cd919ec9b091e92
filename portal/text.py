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
