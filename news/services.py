"""The editorial workflow: each transition checks permission, records who and
when, writes an audit entry and stores a revision, all in one transaction.

Draft → Pending review → Published (now or at a future time) → Unpublished,
plus the trash. The admin's buttons and bulk actions call these functions and
nothing else changes an article's status.
"""

from datetime import timedelta

import reversion
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Revision, Version

from media.models import Image
from news import permissions
from news.models import Article, ArticleEvent, Category, GalleryItem, new_preview_key

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
def article_withdraw(*, article: Article, user) -> Article:
    """The author takes an article back from review: it is a draft of theirs again."""
    _require(permissions.can_withdraw(user, article), _("Bạn không thể rút lại bài này."))
    article.status = Article.Status.DRAFT
    _record(article, user, ArticleEvent.Action.WITHDRAWN, fields=["status"])
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
    _require_publishable(article)
    now = timezone.now()
    article.published_at = at or now
    article.status = Article.Status.PUBLISHED
    # A preview link is for a draft; once published, readers use the public
    # address, and the link must not open the article again if it is taken down.
    article.preview_key = new_preview_key()
    scheduled = article.published_at > now
    action = ArticleEvent.Action.SCHEDULED if scheduled else ArticleEvent.Action.PUBLISHED
    when = timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M")
    comment = _("Hẹn giờ %(at)s") % {"at": when} if scheduled else ""
    _record(article, user, action, comment, fields=["status", "published_at", "preview_key"])
    return article


def _require_publishable(article: Article) -> None:
    """The publication rules, whoever publishes: the form, a bulk action, a restore."""
    problems = article.publication_problems(include_gallery=True)
    if problems:
        raise TransitionRefused(" ".join(str(message) for message in problems.values()))


@transaction.atomic
def article_unpublish(*, article: Article, user, comment: str = "") -> Article:
    _require(permissions.can_unpublish(user, article), _("Bạn không thể gỡ bài này."))
    article.status = Article.Status.UNPUBLISHED
    # Links handed out before publication stay dead: the article was taken down
    # for a reason, and whoever has an old link is not the one to read it now.
    article.preview_key = new_preview_key()
    _record(
        article, user, ArticleEvent.Action.UNPUBLISHED, comment, fields=["status", "preview_key"]
    )
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
    _delete_stored_versions([article.pk])
    article.delete()


def _delete_stored_versions(article_ids) -> None:
    """Forget the revisions of articles deleted for good: purged means gone.

    The article's versions go, with the gallery items saved in the same
    revisions; a revision left with nothing in it goes too.
    """
    article_type = ContentType.objects.get_for_model(Article)
    gallery_type = ContentType.objects.get_for_model(GalleryItem)
    revision_ids = set(
        Version.objects.filter(
            content_type=article_type, object_id__in=[str(pk) for pk in article_ids]
        ).values_list("revision_id", flat=True)
    )
    Version.objects.filter(revision_id__in=revision_ids).filter(
        models.Q(content_type=article_type, object_id__in=[str(pk) for pk in article_ids])
        | models.Q(content_type=gallery_type)
    ).delete()
    Revision.objects.filter(pk__in=revision_ids, version__isnull=True).delete()


def trash_purge_expired(*, days: int = TRASH_DAYS, now=None) -> int:
    """Delete articles that have been in the trash longer than ``days``. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = Article.objects.filter(deleted_at__lt=cutoff)
    with transaction.atomic():
        ids = list(expired.select_for_update().values_list("pk", flat=True))
        _delete_stored_versions(ids)
        Article.objects.filter(pk__in=ids).delete()
    return len(ids)


# What restoring an old version brings back: the content. The workflow state
# (status, times, trash), the address and the front-page placement stay as
# they are now; changing those is a transition of its own.
RESTORED_FIELDS = ["title", "lead", "body", "author_byline", "source", "original_url"]
RESTORED_RELATIONS = ["tags", "organizations", "people"]


def article_version(article_id, version_id) -> Version:
    """A stored version of this article, and of nothing else (ids of other models' versions
    and of other articles' versions are refused)."""
    version = (
        Version.objects.get_for_object_reference(Article, str(article_id))
        .select_related("revision")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise TransitionRefused(_("Không có phiên bản này của bài."))
    return version


def version_content(version: Version) -> dict:
    try:
        return version.field_dict
    except RevertError as error:
        raise TransitionRefused(_("Không đọc được phiên bản này.")) from error


def _apply_version(article: Article, version: Version, fields: dict) -> list[str]:
    """Put a version's content on ``article``; return notes on what could not come back."""
    notes = []
    for name in RESTORED_FIELDS:
        if name in fields:
            setattr(article, name, fields[name] if fields[name] is not None else "")
    category_id = fields.get("category_id")
    if category_id and Category.objects.filter(pk=category_id).exists():
        article.category_id = category_id
    elif category_id != article.category_id:
        notes.append(_("Chuyên mục cũ không còn, bài giữ chuyên mục hiện tại."))
    cover_id = fields.get("cover_image_id")
    if cover_id is None or Image.objects.filter(pk=cover_id).exists():
        article.cover_image_id = cover_id
    else:
        notes.append(_("Ảnh đại diện cũ đã bị xóa khỏi thư viện, bài giữ ảnh hiện tại."))
    return notes


def _version_gallery(version: Version, article_id) -> list[dict]:
    gallery_type = ContentType.objects.get_for_model(GalleryItem)
    items = []
    for item in version.revision.version_set.filter(content_type=gallery_type):
        data = version_content(item)
        if data.get("article_id") == article_id:
            items.append(data)
    return sorted(items, key=lambda data: (data.get("order") or 0, data.get("id") or 0))


def _restore_relations(article: Article, version: Version, fields: dict, notes: list) -> None:
    for name in RESTORED_RELATIONS:
        if name not in fields:
            continue
        model = Article._meta.get_field(name).related_model
        getattr(article, name).set(model.objects.filter(pk__in=fields[name] or []))
    gallery = _version_gallery(version, article.pk)
    images = set(
        Image.objects.filter(pk__in=[item["image_id"] for item in gallery]).values_list(
            "pk", flat=True
        )
    )
    article.gallery_items.all().delete()
    kept = [item for item in gallery if item["image_id"] in images]
    if len(kept) < len(gallery):
        notes.append(_("Một số ảnh cuối bài đã bị xóa khỏi thư viện nên không được khôi phục."))
    for item in kept:
        GalleryItem.objects.create(
            article=article,
            image_id=item["image_id"],
            caption=item.get("caption") or "",
            order=item.get("order") or 0,
        )


@transaction.atomic
def article_revert(*, article: Article, user, version_id, comment: str = "") -> list[str]:
    """Bring back the content of one of this article's stored versions, as a new version.

    Only the content comes back (title, sapo, body, byline, source, section,
    cover, tags, related organizations and people, gallery); the article stays
    in its workflow state, with its times and address, and is checked by the
    same rules as a save in that state (a published article's photos need alt
    text). The old body goes through today's allow-list, as every save does.
    Returns notes on what could not come back (a photo deleted since, ...).
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    _require(permissions.can_edit(user, article), _("Bạn không được sửa bài này."))
    version = article_version(article.pk, version_id)
    fields = version_content(version)
    notes = _apply_version(article, version, fields)
    when = timezone.localtime(version.revision.date_created).strftime("%H:%M:%S %d/%m/%Y")
    note = _("Khôi phục phiên bản lưu lúc %(at)s") % {"at": when}
    with reversion.create_revision():
        article.save()
        _restore_relations(article, version, fields, notes)
        if article.status == Article.Status.PUBLISHED:
            _require_publishable(article)
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(f"{note}: {comment}".rstrip(": "))
    ArticleEvent.objects.create(
        article=article,
        action=ArticleEvent.Action.REVERTED,
        actor=user,
        comment=f"{note}. {comment}".strip(". ") if comment else note,
    )
    return notes


def deleted_article_version(version_id) -> Version | None:
    """A stored version of an article that no longer exists (and of nothing else)."""
    return (
        Version.objects.get_deleted(Article)
        .select_related("revision__user")
        .filter(pk=version_id)
        .first()
    )


@transaction.atomic
def article_recover(*, version_id, user) -> Article:
    """Bring back an article deleted for good (before its versions were removed) as a draft.

    For those who may delete for good. The article comes back as a draft out
    of the public's sight, written by whoever wrote it, with its body cleaned
    by today's allow-list; publishing it again is an editor's transition.
    """
    _require(permissions.can_recover(user), _("Chỉ quản trị viên được khôi phục bài đã xóa."))
    version = deleted_article_version(version_id)
    if version is None:
        raise TransitionRefused(_("Không có bài đã xóa nào ứng với phiên bản này."))
    fields = version_content(version)
    article = Article(
        pk=int(version.object_id),
        status=Article.Status.DRAFT,
        published_at=None,
        created_by_id=fields.get("created_by_id"),
        category_id=fields.get("category_id"),
    )
    if not Category.objects.filter(pk=article.category_id).exists():
        article.category = Category.objects.order_by("pk").first()
    if (
        article.created_by_id
        and not get_user_model().objects.filter(pk=article.created_by_id).exists()
    ):
        article.created_by_id = None
    notes = _apply_version(article, version, fields)
    with reversion.create_revision():
        article.save(force_insert=True)
        _restore_relations(article, version, fields, notes)
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(_("Khôi phục bài đã xóa (thành bản nháp)"))
    ArticleEvent.objects.create(
        article=article,
        action=ArticleEvent.Action.RECOVERED,
        actor=user,
        comment=" ".join(str(note) for note in notes),
    )
    return article


def scheduled_went_live(*, since, now=None):
    """Articles whose publication time fell between ``since`` and ``now``."""
    now = now or timezone.now()
    return Article.objects.live().filter(
        status=Article.Status.PUBLISHED, published_at__gt=since, published_at__lte=now
    )
