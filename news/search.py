"""Vietnamese full-text search over articles.

Two tsvectors are stored with each article when it is saved: one of the
text with its accents, one folded (``unaccent``), both with the 'simple'
configuration (Vietnamese words are syllables: nothing to stem). A query
matches the folded vector, so "hong bang" finds "Hồng Bàng" and "Uỷ ban"
finds "Ủy ban"; the accented vector adds to the rank, so "má" puts "má"
above "ma". Weights put the title (A) above the sapo (B), the body (C) and
the byline (D). Both vectors have GIN indexes.
"""

import re
import unicodedata
from html import escape

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from portal.text import nfc

MAX_QUERY_LENGTH = 200
CONFIG = "simple"
FIELDS = [("title", "A"), ("lead", "B"), ("body_text", "C"), ("author_byline", "D")]
# How much an accent-exact match adds over a folded one.
EXACT_BONUS = 2.0


def fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    return unicodedata.normalize("NFD", char)[0]


def fold(text: str) -> str:
    """``Hồng Bàng`` → ``Hong Bang``: one character for each NFC character."""
    return "".join(fold_char(c) for c in nfc(text or ""))


def clean_query(query: str) -> str:
    return " ".join(nfc(query or "").split())[:MAX_QUERY_LENGTH]


def vectors():
    """The expressions of the two stored vectors, for an UPDATE."""
    folded = exact = None
    for field, weight in FIELDS:
        value = Coalesce(F(field), Value(""), output_field=TextField())
        part_folded = SearchVector(Unaccent(value), config=CONFIG, weight=weight)
        part_exact = SearchVector(value, config=CONFIG, weight=weight)
        folded = part_folded if folded is None else folded + part_folded
        exact = part_exact if exact is None else exact + part_exact
    return {"search_folded": folded, "search_exact": exact}


def search(queryset, query: str):
    """Articles matching ``query``, best first, annotated with ``rank``."""
    query = clean_query(query)
    folded_query = SearchQuery(fold(query), config=CONFIG, search_type="websearch")
    exact_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    return (
        queryset.filter(search_folded=folded_query)
        .annotate(
            rank=SearchRank(F("search_folded"), folded_query)
            + EXACT_BONUS * SearchRank(F("search_exact"), exact_query)
        )
        .order_by("-rank", "-published_at")
    )


def similar_titles(queryset, query: str, limit: int = 5):
    """For a query with no results: articles whose title is closest, despite typos."""
    return (
        queryset.annotate(
            similarity=TrigramWordSimilarity(fold(clean_query(query)), Unaccent("title"))
        )
        .filter(similarity__gt=0.4)
        .order_by("-similarity")[:limit]
    )


def highlight(text: str, query: str, length: int = 260) -> str:
    """An excerpt of ``text`` around the first match, matched words in <mark>."""
    text = nfc(text or "")
    words = [w for w in re.findall(r"\w+", fold(query).lower()) if len(w) > 1]
    folded = fold(text).lower()  # same length as ``text``: positions carry over
    spans = []
    for word in words:
        for match in re.finditer(rf"\b{re.escape(word)}\b", folded):
            spans.append(match.span())
    if not spans:
        excerpt = text[:length]
        return escape(excerpt + ("…" if len(text) > length else ""))
    spans.sort()
    start = max(0, spans[0][0] - length // 3)
    end = min(len(text), start + length)
    out, position = [], start
    for s, e in spans:
        if s < position or e > end:
            continue
        out.append(escape(text[position:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        position = e
    out.append(escape(text[position:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece escaped
