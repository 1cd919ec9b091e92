from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import chrome
from portal.cache import forgets_versionless_cache, now_and_after_commit
from portal.routers import use_primary
from portal.text import CleanTextMixin


@forgets_versionless_cache
def forget_site_settings() -> None:
    cache.delete_many([SiteSettings.CACHE_KEY, chrome.CACHE_KEY])


class SiteSettings(CleanTextMixin, models.Model):
    """The portal's identity and contact details: one row, edited in the admin."""

    CACHE_KEY = "portal:site-settings"

    portal_name = models.CharField(
        _("tên cổng"),
        max_length=200,
        default="Cổng tin tức",
        help_text=_("Tên hiển thị ở đầu trang, chân trang và dòng chú thích mã QR Fanpage."),
    )
    owner = models.CharField(
        _("cơ quan chủ quản"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Ủy ban nhân dân thành phố Hải Phòng."),
    )
    fanpage_url = models.URLField(
        _("địa chỉ Fanpage"),
        blank=True,
        help_text=_("Trang Facebook của cổng. Để trống thì không hiện mã QR Fanpage."),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    editor_in_charge = models.CharField(
        _("chịu trách nhiệm nội dung"),
        max_length=200,
        blank=True,
        help_text=_("Họ tên và chức vụ người chịu trách nhiệm, in ở chân trang."),
    )

    class Meta:
        verbose_name = _("cấu hình cổng")
        verbose_name_plural = _("cấu hình cổng")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="sitesettings_singleton"),
        ]

    def __str__(self):
        return self.portal_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        now_and_after_commit(forget_site_settings)

    def delete(self, *args, **kwargs):
        super().delete(*args, **kwargs)
        now_and_after_commit(forget_site_settings)

    @classmethod
    def load(cls) -> "SiteSettings":
        """The settings row, from the cache when possible (every public page reads it)."""
        settings = cache.get(cls.CACHE_KEY)
        if settings is None:
            # From the primary: a lagging replica would fill it with old values.
            with use_primary():
                settings, _created = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, settings, timeout=None)
        return settings
