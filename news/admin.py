from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from news.models import Article, Category


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["category"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "lead", "body"]}),
        (
            _("Xuất bản"),
            {"fields": ["category", "status", "published_at", "author_byline", "source"]},
        ),
        (
            _("Nâng cao"),
            {
                "classes": ["collapse"],
                "fields": ["slug", "original_url", "created_by", "created_at", "updated_at"],
            },
        ),
    ]

    class Media:
        # After urlify.js, which it wraps; Media merging keeps this order.
        js = ["admin/js/urlify.js", "admin/js/slug-vi.js"]
        css = {"all": ["admin/css/newsroom.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")

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
