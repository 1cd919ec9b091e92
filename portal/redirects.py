"""Editors' manual redirects (django.contrib.redirects), held to safe targets.

A redirect sends a reader's browser wherever its target says, from the
portal's own address: a ``javascript:`` or ``data:`` target runs in the
portal's name, and a scheme-relative one (``//evil.example``, or
``/\\evil.example``, which browsers read the same way) leads to another site
under a link that looks like ours. So a target is a path on the portal or a
full ``http(s)://`` address, with nothing hidden in it (browsers drop tabs
and line breaks inside an address and read a backslash as a slash). The
admin refuses anything else, and the middleware never follows a row that
got into the database some other way.
"""

import logging
import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.http import HttpResponsePermanentRedirect
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

HIDDEN = _(
    "Địa chỉ không được chứa khoảng trắng, ký tự điều khiển hay dấu “\\”. "
    "Hãy gõ lại địa chỉ, đừng dán từ nơi khác."
)
NOT_A_TARGET = _(
    "Chỉ chuyển hướng tới một đường dẫn trong cổng, bắt đầu bằng “/” (ví dụ "
    "/tin-tuc/cang-hai-phong-42/), hoặc một địa chỉ đầy đủ bắt đầu bằng http:// hay https://."
)
NOT_A_PATH = _(
    "Đường dẫn cũ phải là một đường dẫn trong cổng, bắt đầu bằng một dấu “/”, "
    "không có tên miền, ví dụ /tin-cu/cang.html."
)


def _has_hidden_characters(value: str) -> bool:
    return any(
        char.isspace() or char == "\\" or unicodedata.category(char).startswith("C")
        for char in value
    )


def _is_path(value: str) -> bool:
    """``/something`` on this site: not ``//host`` (another site), no scheme."""
    parts = urlsplit(value)
    return (
        value.startswith("/")
        and not value.startswith("//")
        and not parts.scheme
        and not parts.netloc
    )


def target_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a redirect's target, or None.
    Empty is a target: the old address answers 410 Gone."""
    if not value:
        return None
    if _has_hidden_characters(value):
        return HIDDEN
    parts = urlsplit(value)
    if parts.scheme:
        if parts.scheme.lower() in ("http", "https") and parts.hostname:
            return None
        return NOT_A_TARGET
    return None if _is_path(value) else NOT_A_TARGET


def old_path_problem(value: str) -> str | None:
    """What is wrong with ``value`` as the address a redirect answers, or None."""
    if _has_hidden_characters(value):
        return HIDDEN
    if not _is_path(value) or "#" in value:
        return NOT_A_PATH
    return None


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["site", "old_path", "new_path"]

    def clean_old_path(self):
        value = self.cleaned_data["old_path"]
        if problem := old_path_problem(value):
            raise forms.ValidationError(problem, code="invalid")
        return value

    def clean_new_path(self):
        value = self.cleaned_data["new_path"]
        if problem := target_problem(value):
            raise forms.ValidationError(problem, code="invalid")
        return value


class UnsafeRedirect(Exception):
    pass


class SafeRedirectFallbackMiddleware(RedirectFallbackMiddleware):
    """Django's redirect fallback, which answers the page's own 404 instead of
    following a redirect whose target the admin would refuse."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except UnsafeRedirect as refused:
            logger.warning(
                "Redirect from %s not followed: its target %r is not a path on the "
                "portal or an http(s) address; correct it in the admin",
                request.path,
                str(refused),
            )
            return response

    def response_redirect_class(self, target):
        if target_problem(target):
            raise UnsafeRedirect(target)
        return HttpResponsePermanentRedirect(target)
