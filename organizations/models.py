from ckeditor.fields import RichTextField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from media.models import Image
from portal.sanitize import sanitize_html
from portal.text import CleanTextMixin, slugify_vi, vi_sort_key

ANCESTORS_SQL = """
WITH RECURSIVE up(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM organizations_organization WHERE id = %s
    UNION ALL
    SELECT o.id, o.parent_id, up.depth + 1
    FROM organizations_organization o JOIN up ON o.id = up.parent_id
) CYCLE id SET is_cycle USING trail
SELECT o.* FROM organizations_organization o JOIN up ON o.id = up.id
WHERE NOT up.is_cycle
ORDER BY up.depth DESC
"""


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, query: str):
        from portal.search import unaccent_search

        return unaccent_search(self, ["name", "short_name"], query)

    def stale(self, days: int):
        """Organizations whose details nobody has checked for ``days`` days (or ever)."""
        cutoff = timezone.localdate() - timezone.timedelta(days=days)
        return self.filter(Q(last_verified__lt=cutoff) | Q(last_verified__isnull=True))


class Organization(CleanTextMixin, models.Model):
    class Kind(models.TextChoices):
        PARTY = "dang", _("Đảng")
        GOVERNMENT = "chinh-quyen", _("Chính quyền")
        POLICE = "cong-an", _("Công an")
        FRONT = "mat-tran-doan-the", _("Mặt trận và đoàn thể")
        PUBLIC_SERVICE = "su-nghiep", _("Đơn vị sự nghiệp")
        ENTERPRISE = "doanh-nghiep", _("Doanh nghiệp")
        RESIDENTIAL = "to-dan-pho", _("Tổ dân phố / khu dân cư")
        OTHER = "khac", _("Khác")

    name = models.CharField(
        _("tên đầy đủ"), max_length=300, help_text=_("Ví dụ: Ủy ban nhân dân quận Hồng Bàng.")
    )
    short_name = models.CharField(
        _("tên ngắn"), max_length=150, blank=True, help_text=_("Ví dụ: UBND quận Hồng Bàng.")
    )
    slug = models.SlugField(_("đường dẫn"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Cơ quan cấp trên: thành phố → quận → phường → tổ dân phố."),
    )
    functions = RichTextField(_("chức năng, nhiệm vụ"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử công vụ"), blank=True)
    website = models.URLField(_("trang thông tin"), blank=True)
    logo = models.ForeignKey(
        Image,
        verbose_name=_("biểu trưng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(
        _("đang hoạt động"), default=True, help_text=_("Bỏ chọn khi đơn vị đã giải thể, sáp nhập.")
    )
    last_verified = models.DateField(
        _("kiểm tra lần cuối"),
        null=True,
        blank=True,
        help_text=_("Ngày thông tin liên hệ được đối chiếu gần nhất."),
    )
    # Derived on save: the Vietnamese sort key of the name, and the keys of
    # every level from the top, so one ORDER BY lists the whole tree.
    sort_key = models.CharField(max_length=700, editable=False, db_collation="C", db_index=True)
    tree_key = models.CharField(max_length=2000, editable=False, db_collation="C", db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="organization_unique_name_in_parent",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="organization_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.name = self.name.strip()
        self.short_name = self.short_name.strip()
        self.address = self.address.strip()
        self.functions = sanitize_html(self.functions)
        if not self.slug:
            self.slug = slugify_vi(self.short_name or self.name) or "don-vi"
        self._check_cycle()
        self.sort_key = vi_sort_key(self.name)
        parent = Organization.objects.filter(pk=self.parent_id).only("tree_key", "depth").first()
        old_tree_key = self.tree_key
        self.tree_key = f"{parent.tree_key}/{self.sort_key}" if parent else self.sort_key
        self.depth = parent.depth + 1 if parent else 0
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_tree_key and old_tree_key != self.tree_key:
                # Moved or renamed: its units follow it in the tree order.
                for child in self.children.all():
                    child.save(update_fields=["tree_key", "depth"])

    def get_absolute_url(self):
        return reverse("organizations:organization", kwargs={"slug": self.slug, "pk": self.pk})

    def clean(self):
        self._check_cycle()

    def _check_cycle(self):
        if self.parent_id is None or self.pk is None:
            return
        if self.parent_id == self.pk or any(a.pk == self.pk for a in self.parent.ancestors()):
            raise ValidationError(
                {
                    "parent": _(
                        "Không thể chọn chính đơn vị này hoặc đơn vị cấp dưới của nó làm cấp trên."
                    )
                }
            )

    def ancestors(self) -> list["Organization"]:
        """Every level above, from the top, in one query."""
        if self.pk is None:
            return [*self.parent.ancestors(), self.parent] if self.parent_id else []
        return [o for o in Organization.objects.raw(ANCESTORS_SQL, [self.pk]) if o.pk != self.pk]


class Person(CleanTextMixin, models.Model):
    """Someone named in the news. Public facts only: no ID numbers, no birth dates."""

    full_name = models.CharField(_("họ và tên"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=200, blank=True)
    public_email = models.EmailField(_("thư điện tử công vụ"), blank=True)
    public_phone = models.CharField(_("điện thoại cơ quan"), max_length=50, blank=True)
    # Vietnamese lists sort by given name, then family name, then middle names.
    sort_key = models.CharField(max_length=700, editable=False, db_collation="C", db_index=True)

    class Meta:
        verbose_name = _("nhân vật")
        verbose_name_plural = _("nhân vật")
        ordering = ["sort_key", "id"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.full_name = " ".join(self.full_name.split())
        if not self.slug:
            self.slug = slugify_vi(self.full_name) or "nhan-vat"
        self.sort_key = person_sort_key(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organizations:person", kwargs={"slug": self.slug, "pk": self.pk})


def person_sort_key(full_name: str) -> str:
    """``Lê Thị Vân`` sorts as ``Vân``, then ``Lê``, then ``Thị``."""
    words = full_name.split()
    if len(words) < 2:
        return vi_sort_key(full_name)
    family, *middle, given = words
    return "\x02".join(vi_sort_key(part) for part in (given, family, " ".join(middle)))


class PositionQuerySet(models.QuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
        )


class Position(CleanTextMixin, models.Model):
    """A person's title in an organization, over a period. One person may hold several."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan, đơn vị"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    title = models.CharField(
        _("chức vụ"), max_length=200, help_text=_("Ví dụ: Phó Chủ tịch Thường trực.")
    )
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(
        _("đến ngày"), null=True, blank=True, help_text=_("Để trống nếu đang giữ.")
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_it_starts",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.organization}"

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.title = self.title.strip()
        super().save(*args, **kwargs)
