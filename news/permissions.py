"""Who may do what to an article: the one place the newsroom's rules live.

Reporters (Phóng viên) write and edit their own drafts and submit them;
editors (Biên tập viên) edit anything, send back, publish, schedule,
unpublish, and move articles to the trash and back; administrators (Quản
trị) may also delete for good. The admin, bulk actions and services all ask
here, so hiding a button is never the only guard.
"""

from news.models import Article

PUBLISH = "news.publish_article"
PURGE = "news.purge_article"


def is_editor(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH)


def can_edit(user, article: Article | None = None) -> bool:
    if not (user.is_active and user.has_perm("news.change_article")):
        return False
    if article is None or is_editor(user):
        return article is None or article.deleted_at is None
    return (
        article.created_by_id == user.pk
        and article.status == Article.Status.DRAFT
        and article.deleted_at is None
    )


def can_submit(user, article: Article) -> bool:
    return article.status == Article.Status.DRAFT and can_edit(user, article)


def can_withdraw(user, article: Article) -> bool:
    """The author takes back an article waiting for review, to go on writing it."""
    return (
        user.is_active
        and user.has_perm("news.change_article")
        and article.created_by_id == user.pk
        and article.status == Article.Status.REVIEW
        and article.deleted_at is None
    )


def can_send_back(user, article: Article) -> bool:
    return (
        is_editor(user) and article.status == Article.Status.REVIEW and article.deleted_at is None
    )


def can_publish(user, article: Article) -> bool:
    return is_editor(user) and article.deleted_at is None


def can_unpublish(user, article: Article) -> bool:
    return (
        is_editor(user)
        and article.status == Article.Status.PUBLISHED
        and article.deleted_at is None
    )


def can_trash(user, article: Article) -> bool:
    return is_editor(user) and user.has_perm("news.delete_article") and article.deleted_at is None


def can_restore(user, article: Article) -> bool:
    return is_editor(user) and article.deleted_at is not None


def can_purge(user, article: Article) -> bool:
    return user.is_active and user.has_perm(PURGE) and article.deleted_at is not None


def can_recover(user) -> bool:
    """Bringing back an article deleted for good is for those who may delete for good."""
    return user.is_active and user.has_perm(PURGE)


def can_manage_previews(user, article: Article) -> bool:
    """Handing out (or revoking) a link that shows a draft to someone without an account."""
    return can_edit(user, article)
