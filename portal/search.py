"""Accent-insensitive matching, so "hong bang" finds "Hồng Bàng" and "Uỷ" finds "Ủy"."""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from portal.text import nfc, slugify_vi


def unaccent_search(queryset, fields: list[str], query: str):
    """Rows where every word of ``query`` is in one of ``fields``, ignoring accents and case.

    PostgreSQL's ``unaccent`` strips tone and vowel marks (and maps Đ to D)
    on both sides, so where a tone mark sits ("Uỷ"/"Ủy") does not matter.
    """
    opts = queryset.model._meta

    def condition(field: str, word: str) -> Q:
        if "__" not in field and isinstance(opts.get_field(field), models.FileField):
            # Stored file names are already slugs: compare with the word's slug.
            return Q(**{f"{field}__icontains": slugify_vi(word) or word})
        return Q(**{f"{field}__unaccent__icontains": word})

    for word in nfc(query).split():
        queryset = queryset.filter(reduce(or_, (condition(field, word) for field in fields)))
    return queryset


class UnaccentSearchMixin:
    """For a ModelAdmin: the search box ignores accents and tone-mark placement."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return unaccent_search(queryset, self.search_fields, search_term), False
