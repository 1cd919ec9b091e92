"""Vietnamese full-text search over articles.

Two tsvectors are stored with each article when it is saved: one of the
text with its accents, one folded (``unaccent``), both with the 'simple'
configuration (Vietnamese words are syllables: nothing to stem). A query
matches the folded vector, so "hong bang" finds "Hồng Bàng" and "Uỷ ban"
finds "Ủy ban"; the accented vector adds to the rank, so "má" puts "má"
above "ma". Weights put the title (A) above the sapo (B), the body (C) and
the byline (D). Both vectors have GIN indexes.
"""

import functools
import re
import unicodedata
from html import escape

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz.distance import OSA

from portal.text import nfc

MAX_QUERY_LENGTH = 200
MAX_CANDIDATES = 500
MAX_CORRECTED_WORDS = 8
WORD = re.compile(r"[^\W\d_]{2,40}")
CONFIG = "simple"
FIELDS = [("title", "A"), ("lead", "B"), ("body_text", "C"), ("author_byline", "D")]
# How much an accent-exact match adds over a folded one.
EXACT_BONUS = 2.0


def fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    return unicodedata.normalize("NFD", char)[0]


class _FoldTable(dict):
    """A ``str.translate`` table that learns each character the first time it is met."""

    def __missing__(self, codepoint: int) -> str:
        self[codepoint] = folded = fold_char(chr(codepoint))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """``Hồng Bàng`` → ``Hong Bang``: one character for each NFC character."""
    # translate() walks the text in C; search results fold whole article bodies.
    return nfc(text or "").translate(_FOLD_TABLE)


def clean_query(query: str) -> str:
    """The query as searched: NFC, single spaces, no control or other invisible
    characters (PostgreSQL refuses a NUL in text), at most MAX_QUERY_LENGTH."""
    words = nfc(query or "").split()
    text = " ".join(words)
    text = "".join(char for char in text if unicodedata.category(char)[0] != "C")
    return text[:MAX_QUERY_LENGTH]


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


def queries(query: str) -> tuple[SearchQuery, SearchQuery]:
    """The folded query that finds articles, and the accented one that adds to the rank."""
    query = clean_query(query)
    return (
        SearchQuery(fold(query), config=CONFIG, search_type="websearch"),
        SearchQuery(query, config=CONFIG, search_type="websearch"),
    )


def matching(queryset, query: str):
    """The articles of ``queryset`` matching ``query``, most recent first."""
    folded_query, _ = queries(query)
    return queryset.filter(search_folded=folded_query).order_by("-published_at")


def search(queryset, query: str, *, candidates: int | None = None) -> list[int]:
    """The ids of the articles matching ``query``, best first, in one query.

    Only the ``candidates`` (default ``MAX_CANDIDATES``) most recent matches
    are ranked. A word found in most articles would otherwise make
    PostgreSQL rank the whole archive on every request; for news, the best
    of the latest 500 matches is what a reader wants, and the cost stays
    the same as the archive grows. The rank is computed in the same index
    scan that finds them (only for the rows the limit keeps), and they are
    put in order by an outer query over that result: joining back to the
    table read every row a second time, and sorting in Python meant sending
    every rank and time over (turning 500 timestamps into datetimes cost
    more than the sort). Ids are cheap to page through in Python; the
    page's rows are loaded after.
    """
    folded_query, exact_query = queries(query)
    ranked = (
        matching(queryset, query)
        .annotate(
            rank=SearchRank(F("search_folded"), folded_query)
            + EXACT_BONUS * SearchRank(F("search_exact"), exact_query)
        )
        .values_list("pk", "rank", "published_at")[: candidates or MAX_CANDIDATES]
    )
    sql, params = ranked.query.sql_with_params()
    with connections[ranked.db].cursor() as cursor:
        cursor.execute(
            f"SELECT c.pk FROM ({sql}) c ORDER BY c.rank DESC, c.published_at DESC",  # noqa: S608 - the ORM's own SQL, parameters apart
            params,
        )
        return [pk for (pk,) in cursor.fetchall()]


def terms(*texts: str) -> set[str]:
    """The words of ``texts`` as the typo dictionary stores them: folded, lower case."""
    return {word for text in texts for word in WORD.findall(fold(text).lower())}


def rebuild_terms(using=None) -> int:
    """Recount the typo dictionary from the stored search vectors of the
    public articles (``Article.objects.published()``); return its size.

    Each folded vector is read once and each of its words counted once per
    article. Words no public article has any more go: those only in drafts,
    the trash or scheduled articles are never suggested.
    """
    from news.models import Article

    alias = using or DEFAULT_DB_ALIAS
    public = Article.objects.using(alias).published().order_by().values("search_folded")
    sql, params = public.query.sql_with_params()
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"""
            WITH counted AS MATERIALIZED (
                SELECT t.lexeme AS word, count(*) AS ndoc
                FROM ({sql}) a, unnest(a.search_folded) t
                WHERE char_length(t.lexeme) BETWEEN 2 AND 40 AND t.lexeme !~ '[[:digit:]_]'
                GROUP BY t.lexeme
            ), removed AS (
                DELETE FROM news_searchterm t
                WHERE NOT EXISTS (SELECT 1 FROM counted c WHERE c.word = t.word)
            )
            INSERT INTO news_searchterm (word, articles) SELECT word, ndoc FROM counted
            ON CONFLICT (word) DO UPDATE SET articles = EXCLUDED.articles
            """,  # noqa: S608 - the ORM's own SQL, parameters apart
            params,
        )
        cursor.execute("SELECT count(*) FROM news_searchterm")
        return cursor.fetchone()[0]


def corrected_query(query: str) -> str | None:
    """``hong bnag`` → ``hong bang``, or None when no word needs correcting.

    A word that no article contains is replaced by the dictionary word
    closest to it: fewest edits (a swap of two letters counts as one), at
    most one for words of up to four letters and two for longer ones, then
    the word more articles use. PostgreSQL narrows the dictionary to words
    within two plain edits; the final choice is made here.
    """
    words = WORD.findall(fold(clean_query(query)).lower())[:MAX_CORRECTED_WORDS]
    if not words:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.n, c.word, c.articles
            FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, n)
            CROSS JOIN LATERAL (
                SELECT t.word, t.articles FROM news_searchterm t WHERE t.word = q.word
                UNION ALL
                (SELECT t.word, t.articles FROM news_searchterm t
                 WHERE NOT EXISTS (SELECT 1 FROM news_searchterm e WHERE e.word = q.word)
                   AND levenshtein_less_equal(t.word, q.word, 2) <= 2
                 ORDER BY levenshtein(t.word, q.word), t.articles DESC
                 LIMIT 30)
            ) c
            """,
            [words],
        )
        candidates: dict[int, list[tuple[str, int]]] = {}
        for n, word, articles in cursor.fetchall():
            candidates.setdefault(n - 1, []).append((word, articles))
    corrected = []
    for n, word in enumerate(words):
        allowed = 1 if len(word) <= 4 else 2
        scored = [
            (OSA.distance(word, candidate), -articles, candidate)
            for candidate, articles in candidates.get(n, [])
        ]
        best = min((s for s in scored if s[0] <= allowed), default=None)
        corrected.append(best[2] if best else word)
    return " ".join(corrected) if corrected != words else None


# Letters that fold to another one (``fold``): Latin with its Vietnamese
# letters, Greek, Cyrillic. Other scripts have no accents to ignore here.
_FOLDING_RANGES = ((0x00, 0x600), (0x1E00, 0x2000))


@functools.cache
def _letter_classes() -> dict[str, str]:
    """Each folded lower-case letter → a regex class of every letter that folds to it:
    ``"o"`` → ``[OoÒÓÔ…ỢợỜờ]``, 67 in all."""
    variants: dict[str, set[str]] = {}
    for first, last in _FOLDING_RANGES:
        for codepoint in range(first, last):
            char = chr(codepoint)
            folded = fold_char(char).lower()
            if len(folded) == 1:
                variants.setdefault(folded, {folded}).add(char)
    return {
        letter: "[" + "".join(map(re.escape, sorted(chars))) + "]"
        for letter, chars in variants.items()
        if len(chars) > 1
    }


def _match_pattern(query: str) -> re.Pattern | None:
    """A regex that finds the query's words in the text as written, whatever
    their accents and case: "hong" matches "Hồng", "uy" matches "Uỷ" and "Ủy"."""
    words = {w for w in re.findall(r"\w+", fold(query).lower()) if len(w) > 1}
    if not words:
        return None
    classes = _letter_classes()
    alternatives = "|".join(
        "".join(classes.get(char) or re.escape(char) for char in word)
        for word in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{alternatives})\b")


def highlight(text: str, query: str, length: int = 260) -> SafeString:
    """An excerpt of ``text`` around the first match, matched words in <mark>,
    as safe HTML (every piece of ``text`` escaped once); the start of the
    text when nothing matches (a result found by its title).

    The text is searched as it is, with a class of letters for each letter
    of the folded query: folding a whole article body to search it cost
    more than the rest of a result.
    """
    text = nfc(text or "")
    pattern = _match_pattern(query)
    first = pattern.search(text) if pattern else None
    if first is None:
        # Safe like the marked excerpt below: a template would escape it again.
        return mark_safe(escape(text[:length] + ("…" if len(text) > length else "")))  # noqa: S308
    start = max(0, first.start() - length // 3)
    end = min(len(text), start + length)
    out, position = [], start
    # A word the excerpt's end cuts is not marked.
    for match in pattern.finditer(text, start):
        s, e = match.span()
        if e > end:
            break
        out.append(escape(text[position:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        position = e
    out.append(escape(text[position:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece escaped
