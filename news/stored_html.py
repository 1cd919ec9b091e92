"""The article page's <article> element, rendered once and stored with the row.

Rendering the element (title, date line, body, award decisions, gallery,
byline, tags) costs four queries and most of the page's template time, for
markup that changes only when an editor changes something. The public page
prints the stored copy instead; what surrounds it (the breadcrumb, the
sharing tags, the aside, Tin khác, the site settings) is rendered on each
request as before.

A stored copy is never stale:

- every change to what the element prints empties it and raises the row's
  ``article_html_generation``, in the transaction of the change: saving the
  article (``Article.save``), its tags and award decisions (m2m), its gallery,
  and the tags, photos, award decisions, award types, authorities and
  recipients it shows (the signal handlers below);
- a rendering is stored only if the generation it started from still holds
  (``UPDATE ... WHERE article_html_generation = n``), so a rendering that
  raced a change is thrown away instead of overwriting the newer state;
- the key stored beside it names everything else that went into it: the
  settings that appear in it (``SITE_URL``, the time zone, the language,
  ``MEDIA_URL``) and the template, translation and rendering files. A deploy
  that changes any of them, or a different ``SITE_URL``, makes every stored
  copy render again on its next request.

The element is rendered on the first request after a change, not on save:
the admin saves tags and the gallery after the article itself, and a
scheduled article is rendered when it is first read, at its time.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.db.models import Q, prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from news.models import Article, GalleryItem, Tag, element_prefetches, emptied_article_html

TEMPLATE = "news/includes/article_element.html"
# Templates the element includes, and the code behind its template tags.
INCLUDED_TEMPLATES = ("awards/includes/counts.html",)
RENDERING_MODULES = (
    "media/rendering.py",
    "media/templatetags/media_tags.py",
    "portal/templatetags/portal.py",
)


@functools.cache
def _files_digest() -> str:
    """A digest of the files the element's markup comes from (read once per process)."""
    base = Path(settings.BASE_DIR)
    paths = [Path(get_template(name).origin.name) for name in (TEMPLATE, *INCLUDED_TEMPLATES)]
    paths += [base / name for name in RENDERING_MODULES]
    paths += sorted((base / "locale").glob("*/LC_MESSAGES/django.mo"))
    digest = hashlib.blake2b(digest_size=8)
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def render_key() -> str:
    """What a stored element was rendered with, besides the rows it prints."""
    digest = hashlib.blake2b(digest_size=8)
    for value in (
        settings.SITE_URL,
        settings.TIME_ZONE,
        settings.LANGUAGE_CODE,
        settings.MEDIA_URL,
        _files_digest(),
    ):
        digest.update(str(value).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def article_element(article: Article) -> str:
    """The <article> element for ``article``: the stored one when it is current,
    else rendered now (and stored, when the article is public).

    ``article`` must carry ``article_html``, its key and generation (as
    ``Article.objects.for_public_page()`` loads it).
    """
    key = render_key()
    if article.article_html and article.article_html_key == key:
        return mark_safe(article.article_html)  # noqa: S308 - rendered by our template
    generation = article.article_html_generation
    prefetch_related_objects([article], *element_prefetches())
    html = render_to_string(TEMPLATE, {"article": article}).strip()
    if article.is_public:
        _store(article.pk, generation, html, key)
    return mark_safe(html)  # noqa: S308 - rendered by our template


def _store(pk: int, generation: int, html: str, key: str) -> None:
    """Keep a rendering unless the element changed since ``generation`` was read.

    The generation is read with the row, before anything the element prints,
    and every change raises it in its own transaction: a change that commits
    while this rendering runs makes this UPDATE match no row.
    """
    Article.objects.filter(pk=pk, article_html_generation=generation).update(
        article_html=html, article_html_key=key
    )


def forget(condition: Q) -> int:
    """Make the stored element of every article matching ``condition`` render again."""
    return Article.objects.filter(condition).update(**emptied_article_html())


# What each kind of row shows in which articles' elements.
def _shown_in(instance) -> Q | None:
    from awards.models import AwardDecision, AwardRecipient, AwardType
    from media.models import Image, Rendition
    from organizations.models import Organization

    match instance:
        case Article():
            return Q(pk=instance.pk)
        case GalleryItem():
            return Q(pk=instance.article_id)
        case Tag():
            return Q(tags=instance.pk)
        case Image():
            return Q(gallery_items__image=instance.pk)
        case Rendition():
            return Q(gallery_items__image=instance.image_id)
        case AwardDecision():
            return Q(award_decisions=instance.pk)
        case AwardRecipient():
            return Q(award_decisions=instance.decision_id)
        case AwardType():
            return Q(award_decisions__award_type=instance.pk)
        case Organization():
            # A decision prints its authority's name.
            return Q(award_decisions__authority=instance.pk)
    return None


def changed(sender, instance, raw=False, **kwargs) -> None:
    """post_save and post_delete: forget the elements that show ``instance``.

    An article's own save empties its element itself (``Article.save``);
    only raw saves (fixtures) of articles come here.
    """
    if sender is Article and not raw:
        return
    condition = _shown_in(instance)
    if condition is not None:
        forget(condition)


def relation_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed for an article's tags and award decisions."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if isinstance(instance, Article):
        forget(Q(pk=instance.pk))
    elif action == "pre_clear":
        # The articles are known only before the links go.
        forget(_shown_in(instance))
    else:
        forget(Q(pk__in=pk_set))


def connect() -> None:
    from awards.models import AwardDecision, AwardRecipient, AwardType
    from media.models import Image, Rendition
    from organizations.models import Organization

    saved = (Article, GalleryItem, Tag, Image, Rendition, AwardDecision, AwardRecipient)
    for model in (*saved, AwardType, Organization):
        post_save.connect(changed, sender=model, dispatch_uid=f"stored_html:{model.__name__}")
    # Deleting a tag or a decision takes its links with it, unsignalled:
    # the articles are found before the delete.
    for model in (Tag, AwardDecision):
        pre_delete.connect(changed, sender=model, dispatch_uid=f"stored_html:pre:{model.__name__}")
    for model in (GalleryItem, AwardRecipient, Rendition):
        post_delete.connect(changed, sender=model, dispatch_uid=f"stored_html:del:{model.__name__}")
    for through in (Article.tags.through, AwardDecision.articles.through):
        m2m_changed.connect(
            relation_changed, sender=through, dispatch_uid=f"stored_html:{through.__name__}"
        )
