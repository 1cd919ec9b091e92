"""Requests no page can answer sensibly, refused before any view sees them."""

import logging

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


class RefuseNulMiddleware:
    """Answer 400 to a NUL character in the path or the query string.

    PostgreSQL cannot hold NUL in text, so no value with one can be looked
    up: every search box, list filter and autocomplete would otherwise fail
    at the database with a 500. No reader or editor types one; the page says
    so in Vietnamese. Posted forms are left to their fields, which refuse a
    NUL with a message beside the field and keep the rest of what was typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            logger.warning("Refused a request with a NUL character: %s", request.path[:200])
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)
