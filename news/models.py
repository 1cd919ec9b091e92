from ckeditor.fields import RichTextField
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.sanitize import sanitize_html
from portal.text import nfc, slugify_vi


class Category(models.Model):
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

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        if not self.slug:
            self.slug = slugify_vi(self.name, max_length=160)
        super().save(*args, **kwargs)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, with a publication time that has come.

        The one definition used by every public view, feed and widget; an
        article scheduled for later stays invisible until its time without
        anything having to run.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_category(self, category):
        return self.filter(category=category)

    def for_listing(self):
        """Rows for lists of articles: the category joined, the body left in the database."""
        return self.select_related("category").defer("body")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã xuất bản")

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
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            models.Index(fields=["category", "status", "-published_at"], name="article_cat_idx"),
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

    def save(self, *args, **kwargs):
        # Same-row derivations, here so the admin, imports and commands all get them.
        self.title = nfc(self.title).strip()
        self.lead = nfc(self.lead).strip()
        self.author_byline = nfc(self.author_byline).strip()
        self.source = nfc(self.source).strip()
        self.body = sanitize_html(nfc(self.body))
        if not self.slug:
            self.slug = slugify_vi(self.title) or "bai-viet"
        self._stamp_publication_time()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "slug", "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article-detail", kwargs={"slug": self.slug, "pk": self.pk})

    def get_qr_url(self, fmt="png"):
        return reverse("news:article-qr", kwargs={"pk": self.pk, "fmt": fmt})

    def clean(self):
        # Forms validate constraints before save() runs: stamp the time here too
        # so "publish now" with an empty time passes the check it would satisfy.
        self._stamp_publication_time()

    def _stamp_publication_time(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def canonical_url(self):
        """The absolute address printed in the QR code, feeds and ``rel=canonical``."""
        return f"{settings.SITE_URL}{self.get_absolute_url()}"
