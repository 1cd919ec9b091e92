from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from media.forms import ImageChooserWidget
from organizations.models import Organization, Person, Position
from portal.autocomplete import SafeAutocompleteMixin
from portal.search import UnaccentSearchMixin


class PositionInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Position
    fields = ["title", "organization", "start_date", "end_date"]
    autocomplete_fields = ["organization"]
    extra = 0


class OrganizationPositionInline(PositionInline):
    fields = ["person", "title", "start_date", "end_date"]
    autocomplete_fields = ["person"]
    verbose_name_plural = _("lãnh đạo, cán bộ")


@admin.register(Organization)
class OrganizationAdmin(SafeAutocompleteMixin, UnaccentSearchMixin, admin.ModelAdmin):
    list_display = ["tree_name", "short_name", "kind", "is_active", "last_verified"]
    list_filter = ["kind", "is_active", ("last_verified", admin.EmptyFieldListFilter)]
    search_fields = ["name", "short_name"]
    ordering = ["tree_key"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganizationPositionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "parent", "is_active"]}),
        (
            _("Liên hệ"),
            {"fields": ["address", "phone", "email", "website", "logo", "last_verified"]},
        ),
        (_("Chức năng, nhiệm vụ"), {"fields": ["functions"]}),
        (_("Nâng cao"), {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    class Media:
        js = ["admin/js/urlify.js", "admin/js/slug-vi.js"]

    @admin.display(description=_("tên"), ordering="tree_key")
    def tree_name(self, obj):
        # The hierarchy as indentation: thành phố, then its quận, their phường...
        return format_html(
            '<span style="padding-left:{}em">{}{}</span>',
            obj.depth * 1.5,
            "└ " if obj.depth else "",
            obj.name,
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "logo":
            kwargs["widget"] = ImageChooserWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Person)
class PersonAdmin(UnaccentSearchMixin, admin.ModelAdmin):
    list_display = ["full_name", "current_positions"]
    search_fields = ["full_name"]
    prepopulated_fields = {"slug": ["full_name"]}
    inlines = [PositionInline]
    fields = ["full_name", "public_email", "public_phone", "slug"]

    class Media:
        js = ["admin/js/urlify.js", "admin/js/slug-vi.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("positions__organization")

    @admin.display(description=_("chức vụ"))
    def current_positions(self, obj):
        return "; ".join(str(p) for p in obj.positions.all() if p.end_date is None)
