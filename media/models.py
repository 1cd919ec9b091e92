from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.encoding import filepath_to_uri
from django.utils.translation import gettext_lazy as _

from media.validation import DOCUMENT_TYPES
from portal.text import CleanTextMixin


class SubqueryCount(Subquery):
    """``COUNT(*)`` of a subquery's rows, for annotating a count without joins."""

    template = "(SELECT count(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def articles_using(field_path: str):
    """Articles that use the object in ``OuterRef('pk')`` as cover, in the gallery or body."""
    from news.models import Article

    return Article.objects.filter(field_path(OuterRef("pk"))).order_by().values("pk").distinct()


class LibraryItem(models.Model):
    """What every item of the library records about its upload."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        abstract = True


@dataclass(frozen=True, order=True)
class RenditionFile:
    """A rendition as its image row lists it: enough for a URL, no query."""

    width: int
    height: int
    format: str
    name: str

    @property
    def url(self) -> str:
        return media_url(self.name)


def media_url(name: str) -> str:
    """``default_storage.url(name)``, without ``urljoin`` for files on disk.

    A list page prints a hundred rendition URLs; FileSystemStorage builds
    each with ``urljoin``, a fifth of the cost of the ``<picture>`` markup.
    Names here are the portal's own (no scheme, no ``..``), for which plain
    concatenation gives the same URL.
    """
    storage = storages["default"]
    if type(storage) is FileSystemStorage:
        return storage.base_url + filepath_to_uri(name).lstrip("/")
    return storage.url(name)


class ImageQuerySet(models.QuerySet):
    def with_usage(self):
        """Annotate ``usage_count``: the number of distinct articles that show the image."""
        return self.annotate(
            usage_count=SubqueryCount(
                articles_using(
                    lambda ref: (
                        Q(cover_image=ref) | Q(gallery_items__image=ref) | Q(body_images=ref)
                    )
                )
            )
        )

    def in_public_use(self, *, apart_from=None):
        """Images a reader sees on a public page: the cover, gallery or body of
        a published article out of the trash, or an organization's logo.

        A scheduled article counts already: an editor approved it as it is,
        and it goes out at its minute with no one looking again. With
        ``apart_from`` (an article), uses by that article do not count.
        """
        from news.models import Article
        from organizations.models import Organization

        published = Article.objects.live().filter(status=Article.Status.PUBLISHED)
        if apart_from is not None:
            published = published.exclude(pk=apart_from.pk)
        image = OuterRef("pk")
        return self.filter(
            Exists(published.filter(cover_image=image))
            | Exists(published.filter(gallery_items__image=image))
            | Exists(published.filter(body_images=image))
            | Exists(Organization.objects.filter(logo=image))
        )


class Image(CleanTextMixin, LibraryItem):
    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        WEBP = "webp", "WebP"

    # Written only by media.services from the cleaned bytes, never from a request's path.
    file = models.ImageField(_("tệp ảnh"), upload_to="images/%Y/%m/", editable=False)
    title = models.CharField(_("tiêu đề"), max_length=255)
    alt_text = models.CharField(
        _("mô tả thay thế (alt)"),
        max_length=300,
        blank=True,
        help_text=_(
            "Mô tả ngắn nội dung ảnh cho người khiếm thị và khi ảnh không tải được. "
            "Bắt buộc trước khi ảnh xuất hiện trong bài đã xuất bản."
        ),
    )
    default_caption = models.TextField(
        _("chú thích mặc định"),
        blank=True,
        help_text=_("In dưới ảnh; mỗi bài có thể ghi chú thích riêng."),
    )
    credit = models.CharField(
        _("nguồn ảnh"), max_length=200, blank=True, help_text=_("Phóng viên hoặc cơ quan chụp.")
    )
    format = models.CharField(_("định dạng"), max_length=10, choices=Format.choices)
    width = models.PositiveIntegerField(_("rộng (px)"), editable=False)
    height = models.PositiveIntegerField(_("cao (px)"), editable=False)
    file_size = models.PositiveBigIntegerField(_("dung lượng"), editable=False)
    content_hash = models.CharField(
        _("mã băm nội dung"), max_length=64, unique=True, editable=False
    )
    # [[width, height, format, storage name], ...] of the built renditions,
    # written with them (media.renditions): pages print srcset from the
    # image row alone, with no query for the renditions of each photo.
    rendition_files = models.JSONField(default=list, blank=True, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["-uploaded_at", "-id"]
        get_latest_by = "uploaded_at"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.title = self.title.strip()
        self.alt_text = self.alt_text.strip()
        self.default_caption = self.default_caption.strip()
        self.credit = self.credit.strip()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.file.url

    def available_renditions(self) -> list[RenditionFile]:
        """The built renditions, narrowest first."""
        return sorted(RenditionFile(*entry) for entry in self.rendition_files)

    def rendition(self, width: int, fmt: str) -> RenditionFile | None:
        """The rendition closest to ``width``, at least as wide when there is one."""
        candidates = [r for r in self.available_renditions() if r.format == fmt]
        if not candidates:
            return None
        larger = [r for r in candidates if r.width >= width]
        return (
            min(larger, key=lambda r: r.width) if larger else max(candidates, key=lambda r: r.width)
        )


class Rendition(models.Model):
    """One resized copy of an image, built once and looked up by (image, width, format)."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=Format.choices)
    file = models.FileField(upload_to="renditions/")

    class Meta:
        verbose_name = _("bản thu nhỏ")
        verbose_name_plural = _("bản thu nhỏ")
        ordering = ["image", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "width", "format"], name="rendition_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.image_id} {self.width}w {self.format}"

    @property
    def url(self):
        return self.file.url


def document_storage():
    return storages["documents"]


class DocumentQuerySet(models.QuerySet):
    def with_usage(self):
        return self.annotate(
            usage_count=SubqueryCount(articles_using(lambda ref: Q(body_documents=ref)))
        )

    def public(self):
        """Documents a reader may download: linked from the body of an article
        the public sees now (not a scheduled one before its time), the scan of
        an award decision, or linked from an organization's page."""
        from awards.models import AwardDecision
        from news.models import Article
        from organizations.models import Organization

        document = OuterRef("pk")
        path = Concat(Value("/tai-lieu/"), Cast(document, CharField()), Value("/"))
        return self.filter(
            Exists(Article.objects.published().filter(body_documents=document))
            | Exists(AwardDecision.objects.filter(document=document))
            | Exists(Organization.objects.filter(functions__contains=path))
        )


class Document(CleanTextMixin, LibraryItem):
    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        ODT = "odt", "ODT"
        ODS = "ods", "ODS"

    file = models.FileField(
        _("tệp"), upload_to="documents/%Y/%m/", storage=document_storage, editable=False
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    number = models.CharField(
        _("số, ký hiệu"), max_length=100, blank=True, help_text=_("Ví dụ: 123/QĐ-UBND.")
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    file_type = models.CharField(
        _("loại tệp"), max_length=10, choices=FileType.choices, editable=False
    )
    file_size = models.PositiveBigIntegerField(_("dung lượng"), editable=False)
    content_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.number} – {self.title}" if self.number else self.title

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.title = self.title.strip()
        self.description = self.description.strip()
        self.number = self.number.strip()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "media:document", kwargs={"pk": self.pk, "name": self.file.name.rsplit("/", 1)[-1]}
        )

    @property
    def content_type(self):
        return DOCUMENT_TYPES[self.file_type][0]

    @property
    def type_and_size(self):
        """``PDF, 1,2 MB``: what a link to the document says about it."""
        return f"{DOCUMENT_TYPES[self.file_type][1]}, {filesizeformat(self.file_size)}"
