from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from media.models import Document
from organizations.models import Organization, Person
from portal.text import CleanTextMixin, slugify_vi


class AwardType(CleanTextMixin, models.Model):
    class Level(models.TextChoices):
        STATE = "nha-nuoc", _("Nhà nước")
        GOVERNMENT = "chinh-phu", _("Chính phủ")
        MINISTRY = "bo-nganh", _("Bộ, ngành, đoàn thể trung ương")
        CITY = "thanh-pho", _("Tỉnh, thành phố")
        DISTRICT = "quan-huyen", _("Quận, huyện")
        WARD = "phuong-xa", _("Phường, xã")
        UNIT = "co-so", _("Cơ quan, đơn vị")

    name = models.CharField(_("hình thức khen thưởng"), max_length=150)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "level"], name="award_type_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_level_display()})"


class AwardDecisionQuerySet(models.QuerySet):
    def with_counts(self):
        """Annotate ``collective_count`` and ``individual_count`` (tập thể, cá nhân)."""
        return self.annotate(
            collective_count=Count("recipients", filter=Q(recipients__organization__isnull=False)),
            individual_count=Count("recipients", filter=Q(recipients__person__isnull=False)),
        )

    def for_listing(self):
        # Explicit order: Meta.ordering is not applied to aggregated (GROUP BY) queries.
        return (
            self.select_related("award_type", "authority")
            .with_counts()
            .order_by("-decided_on", "-id")
        )


class AwardDecision(CleanTextMixin, models.Model):
    number = models.CharField(
        _("số quyết định"), max_length=100, help_text=_("Ví dụ: 1234/QĐ-UBND.")
    )
    decided_on = models.DateField(_("ngày ký"))
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("hình thức"), on_delete=models.PROTECT, related_name="decisions"
    )
    authority = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan quyết định"),
        on_delete=models.PROTECT,
        related_name="decisions_conferred",
    )
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=200, blank=True, help_text=_("Ví dụ: Chủ tịch UBND quận.")
    )
    signer = models.ForeignKey(
        Person,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(
        _("lý do, phong trào"),
        help_text=_(
            "Thành tích, chương trình được khen, vd. Chương trình phối hợp số 09/CTr-BCA-MTTW."
        ),
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("bản quét quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_decisions",
    )
    articles = models.ManyToManyField(
        "news.Article",
        verbose_name=_("bài viết đưa tin"),
        blank=True,
        related_name="award_decisions",
    )
    slug = models.SlugField(max_length=200, blank=True, editable=False)

    objects = AwardDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-decided_on", "-id"]
        get_latest_by = "decided_on"
        constraints = [
            models.UniqueConstraint(
                fields=["number", "authority"],
                name="award_decision_unique_number",
                violation_error_message=_("Cơ quan này đã có quyết định mang số này."),
            ),
        ]

    def __str__(self):
        return _("Quyết định %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.number = self.number.strip()
        self.signer_title = self.signer_title.strip()
        self.reason = self.reason.strip()
        self.slug = (
            slugify_vi(f"{self.award_type.name} {self.number.replace('/', ' ')}") or "quyet-dinh"
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("awards:decision", kwargs={"slug": self.slug, "pk": self.pk})


class AwardRecipientQuerySet(models.QuerySet):
    def search(self, query: str):
        """Recipients whose name matches, ignoring accents: ``le thi van`` finds Lê Thị Vân."""
        from portal.search import unaccent_search

        return unaccent_search(
            self, ["person__full_name", "organization__name", "organization__short_name"], query
        )


class AwardRecipient(CleanTextMixin, models.Model):
    """One collective (tập thể) or one individual (cá nhân) honoured by a decision."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="recipients")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tập thể"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards_received",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards_received",
    )
    position_as_written = models.CharField(
        _("chức vụ (khi khen)"),
        max_length=200,
        blank=True,
        help_text=_("Như ghi trong quyết định."),
    )
    unit_as_written = models.CharField(
        _("đơn vị (khi khen)"), max_length=300, blank=True, help_text=_("Như ghi trong quyết định.")
    )
    achievement = models.TextField(_("thành tích"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = AwardRecipientQuerySet.as_manager()

    class Meta:
        verbose_name = _("người, tập thể được khen")
        verbose_name_plural = _("danh sách được khen")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(person__isnull=True))
                | (Q(organization__isnull=True) & Q(person__isnull=False)),
                name="award_recipient_collective_xor_individual",
                violation_error_message=_(
                    "Chọn hoặc một tập thể, hoặc một cá nhân (không cả hai)."
                ),
            ),
            models.UniqueConstraint(
                fields=["decision", "organization"],
                condition=Q(organization__isnull=False),
                name="award_recipient_organization_once",
                violation_error_message=_("Tập thể này đã có trong quyết định."),
            ),
            models.UniqueConstraint(
                fields=["decision", "person"],
                condition=Q(person__isnull=False),
                name="award_recipient_person_once",
                violation_error_message=_("Cá nhân này đã có trong quyết định."),
            ),
        ]

    def __str__(self):
        return str(self.organization or self.person)

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        self.position_as_written = self.position_as_written.strip()
        self.unit_as_written = self.unit_as_written.strip()
        self.achievement = self.achievement.strip()
        super().save(*args, **kwargs)

    @property
    def is_collective(self):
        return self.organization_id is not None

    @property
    def name(self):
        return self.organization.name if self.organization_id else self.person.full_name
