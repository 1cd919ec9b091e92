from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from media.forms import ImageChooserWidget
from news.models import Article, Category, GalleryItem
from portal.search import UnaccentSearchMixin


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        # After urlify.js, which it wraps; Media merging keeps this order.
        js = ["admin/js/urlify.js", "admin/js/slug-vi.js"]
        css = {"all": ["admin/css/newsroom.css"]}


class GalleryFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        missing = [
            form.cleaned_data["image"].title
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("image")
            and not form.cleaned_data["image"].alt_text
        ]
        if missing:
            raise ValidationError(
                _("Ảnh chưa có mô tả thay thế (alt), cần bổ sung trước khi xuất bản: %(names)s.")
                % {"names": ", ".join(f"“{name}”" for name in missing)}
            )


class GalleryItemInline(admin.TabularInline):
    model = GalleryItem
    formset = GalleryFormSet
    fields = ["image", "caption", "order"]
    extra = 0
    verbose_name = _("ảnh")
    verbose_name_plural = _("bộ ảnh cuối bài")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "image":
            kwargs["widget"] = ImageChooserWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Article)
class ArticleAdmin(UnaccentSearchMixin, admin.ModelAdmin):
    # Editors paste bare domains ("haiphong.gov.vn"); government sites are https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "category", "status", "published_at", "author_byline", "view_link"]
    list_display_links = ["title"]
    list_filter = ["status", "category", ("published_at", admin.DateFieldListFilter)]
    list_select_related = ["category"]
    search_fields = ["title", "lead", "author_byline"]
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "organizations", "people"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "lead", "body", "cover_image"]}),
        (
            _("Xuất bản"),
            {"fields": ["category", "status", "published_at", "author_byline", "source"]},
        ),
        (
            _("Liên quan"),
            {"fields": ["organizations", "people"]},
        ),
        (
            _("Nâng cao"),
            {
                "classes": ["collapse"],
                "fields": ["slug", "original_url", "created_by", "created_at", "updated_at"],
            },
        ),
    ]

    inlines = [GalleryItemInline]

    class Media:
        # Each after the file it builds on; Media merging keeps these orders.
        js = [
            "admin/js/urlify.js",
            "admin/js/slug-vi.js",
            "ckeditor/ckeditor/ckeditor.js",
            "admin/js/ckeditor-upload.js",
        ]
        css = {"all": ["admin/css/newsroom.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "body_html")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cover_image":
            kwargs["widget"] = ImageChooserWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Xem"))
    def view_link(self, obj):
        if obj.status != Article.Status.PUBLISHED:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.get_absolute_url(),
            _("Xem trên cổng"),
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
