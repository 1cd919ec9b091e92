from django.contrib import admin
from django.contrib.redirects.admin import RedirectAdmin as DjangoRedirectAdmin
from django.contrib.redirects.models import Redirect
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import SiteSettings
from portal.redirects import RedirectForm, target_problem

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


admin.site.unregister(Redirect)


@admin.register(Redirect)
class RedirectAdmin(DjangoRedirectAdmin):
    """Chuyển hướng: only to a path on the portal or an http(s) address."""

    form = RedirectForm
    list_display = ("old_path", "new_path", "target_is_safe")

    @admin.display(description=_("Đích hợp lệ"), boolean=True)
    def target_is_safe(self, redirect):
        # Rows saved before targets were checked are not followed.
        return target_problem(redirect.new_path) is None
