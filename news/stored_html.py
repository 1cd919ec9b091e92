"""The article page's own markup, rendered once and stored with the row.

Rendering an article page's <head> tags (description, sharing, JSON-LD) and
its main part (breadcrumb, title, date line, body, award decisions, gallery,
byline, tags, the aside with its QR code) costs four queries and most of the
page's template time, for markup that changes only when an editor changes
something. The public page prints the stored copies instead; the rest (the
site's header and footer, the draft banner, Tin khác) is rendered on each
request as before.

A stored copy is never stale:

- every change to what it prints empties it and raises the row's
  ``article_html_generation``, in the transaction of the change: saving the
  article (``Article.save``) or its QR code, its tags and award decisions
  (m2m), its gallery, and the sections, tags, photos, renditions, award
  decisions, award types, authorities and recipients it shows (the signal
  handlers below);
- a rendering is stored only if the generation it started from still holds
  (``UPDATE ... WHERE article_html_generation = n``), so a rendering that
  raced a change is thrown away instead of overwriting the newer state;
- the key stored beside it names everything else that went into it: the
  site settings it prints (portal name, owner, Fanpage), the settings that
  appear in it (``SITE_URL``, the time zone, the language, ``MEDIA_URL``)
  and the template, translation and rendering files. Changing the site
  settings, a deploy that changes any of those files, or another
  ``SITE_URL`` makes every stored copy render again on its next request,
  without rewriting a row.

Each article's card in section, tag and day lists is stored the same way
(``article_cards``).

It is rendered on the first request after a change, not on save: the admin
saves tags and the gallery after the article itself, and a scheduled
article is rendered when it is first read, at its time.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connections, router
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import Http404
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from news.models import (
    Article,
    Category,
    GalleryItem,
    Tag,
    emptied_article_html,
)
from news.templatetags.news_tags import EAGER_CARDS, article_card
from portal.models import SiteSettings

HEAD_TEMPLATE = "news/includes/article_head.html"
MAIN_TEMPLATE = "news/includes/article_main.html"
# Templates they include, and the code behind their template tags.
INCLUDED_TEMPLATES = ("awards/includes/counts.html",)
RENDERING_MODULES = (
    "media/rendering.py",
    "media/templatetags/media_tags.py",
    "news/templatetags/news_tags.py",
    "portal/templatetags/portal.py",
)


@functools.cache
def _files_digest() -> str:
    """A digest of the files the stored markup comes from (read once per process)."""
    base = Path(settings.BASE_DIR)
    templates = (HEAD_TEMPLATE, MAIN_TEMPLATE, *INCLUDED_TEMPLATES)
    paths = [Path(get_template(name).origin.name) for name in templates]
    paths += [base / name for name in RENDERING_MODULES]
    paths += sorted((base / "locale").glob("*/LC_MESSAGES/django.mo"))
    digest = hashlib.blake2b(digest_size=8)
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest(*values) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for value in values:
        digest.update(str(value).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def render_key(site: SiteSettings) -> str:
    """What stored markup was rendered with, besides the rows it prints."""
    return _digest(
        settings.SITE_URL,
        settings.TIME_ZONE,
        settings.LANGUAGE_CODE,
        settings.MEDIA_URL,
        site.portal_name,
        site.owner,
        site.fanpage_url,
        _files_digest(),
    )


def article_markup(article: Article, site: SiteSettings) -> tuple[str, str]:
    """The article page's <head> tags and main part: the stored ones when they
    are current, else rendered now (and stored, when the article is public).

    ``article`` must carry the stored markup, its key and generation (as
    ``Article.objects.for_public_page()`` loads it). The generation is read
    there, before anything the markup prints is loaded here. ``site`` is the
    page's own site settings, loaded once for the whole page.
    """
    key = render_key(site)
    if article.article_html and article.article_html_key == key:
        return mark_safe(article.article_head_html), mark_safe(article.article_html)  # noqa: S308
    generation = article.article_html_generation
    full = Article.objects.for_rendering().filter(pk=article.pk).first()
    if full is None:  # deleted since the row was read
        raise Http404("Không tìm thấy bài viết.")
    context = {"article": full, "site_settings": site}
    head = render_to_string(HEAD_TEMPLATE, context).strip()
    main = render_to_string(MAIN_TEMPLATE, context).strip()
    if full.is_public:
        Article.objects.filter(pk=article.pk, article_html_generation=generation).update(
            article_html=main, article_head_html=head, article_html_key=key
        )
    return mark_safe(head), mark_safe(main)  # noqa: S308 - rendered by our templates


# --- List cards -------------------------------------------------------------
#
# A section, tag or day page prints twenty cards (cover, title, section,
# time, lead). Each is stored with its article like the page's markup, and
# kept fresh the same way: whatever empties the page's markup empties the
# card (``emptied_article_html``), since a card prints a part of what the
# page does; the same generation guards its storing; its own key names the
# settings and files it comes from (no site settings appear in a card).
# Stored cards are the lazy-loading kind; the first few of a list load their
# cover at once and have the attribute taken out.


def card_key() -> str:
    """What a stored card was rendered with, besides its row."""
    return _digest(settings.TIME_ZONE, settings.LANGUAGE_CODE, settings.MEDIA_URL, _files_digest())


def article_cards(articles, *, eager: int = EAGER_CARDS) -> list[str]:
    """The list cards of ``articles``, a queryset of public articles in the
    list's order: the stored ones when current, the others rendered now from
    their full rows and stored, all in one UPDATE."""
    rows = list(articles.only("pk", "card_html", "card_html_key", "article_html_generation"))
    key = card_key()
    stale = {row.pk: row for row in rows if not row.card_html or row.card_html_key != key}
    if stale:
        full = Article.objects.for_listing().in_bulk(list(stale))
        fresh = []
        for pk, row in stale.items():
            article = full.get(pk)
            # Gone since the list was read: left out.
            row.card_html = article_card(article, show_lead=True) if article else ""
            if article is not None and article.is_public:
                fresh.append((pk, row.article_html_generation, row.card_html))
        _store_cards(fresh, key)
    cards = [row.card_html for row in rows if row.card_html]
    return [
        mark_safe(card.replace(' loading="lazy"', "", 1) if n < eager else card)  # noqa: S308
        for n, card in enumerate(cards)
    ]


def _store_cards(cards: list[tuple[int, int, str]], key: str) -> None:
    """Store rendered cards whose article's generation still holds, in one query."""
    if not cards:
        return
    values = ", ".join(["(%s::bigint, %s::bigint, %s::text)"] * len(cards))
    with connections[router.db_for_write(Article)].cursor() as cursor:
        cursor.execute(
            "UPDATE news_article AS a SET card_html = v.html, card_html_key = %s "  # noqa: S608
            f"FROM (VALUES {values}) AS v(id, generation, html) "
            "WHERE a.id = v.id AND a.article_html_generation = v.generation",
            [key, *(value for card in cards for value in card)],
        )


def forget(condition: Q) -> int:
    """Make the stored markup of every article matching ``condition`` render again.

    The generation it raises is read with the row, before anything the
    markup prints: a change that commits while a page is being rendered
    makes that rendering's UPDATE match no row.
    """
    return Article.objects.filter(condition).update(**emptied_article_html())


# Which articles' stored markup shows each kind of row.
def _shown_in(instance) -> Q | None:
    from awards.models import AwardDecision, AwardRecipient, AwardType
    from media.models import Image, Rendition
    from organizations.models import Organization

    match instance:
        case Article():
            return Q(pk=instance.pk)
        case GalleryItem():
            return Q(pk=instance.article_id)
        case Category():
            # The breadcrumb names the section and its parent.
            return Q(category=instance.pk) | Q(category__parent=instance.pk)
        case Tag():
            return Q(tags=instance.pk)
        case Image():
            return Q(gallery_items__image=instance.pk) | Q(cover_image=instance.pk)
        case Rendition():
            return Q(gallery_items__image=instance.image_id) | Q(cover_image=instance.image_id)
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
    """post_save and post_delete: forget the markup that shows ``instance``.

    An article's own save empties its markup itself (``Article.save``);
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

    for model in (
        Article,
        Category,
        GalleryItem,
        Tag,
        Image,
        Rendition,
        AwardDecision,
        AwardRecipient,
        AwardType,
        Organization,
    ):
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
