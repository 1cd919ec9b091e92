"""The editorial workflow: each transition checks permission, records who and
when, writes an audit entry and stores a revision, all in one transaction.

Draft → Pending review → Published (now or at a future time) → Unpublished,
plus the trash. The admin's buttons and bulk actions call these functions and
nothing else changes an article's status.
"""

from datetime import timedelta

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from news import permissions
from news.models import Article, ArticleEvent

TRASH_DAYS = 30


class TransitionRefused(Exception):
    """A transition that makes no sense from the article's state; ``str()`` says why."""


def _require(allowed: bool, message: str):
    if not allowed:
        raise PermissionDenied(message)


def _record(article: Article, user, action: str, comment: str = "", *, fields):
    with reversion.create_revision():
        article.save(update_fields=fields)
        reversion.set_user(user)
        reversion.set_comment(f"{ArticleEvent.Action(action).label}: {comment}".rstrip(": "))
    ArticleEvent.objects.create(article=article, action=action, actor=user, comment=comment)


@transaction.atomic
def article_submit(*, article: Article, user) -> Article:
    """A reporter hands a draft to the editors."""
    _require(permissions.can_submit(user, article), _("Bạn không thể gửi duyệt bài này."))
    article.status = Article.Status.REVIEW
    _record(article, user, ArticleEvent.Action.SUBMITTED, fields=["status"])
    return article


@transaction.atomic
def article_send_back(*, article: Article, user, comment: str) -> Article:
    """An editor returns a submitted article to its reporter, saying why."""
    _require(permissions.can_send_back(user, article), _("Bạn không thể trả lại bài này."))
    if not comment.strip():
        raise TransitionRefused(_("Hãy ghi lý do trả lại bài để phóng viên biết cần sửa gì."))
    article.status = Article.Status.DRAFT
    _record(article, user, ArticleEvent.Action.SENT_BACK, comment.strip(), fields=["status"])
    return article


@transaction.atomic
def article_publish(*, article: Article, user, at=None) -> Article:
    """Publish now, or at ``at`` when it is in the future (no job needs to run then)."""
    _require(permissions.can_publish(user, article), _("Bạn không có quyền xuất bản bài."))
    if article.is_public and at is None:
        raise TransitionRefused(_("Bài đã được xuất bản."))
    now = timezone.now()
    article.published_at = at or now
    article.status = Article.Status.PUBLISHED
    scheduled = article.published_at > now
    action = ArticleEvent.Action.SCHEDULED if scheduled else ArticleEvent.Action.PUBLISHED
    when = timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M")
    comment = _("Hẹn giờ %(at)s") % {"at": when} if scheduled else ""
    _record(article, user, action, comment, fields=["status", "published_at"])
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user, comment: str = "") -> Article:
    _require(permissions.can_unpublish(user, article), _("Bạn không thể gỡ bài này."))
    article.status = Article.Status.UNPUBLISHED
    _record(article, user, ArticleEvent.Action.UNPUBLISHED, comment, fields=["status"])
    return article


@transaction.atomic
def article_trash(*, article: Article, user) -> Article:
    _require(permissions.can_trash(user, article), _("Bạn không thể bỏ bài này vào thùng rác."))
    article.deleted_at = timezone.now()
    _record(article, user, ArticleEvent.Action.TRASHED, fields=["deleted_at"])
    return article


@transaction.atomic
def article_restore(*, article: Article, user) -> Article:
    _require(permissions.can_restore(user, article), _("Bạn không thể khôi phục bài này."))
    article.deleted_at = None
    _record(article, user, ArticleEvent.Action.RESTORED, fields=["deleted_at"])
    return article


@transaction.atomic
def article_purge(*, article: Article, user) -> None:
    """Delete for good: administrators only, and only from the trash."""
    _require(
        permissions.can_purge(user, article),
        _("Chỉ quản trị viên được xóa vĩnh viễn bài trong thùng rác."),
    )
    article.delete()


def trash_purge_expired(*, days: int = TRASH_DAYS, now=None) -> int:
    """Delete articles that have been in the trash longer than ``days``. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = Article.objects.filter(deleted_at__lt=cutoff)
    count = expired.count()
    with transaction.atomic():
        expired.delete()
    return count


def scheduled_went_live(*, since, now=None):
    """Articles whose publication time fell between ``since`` and ``now``."""
    now = now or timezone.now()
    return Article.objects.live().filter(
        status=Article.Status.PUBLISHED, published_at__gt=since, published_at__lte=now
    )
