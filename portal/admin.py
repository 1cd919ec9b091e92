from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import SiteSettings

admin.site.site_header = _("Quản trị Cổng tin tức")
admin.site.site_title = _("Quản trị Cổng tin tức")
admin.site.index_title = _("Bảng điều khiển")
admin.site.site_url = "/"


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    # Editors paste bare domains ("haiphong.gov.vn"); government sites are https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["portal_name", "owner", "editor_in_charge"]}),
        (_("Liên hệ"), {"fields": ["address", "phone", "email", "fanpage_url"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row only: the list would be a page with a single link.
        settings = SiteSettings.load()
        return redirect(reverse("admin:portal_sitesettings_change", args=[settings.pk]))
