import contextlib
import functools
import re
import secrets
from datetime import datetime, time, timedelta
from html import unescape

import reversion
from ckeditor.fields import RichTextField
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connections, models, transaction
from django.db.models import Prefetch, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from media.models import Document, Image
from media.rendering import images_without_alt, render_body
from portal import chrome
from portal.cache import forgets_versionless_cache, now_and_after_commit
from portal.compiled_query import CompiledQuery
from portal.qr import qr_name, qr_storage_name
from portal.routers import use_primary
from portal.sanitize import sanitize_html
from portal.text import CleanTextMixin, slugify_vi

# What the article address's pattern takes as a slug, printed unquoted.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SLUG_MARK, _PK_MARK = "slugmark", 987654321


@functools.lru_cache(maxsize=16)
def _article_path_parts(root_urlconf, urlconf, prefix) -> tuple[str, str, str]:
    path = reverse("news:article-detail", kwargs={"slug": _SLUG_MARK, "pk": _PK_MARK})
    before, rest = path.split(_SLUG_MARK)
    middle, after = rest.split(str(_PK_MARK))
    return before, middle, after


def article_path(slug: str, pk: int) -> str:
    """``reverse("news:article-detail", ...)``, resolved once per URL
    configuration and script prefix: lists print dozens of article links,
    and each ``reverse()`` walks the URL patterns again."""
    if not _PLAIN_SLUG.fullmatch(slug or ""):
        return reverse("news:article-detail", kwargs={"slug": slug, "pk": pk})
    before, middle, after = _article_path_parts(
        settings.ROOT_URLCONF, get_urlconf(), get_script_prefix()
    )
    return f"{before}{slug}{middle}{pk}{after}"


class Category(CleanTextMixin, models.Model):
    name = models.CharField(_("tên chuyên mục"), max_length=150, unique=True)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=160,
        unique=True,
        blank=True,
        help_text=_("Tự tạo từ tên nếu để trống, ví dụ: quoc-phong-an-ninh."),
    )
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ đứng trước trên thanh chuyên mục.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chuyên mục cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Để trống với chuyên mục lớn; chọn chuyên mục cha cho chuyên mục con."),
    )

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        if not self.slug:
            self.slug = slugify_vi(self.name, max_length=160)
        self._check_cycle()
        super().save(*args, **kwargs)
        # The menu every page prints is built from the sections.
        now_and_after_commit(forget_sections)

    def get_absolute_url(self):
        return reverse("news:section", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        super().delete(*args, **kwargs)
        now_and_after_commit(forget_sections)

    def clean(self):
        self._check_cycle()

    def _check_cycle(self):
        """A section cannot sit under itself or under one of its own subsections:
        the menu and the section pages would lose it."""
        seen, parent_id = {self.pk}, self.parent_id
        while parent_id is not None:
            if parent_id in seen:
                raise ValidationError(
                    {
                        "parent": _(
                            "Không thể chọn chính chuyên mục này hoặc chuyên mục con của nó "
                            "làm chuyên mục cha."
                        )
                    }
                )
            seen.add(parent_id)
            parent_id = (
                Category.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
            )


SECTIONS_CACHE_KEY = "news:sections"


@forgets_versionless_cache
def forget_sections() -> None:
    cache.delete_many([SECTIONS_CACHE_KEY, chrome.CACHE_KEY])


def section_tree() -> list[Category]:
    """All sections, parents first with ``subsections``; cached, cleared when one is saved."""
    tree = cache.get(SECTIONS_CACHE_KEY)
    if tree is None:
        # From the primary: a lagging replica would fill it with old sections.
        with use_primary():
            categories = list(Category.objects.all())
        for category in categories:
            category.subsections = [c for c in categories if c.parent_id == category.pk]
            # Breadcrumbs name the parent: it comes with the tree.
            for subsection in category.subsections:
                subsection.parent = category
        tree = [c for c in categories if c.parent_id is None]
        cache.set(SECTIONS_CACHE_KEY, tree, 3600)
    return tree


def section_ids(category: Category) -> list[int]:
    """The ids of ``category`` and its subsections, from the cached tree."""
    subsections = getattr(category, "subsections", None)
    if subsections is None:
        found = find_section(category.slug)
        subsections = found.subsections if found is not None and found.pk == category.pk else []
    return [category.pk, *(subsection.pk for subsection in subsections)]


def find_section(slug: str) -> Category | None:
    """The section with ``slug`` from the cached tree, its parent and subsections with it."""
    sections = list(section_tree())
    while sections:
        section = sections.pop()
        if section.slug == slug:
            return section
        sections += section.subsections
    return None


class SectionCountQuerySet(models.QuerySet):
    def published_in(self, category_ids) -> int:
        """How many public articles the sections ``category_ids`` hold, without
        counting them: their listed articles (kept by triggers, migration
        0014) less the scheduled ones whose time has not come, which are few.

        Listed is published or scheduled, out of the trash: ``published()``
        and ``scheduled()`` together, so this agrees with counting
        ``Article.objects.published()``; a test holds the two equal.
        """
        scheduled = (
            Article.objects.scheduled().filter(category__in=category_ids).order_by().values("pk")
        )
        sql, params = scheduled.query.sql_with_params()
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE((SELECT sum(listed) FROM news_sectioncount "  # noqa: S608 - the ORM's own SQL, parameters apart
                f"WHERE category_id = ANY(%s)), 0) - (SELECT count(*) FROM ({sql}) s)",
                [list(category_ids), *params],
            )
            return cursor.fetchone()[0]

    def recount(self) -> int:
        """Count every section's listed articles again; return how many counts
        were wrong. Writes to the articles wait meanwhile (a share lock), so
        no change slips between the count and the triggers."""
        with transaction.atomic(using=self.db), connections[self.db].cursor() as cursor:
            cursor.execute("LOCK TABLE news_article IN SHARE MODE")
            cursor.execute(
                """
                WITH counted AS (
                    SELECT c.id, count(a.id) FILTER (
                        WHERE a.status = 'published' AND a.deleted_at IS NULL
                    ) AS listed
                    FROM news_category c LEFT JOIN news_article a ON a.category_id = c.id
                    GROUP BY c.id
                ), corrected AS (
                    INSERT INTO news_sectioncount AS s (category_id, listed)
                    SELECT id, listed FROM counted
                    WHERE listed > 0
                       OR EXISTS (
                           SELECT 1 FROM news_sectioncount e WHERE e.category_id = counted.id
                       )
                    ON CONFLICT (category_id) DO UPDATE SET listed = EXCLUDED.listed
                    WHERE s.listed <> EXCLUDED.listed
                    RETURNING 1
                )
                SELECT count(*) FROM corrected
                """
            )
            return cursor.fetchone()[0]


class SectionCount(models.Model):
    """A section's listed articles (published or scheduled, not in the
    trash), kept by triggers on the articles' table so section pages need
    not count thousands of rows (migration 0014). Nothing else writes it."""

    category = models.OneToOneField(
        Category, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    listed = models.PositiveIntegerField(default=0)

    objects = SectionCountQuerySet.as_manager()

    def __str__(self):
        return f"{self.category_id}: {self.listed}"


class Tag(CleanTextMixin, models.Model):
    name = models.CharField(_("tên"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)

    class Meta:
        verbose_name = _("từ khóa")
        verbose_name_plural = _("từ khóa")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.name = self.name.strip()
        if not self.slug:
            self.slug = slugify_vi(self.name, max_length=120) or "tu-khoa"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:tag", kwargs={"slug": self.slug})


def plain_text(html: str) -> str:
    """The text of rich-text HTML, paragraphs kept apart by spaces."""
    text = re.sub(r"<(br|/p|/h[1-6]|/li|/figcaption|/td|/th)\b[^>]*>", " ", html or "")
    return " ".join(unescape(strip_tags(text)).split())


def search_vectors():
    from news.search import vectors

    return vectors()


class SearchTermQuerySet(models.QuerySet):
    def record(self, *texts: str) -> None:
        """Add the words of ``texts`` that are not in the dictionary yet.

        Only for the text of a public article: a suggestion would otherwise
        tell readers that a word is in a draft or in the trash.
        """
        from news.search import terms

        words = sorted(terms(*texts))
        self.bulk_create([SearchTerm(word=word) for word in words], ignore_conflicts=True)

    def forget_leaving(self, article_pk: int) -> int:
        """Drop the words of article ``article_pk`` that no other public article
        has, if it is public; called as it stops being public (unpublished,
        trashed, rescheduled), before the change is saved. Returns how many.
        """
        from django.contrib.postgres.fields import ArrayField
        from django.contrib.postgres.search import SearchQuery

        from news.search import CONFIG

        public = Article.objects.published()
        words = (
            public.filter(pk=article_pk)
            .annotate(
                words=models.Func(
                    "search_folded",
                    function="tsvector_to_array",
                    output_field=ArrayField(models.TextField()),
                )
            )
            .values_list("words", flat=True)
            .first()
        )
        if not words:
            return 0
        elsewhere = public.exclude(pk=article_pk).filter(
            search_folded=SearchQuery(models.OuterRef("word"), config=CONFIG)
        )
        deleted, _by_model = self.filter(word__in=words).exclude(models.Exists(elsewhere)).delete()
        return deleted


class SearchTerm(models.Model):
    """A word found in the articles, folded and in lower case.

    The dictionary a search with typos is corrected against (``hong bnag`` →
    ``hong bang``), made of public articles only. Words are added when a
    public article is saved and dropped when the last public article that
    has them stops being public; ``articles``, how many public articles use
    the word, ranks corrections and is recounted by ``python manage.py
    rebuild_search_terms``.
    """

    word = models.CharField(max_length=40, primary_key=True)
    articles = models.PositiveIntegerField(default=1)

    objects = SearchTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("từ tìm kiếm")
        verbose_name_plural = _("từ tìm kiếm")

    def __str__(self):
        return self.word


def new_preview_key() -> str:
    return secrets.token_hex(16)


class EditConflict(Exception):
    """The article changed since the editor opened it; nothing was saved."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(f"article is now at version {current_version}")


# Columns derived on save that no page prints: the search vectors are often
# larger than the article itself.
LARGE_DERIVED_FIELDS = ("search_folded", "search_exact")
# The article page's stored markup (news/stored_html.py): only that page reads it.
STORED_MARKUP_FIELDS = ("article_html", "article_head_html", "card_html")


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """What the public may see: published, with a publication time that has come.

        The one definition used by every public view, feed and widget; an
        article scheduled for later stays invisible until its time without
        anything having to run. ``at`` is the time to see it at (now).
        """
        return self.filter(
            status=Article.Status.PUBLISHED,
            published_at__lte=at or timezone.now(),
            deleted_at__isnull=True,
        )

    def live(self):
        """Everything not in the trash."""
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)

    def scheduled(self):
        """Published articles whose time has not come yet."""
        return self.live().filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def in_category(self, category):
        return self.filter(category=category)

    def in_section(self, category):
        """Articles of a section and of its subsections.

        The subsections come from the cached section tree: a list of ids lets
        PostgreSQL walk the (category, date) index, where a join on the
        parent would make it read every article.
        """
        return self.filter(category__in=section_ids(category))

    def featured(self):
        return self.filter(featured_order__isnull=False).order_by("featured_order", "-published_at")

    def on_day(self, day):
        """Published on ``day`` in the portal's time zone."""
        start = timezone.make_aware(datetime.combine(day, time.min))
        return self.filter(published_at__gte=start, published_at__lt=start + timedelta(days=1))

    def for_listing(self):
        """Rows for lists of articles in one query: category and cover joined
        (the cover row lists its renditions), the bodies and search vectors
        left in the database (they are most of a row's bytes)."""
        return self.select_related("category", "cover_image").defer(
            *LARGE_DERIVED_FIELDS, *STORED_MARKUP_FIELDS, "body", "body_html", "body_text"
        )

    def for_search_results(self):
        """What a search result prints: title, section, time, and the plain
        text its snippet quotes; no cover, so nothing else is joined."""
        return self.select_related("category").only(
            "pk", "slug", "title", "lead", "body_text", "published_at", "category__name"
        )

    def for_public_page(self):
        """The article page's row: what the page prints around its stored
        markup, and that markup with its key and generation. Nothing is
        joined: what the markup prints is loaded only to render it again
        (``for_rendering``)."""
        return self.only(
            "pk",
            "slug",
            "title",
            "status",
            "published_at",
            "deleted_at",
            "category_id",
            "article_html",
            "article_head_html",
            "article_html_key",
            "article_html_generation",
        )

    def for_rendering(self):
        """Everything the article page's stored markup prints, in four queries."""
        from awards.models import AwardDecision

        return (
            self.defer(*LARGE_DERIVED_FIELDS, *STORED_MARKUP_FIELDS, "body", "body_text")
            .select_related("category__parent", "cover_image")
            .prefetch_related(
                "tags",
                Prefetch("award_decisions", queryset=AwardDecision.objects.for_listing()),
                Prefetch("gallery_items", queryset=GalleryItem.objects.select_related("image")),
            )
        )


def emptied_article_html():
    """The column values that make an article page's stored markup render again."""
    return {
        "article_html": "",
        "article_head_html": "",
        "card_html": "",
        "article_html_generation": models.F("article_html_generation") + 1,
    }


# Every save stores a revision of the article with its gallery (for history,
# diffs and restore); derived columns are left out, they are rebuilt on save.
@reversion.register(
    follow=["gallery_items"],
    exclude=[
        "body_html",
        "body_text",
        "article_html",
        "article_head_html",
        "article_html_key",
        "article_html_generation",
        "card_html",
        "card_html_key",
        "qr_image",
        "search_folded",
        "search_exact",
        "version",
        "preview_key",
        "content_changed_at",
    ],
)
class Article(CleanTextMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        REVIEW = "review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã xuất bản")
        UNPUBLISHED = "unpublished", _("Đã gỡ")

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        blank=True,
        help_text=_(
            "Phần chữ trong địa chỉ bài viết, tự tạo từ tiêu đề. Đổi tiêu đề sau khi "
            "đăng vẫn giữ được liên kết cũ: địa chỉ bài viết mang số hiệu bài."
        ),
    )
    lead = models.TextField(
        _("sapo"),
        blank=True,
        help_text=_("Đoạn mở đầu in đậm dưới tiêu đề, tóm tắt tin trong 1–3 câu."),
    )
    body = RichTextField(_("nội dung"), blank=True)
    # The body as readers get it: library images as responsive <picture>s,
    # document links labelled with type and size. Derived from ``body`` on save.
    body_html = models.TextField(editable=False, blank=True)
    # Derived on save for search (news/search.py): the body as plain text and
    # the two tsvectors, folded and with accents.
    body_text = models.TextField(editable=False, blank=True)
    # The stored QR code of the public address (portal/qr.py), built when the
    # article is saved as published: the page's <img> points at the file,
    # which the web server serves like any photo.
    qr_image = models.CharField(max_length=100, blank=True, default="", editable=False)
    search_folded = SearchVectorField(null=True, editable=False)
    search_exact = SearchVectorField(null=True, editable=False)
    # The public page's own markup (its <head> tags; breadcrumb, article and
    # aside), rendered on the first public request after a change and kept
    # here (news/stored_html.py): a page then costs one row instead of four
    # queries and most of its template. Empty means "render again"; every
    # change to what it prints empties it and raises the generation, and a
    # rendering is stored only if the generation it started from still holds.
    # The key names what else went into it (SITE_URL, site settings, templates).
    article_html = models.TextField(editable=False, blank=True)
    article_head_html = models.TextField(editable=False, blank=True)
    article_html_key = models.CharField(max_length=32, editable=False, blank=True)
    article_html_generation = models.PositiveBigIntegerField(default=0, editable=False)
    # Its card in section, tag and day lists, stored and kept fresh the same
    # way (the same generation: a card prints a part of what the page does).
    card_html = models.TextField(editable=False, blank=True)
    card_html_key = models.CharField(max_length=32, editable=False, blank=True)
    cover_image = models.ForeignKey(
        Image,
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cover_of",
        help_text=_("Ảnh hiện ở trang chủ, danh sách tin và khi chia sẻ lên mạng xã hội."),
    )
    body_images = models.ManyToManyField(
        Image, through="ArticleBodyImage", related_name="+", editable=False
    )
    body_documents = models.ManyToManyField(
        Document, through="ArticleBodyDocument", related_name="+", editable=False
    )
    organizations = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("cơ quan, đơn vị liên quan"),
        blank=True,
        related_name="articles",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("từ khóa"), blank=True, related_name="articles"
    )
    featured_order = models.PositiveSmallIntegerField(
        _("tin nổi bật, thứ tự"),
        null=True,
        blank=True,
        help_text=_(
            "Nhập số (1, 2, 3...) để đưa bài lên nhóm tin nổi bật ở trang chủ; để trống nếu không."
        ),
    )
    people = models.ManyToManyField(
        "organizations.Person",
        verbose_name=_("nhân vật liên quan"),
        blank=True,
        related_name="articles",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("chuyên mục"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    author_byline = models.CharField(
        _("tác giả"),
        max_length=200,
        blank=True,
        help_text=_("Tên in cuối bài, ví dụ: Hoàng Tùng, hoặc Nhóm PV."),
    )
    source = models.CharField(
        _("nguồn tin"),
        max_length=300,
        blank=True,
        help_text=_("Cơ quan hoặc báo cung cấp tin, hiện trong ô Tiện ích thông tin."),
    )
    original_url = models.URLField(
        _("địa chỉ bài gốc"),
        max_length=500,
        blank=True,
        help_text=_("Khi tin lấy từ nơi khác: liên kết “Gốc” trên trang bài viết."),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    published_at = models.DateTimeField(
        _("thời gian đăng"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống khi xuất bản thì lấy giờ hiện tại. Đặt giờ tương lai để hẹn giờ đăng."
        ),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    deleted_at = models.DateTimeField(
        _("bỏ vào thùng rác lúc"), null=True, blank=True, editable=False
    )
    content_changed_at = models.DateTimeField(
        _("nội dung sửa lúc"), null=True, blank=True, editable=False
    )
    # Optimistic locking: each save raises it, and a save based on an older
    # version is refused instead of silently overwriting a colleague's work.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    # Changing it revokes every preview link handed out for the article.
    preview_key = models.CharField(max_length=32, default=new_preview_key, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles_created",
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", _("Có thể duyệt, xuất bản, hẹn giờ và gỡ bài")),
            ("purge_article", _("Có thể xóa vĩnh viễn bài trong thùng rác")),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            # Section pages and their counts: only public rows, ids included,
            # so PostgreSQL answers from the index without visiting the table.
            models.Index(
                fields=["category", "-published_at", "-id"],
                condition=Q(status="published", deleted_at__isnull=True),
                name="article_public_cat_idx",
            ),
            # The front page's featured stories, without reading the archive.
            models.Index(
                fields=["featured_order", "-published_at"],
                condition=Q(featured_order__isnull=False),
                name="article_featured_idx",
            ),
            GinIndex(fields=["search_folded"], name="article_search_folded_idx"),
            GinIndex(fields=["search_exact"], name="article_search_exact_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
                violation_error_message=_("Bài đã xuất bản phải có thời gian đăng."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, expected_version: int | None = None, **kwargs):
        """Save; with ``expected_version``, only if nobody saved since that version.

        The check and the write happen in one transaction on the row itself
        (``UPDATE ... WHERE version = n``), so it holds across processes and
        servers. A stale save raises ``EditConflict`` and writes nothing.
        """
        # Same-row derivations, here so the admin, imports and commands all get them.
        self.clean_text_fields()
        self.title = self.title.strip()
        self.lead = self.lead.strip()
        self.author_byline = self.author_byline.strip()
        self.source = self.source.strip()
        rendered = self.derive_body()
        if self.pk is not None:
            before = Article.objects.filter(pk=self.pk).values("title", "lead", "body").first()
            if before and before != {"title": self.title, "lead": self.lead, "body": self.body}:
                self.content_changed_at = timezone.now()
        if not self.slug:
            self.slug = slugify_vi(self.title) or "bai-viet"
        self._stamp_publication_time()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "slug",
                "published_at",
                "body_html",
                "content_changed_at",
            }
        # The library rows the body uses are recorded so that deleting an image
        # or document still shown in an article is refused by the database.
        with transaction.atomic(), self._revision():
            if self.pk is not None and expected_version is not None:
                claimed = Article.objects.filter(pk=self.pk, version=expected_version).update(
                    version=expected_version + 1
                )
                if not claimed:
                    current = Article.objects.filter(pk=self.pk).values_list("version", flat=True)
                    raise EditConflict(current.first() or 0)
                self.version = expected_version + 1
            elif self.pk is not None and not self._state.adding:
                self.version = models.F("version") + 1
            if update_fields is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            if self.pk is not None and not self.is_public:
                # Read from the row as it was, before this save changes it.
                SearchTerm.objects.forget_leaving(self.pk)
            super().save(*args, **kwargs)
            if isinstance(self.version, models.expressions.Combinable):
                self.version = Article.objects.values_list("version", flat=True).get(pk=self.pk)
            # The same row's derivations from the saved columns; the page's
            # stored markup is emptied in the same transaction.
            Article.objects.filter(pk=self.pk).update(**search_vectors(), **emptied_article_html())
            self.article_html = self.article_head_html = self.card_html = ""
            self.build_qr_image()
            if self.is_public:
                SearchTerm.objects.record(self.title, self.lead, self.body_text, self.author_byline)
            self.body_images.set(rendered.images)
            self.body_documents.set(rendered.documents)
            # A photo uploaded from the editor gets its alt text there; the
            # library keeps it, so the next article that uses the photo has it.
            # Not a photo another public page shows: its description is then an
            # editor's change (media.permissions), not a side effect of a draft.
            for image in rendered.images:
                if not image.alt_text and rendered.alts.get(image.pk):
                    Image.objects.filter(pk=image.pk, alt_text="").exclude(
                        pk__in=Image.objects.in_public_use(apart_from=self)
                    ).update(alt_text=rendered.alts[image.pk][:300])

    def get_absolute_url(self):
        return article_path(self.slug, self.pk)

    def derive_body(self):
        """Clean the body and derive what is stored beside it; returns the rendering.

        Every way content gets in (the admin, imports, a restored revision,
        commands) goes through ``save()`` and so through here: the allow-list
        runs before anything is stored, and ``body_html`` is built only from
        its output.
        """
        self.body = sanitize_html(self.body)
        rendered = render_body(self.body)
        self.body_html = rendered.html
        self.body_text = plain_text(self.body)
        return rendered

    @staticmethod
    def _revision():
        """Every save stores a revision: inside the admin's or a service's, or its own."""
        return contextlib.nullcontext() if reversion.is_active() else reversion.create_revision()

    def get_qr_url(self, fmt="png"):
        return reverse("news:article-qr", kwargs={"pk": self.pk, "fmt": fmt})

    def build_qr_image(self) -> None:
        """Store the page's QR code once the article is public (scheduled ones
        get theirs from ``publish_scheduled``, or from the view on first use)."""
        if self.is_public and self.qr_image != qr_name(self.canonical_url):
            self.qr_image = qr_storage_name(self.canonical_url, "png")
            # The page's stored markup points at the QR view until the file exists.
            Article.objects.filter(pk=self.pk).update(
                qr_image=self.qr_image, **emptied_article_html()
            )

    def qr_image_url(self):
        """The QR code for the page: the stored file, or the view that builds it.

        The file is used only while it still encodes the current address (a
        changed ``SITE_URL`` or slug makes a new one on the next save).
        """
        if self.qr_image and self.qr_image == qr_name(self.canonical_url):
            return default_storage.url(self.qr_image)
        return self.get_qr_url()

    def clean(self):
        # Forms validate constraints before save() runs: stamp the time here too
        # so "publish now" with an empty time passes the check it would satisfy.
        self._stamp_publication_time()
        if self.status == self.Status.PUBLISHED or getattr(self, "publishing", False):
            errors = self.publication_problems()
            if errors:
                raise ValidationError(errors)

    def publication_problems(self, *, include_gallery: bool = False) -> dict:
        """What stops the article from appearing in public: images without alt text.

        The gallery is checked from the database with ``include_gallery`` (the
        admin checks the gallery being submitted in its formset instead).
        """
        errors = {}
        if self.cover_image_id and not self.cover_image.alt_text:
            errors["cover_image"] = _(
                "Ảnh đại diện “%(title)s” chưa có mô tả thay thế (alt): hãy bổ sung "
                "trong thư viện ảnh trước khi xuất bản."
            ) % {"title": self.cover_image.title}
        missing = images_without_alt(self.body)
        if missing:
            errors["body"] = _(
                "%(count)s ảnh trong nội dung chưa có mô tả thay thế (alt): %(names)s. "
                "Nhấp đúp vào ảnh trong trình soạn thảo để nhập."
            ) % {"count": len(missing), "names": ", ".join(missing)}
        if include_gallery and self.pk:
            titles = list(
                self.gallery_items.filter(image__alt_text="").values_list("image__title", flat=True)
            )
            if titles:
                errors["gallery_items"] = _(
                    "Ảnh chưa có mô tả thay thế (alt), cần bổ sung trước khi xuất bản: %(names)s."
                ) % {"names": ", ".join(f"“{name}”" for name in titles)}
        return errors

    def _stamp_publication_time(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.deleted_at is None
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def updated_after_publication(self):
        """True when a published article was edited later (the page says "Cập nhật lúc")."""
        return (
            self.published_at is not None
            and self.content_changed_at is not None
            and self.content_changed_at > self.published_at
        )

    @property
    def share_image(self):
        """The 1200-wide JPEG rendition of the cover, for Open Graph."""
        return self.cover_image.rendition(1200, "jpeg") if self.cover_image_id else None

    @property
    def canonical_url(self):
        """The absolute address printed in the QR code, feeds and ``rel=canonical``."""
        return f"{settings.SITE_URL}{self.get_absolute_url()}"


# --- The article page's two queries ---------------------------------------
#
# Every reader of an article costs these two, and building and compiling
# them through the ORM took longer than PostgreSQL took to answer them. They
# are compiled once from the querysets below (portal/compiled_query.py), so
# ``published()`` stays their definition of public.

OTHER_ARTICLES = 8  # Tin khác


def _public_page_row(at: datetime, pk: int):
    return Article.objects.published(at=at).for_public_page().filter(pk=pk).order_by()


def _other_articles(at: datetime, category: int, article: int):
    return (
        Article.objects.published(at=at)
        .only("pk", "slug", "title", "published_at")  # Tin khác prints titles and dates
        .in_category(category)
        .exclude(pk=article)[:OTHER_ARTICLES]
    )


_PUBLIC_PAGE_ROW = CompiledQuery(_public_page_row)
_OTHER_ARTICLES = CompiledQuery(_other_articles)


def public_article(pk: int) -> Article | None:
    """The public article ``pk`` with what its page prints (``for_public_page``), or None."""
    found = _PUBLIC_PAGE_ROW.run(at=timezone.now(), pk=pk)
    return found[0] if found else None


def other_articles(article: Article) -> list[Article]:
    """Tin khác: the newest public articles of ``article``'s section besides it."""
    return _OTHER_ARTICLES.run(at=timezone.now(), category=article.category_id, article=article.pk)


@reversion.register()
class GalleryItem(CleanTextMixin, models.Model):
    """One photo of an article's gallery, in order, with this article's caption."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="gallery_items")
    image = models.ForeignKey(
        Image, verbose_name=_("ảnh"), on_delete=models.PROTECT, related_name="gallery_uses"
    )
    caption = models.TextField(
        _("chú thích"), blank=True, help_text=_("Để trống thì dùng chú thích mặc định của ảnh.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("ảnh trong bộ ảnh")
        verbose_name_plural = _("bộ ảnh")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="gallery_image_once"),
        ]

    def __str__(self):
        return _("Bộ ảnh của bài “%(article)s”") % {"article": self.article}

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.caption = self.caption.strip()
        super().save(*args, **kwargs)

    @property
    def display_caption(self):
        return self.caption or self.image.default_caption


class ArticleBodyImage(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="body_uses")

    class Meta:
        verbose_name = _("ảnh trong nội dung bài")
        verbose_name_plural = _("ảnh trong nội dung bài")
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="body_image_once"),
        ]

    def __str__(self):
        return _("Nội dung bài “%(article)s”") % {"article": self.article}


class ArticleBodyDocument(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="body_uses")

    class Meta:
        verbose_name = _("tài liệu trong nội dung bài")
        verbose_name_plural = _("tài liệu trong nội dung bài")
        constraints = [
            models.UniqueConstraint(fields=["article", "document"], name="body_document_once"),
        ]

    def __str__(self):
        return _("Nội dung bài “%(article)s”") % {"article": self.article}


class ArticleEvent(CleanTextMixin, models.Model):
    """The audit trail of an article: who moved it through the workflow, and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Gửi duyệt")
        WITHDRAWN = "withdrawn", _("Rút lại khỏi hàng chờ duyệt")
        SENT_BACK = "sent-back", _("Trả lại")
        PUBLISHED = "published", _("Xuất bản")
        SCHEDULED = "scheduled", _("Hẹn giờ xuất bản")
        WENT_LIVE = "went-live", _("Đến giờ xuất bản")
        UNPUBLISHED = "unpublished", _("Gỡ bài")
        TRASHED = "trashed", _("Bỏ vào thùng rác")
        RESTORED = "restored", _("Khôi phục từ thùng rác")
        REVERTED = "reverted", _("Khôi phục phiên bản cũ")
        RECOVERED = "recovered", _("Khôi phục bài đã xóa vĩnh viễn")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    comment = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("nhật ký bài viết")
        verbose_name_plural = _("nhật ký bài viết")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} – {self.article_id}"


class ArticleViewCount(models.Model):
    """Page views of an article on one day, written in batches from cache counters."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="view_counts")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lượt xem")
        verbose_name_plural = _("lượt xem")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="article_views_per_day"),
        ]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views}"
