"""Signed, expiring links that let a reviewer without an account read one draft.

The link carries the article's id and its current ``preview_key``, signed
with the site's secret and timestamped. It stops working after
``PREVIEW_MAX_AGE``, when the key is changed (revoked), or once the article
is published (readers then use its public address).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from news.models import Article, new_preview_key

SALT = "news.preview"
PREVIEW_MAX_AGE = timedelta(hours=48)


def preview_token(article: Article) -> str:
    return signing.dumps({"id": article.pk, "key": article.preview_key}, salt=SALT, compress=True)


def preview_url(article: Article) -> str:
    return settings.SITE_URL + reverse(
        "news:article-preview", kwargs={"token": preview_token(article)}
    )


def article_for_token(token: str, *, max_age=None) -> Article | None:
    """The draft a token opens, or None when it is invalid, expired, revoked or published."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age or PREVIEW_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    article = Article.objects.live().filter(pk=data.get("id")).first()
    if article is None or article.preview_key != data.get("key") or article.is_public:
        return None
    return article


def revoke_previews(article: Article) -> None:
    article.preview_key = new_preview_key()
    Article.objects.filter(pk=article.pk).update(preview_key=article.preview_key)
