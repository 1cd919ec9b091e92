from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from media import views
from media.forms import BulkUploadForm, DocumentAddForm, ImageAddForm, ImageChangeForm
from media.models import Document, Image
from media.permissions import can_change_image
from media.services import (
    document_create,
    document_delete,
    image_create,
    image_delete,
    image_upload,
)
from media.validation import UploadRejected
from portal.admin_lists import SafeChangeListMixin
from portal.search import UnaccentSearchMixin


def refuse_on_storage_failure(model_admin, request, add_view, *args):
    """Run the admin's add view; a file the server could not store (a full disk)
    comes back to the form with the reason, not as a server error. The add
    view's transaction has rolled back and the service removed the files."""
    try:
        return add_view(request, *args)
    except UploadRejected as error:
        model_admin.message_user(request, str(error), messages.ERROR)
        return redirect(request.get_full_path())


class LibraryItemAdmin(SafeChangeListMixin, UnaccentSearchMixin, admin.ModelAdmin):
    """What the image and document lists share: size, usage, the uploader."""

    list_select_related = ["uploaded_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_usage()

    @admin.display(description=_("Dung lượng"), ordering="file_size")
    def size(self, obj):
        return filesizeformat(obj.file_size)

    @admin.display(description=_("Sử dụng"), ordering="usage_count")
    def usage(self, obj):
        count = getattr(obj, "usage_count", None)
        if count is None:
            count = type(obj).objects.with_usage().get(pk=obj.pk).usage_count
        if not count:
            return _("Chưa dùng")
        return ngettext("Dùng trong %(n)d bài", "Dùng trong %(n)d bài", count) % {"n": count}

    def delete_queryset(self, request, queryset):
        for item in queryset:
            self.delete_model(request, item)


@admin.register(Image)
class ImageAdmin(LibraryItemAdmin):
    list_display = ["thumbnail", "title", "file_info", "credit", "uploaded", "usage"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["format", ("uploaded_by", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "uploaded_at"
    search_fields = ["title", "alt_text", "default_caption", "credit", "file"]
    list_per_page = 50
    readonly_fields = [
        "preview",
        "dimensions",
        "size",
        "format",
        "uploaded_by",
        "uploaded_at",
        "usage",
    ]
    change_list_template = "admin/media/image/change_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ImageChangeForm if obj else ImageAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["upload", "title", "alt_text", "default_caption", "credit"]})
            ]
        return [
            (None, {"fields": ["preview", "title", "alt_text", "default_caption", "credit"]}),
            (
                _("Thông tin tệp"),
                {"fields": ["dimensions", "size", "format", "uploaded_by", "uploaded_at", "usage"]},
            ),
        ]

    def has_change_permission(self, request, obj=None):
        # Without it, the change form is shown read-only (a reporter may still
        # look at any photo) and a post to it is refused. The admin asks
        # several times for one page; the answer about a photo costs a query.
        if obj is None:
            return can_change_image(request.user)
        answers = request.__dict__.setdefault("_image_change_permission", {})
        if obj.pk not in answers:
            answers[obj.pk] = can_change_image(request.user, obj)
        return answers[obj.pk]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if (
            change
            and not response.context_data["has_change_permission"]
            and can_change_image(request.user)
        ):
            # The response renders later, so the message shows on this page.
            self.message_user(
                request,
                _(
                    "Bạn chỉ xem được ảnh này: phóng viên chỉ sửa ảnh do mình tải lên khi ảnh "
                    "chưa xuất hiện trên trang công khai. Hãy nhờ biên tập viên sửa."
                ),
                messages.INFO,
            )
        return response

    def save_model(self, request, obj, form, change):
        if change:
            # Every admin path that saves a changed photo (the form, a list
            # edit) comes here; the stored row says who uploaded it.
            if not can_change_image(request.user, obj):
                raise PermissionDenied
            obj.save()
        else:
            image_create(
                image=obj,
                clean=form.clean_image,
                original_name=form.cleaned_data["upload"].name,
                user=request.user,
            )

    def delete_model(self, request, obj):
        image_delete(obj)

    def add_view(self, request, form_url="", extra_context=None):
        return refuse_on_storage_failure(self, request, super().add_view, form_url, extra_context)

    @admin.display(description=_("Ảnh"))
    def thumbnail(self, obj):
        rendition = obj.rendition(320, "webp") or obj.rendition(320, "jpeg")
        url = rendition.url if rendition else obj.file.url
        return format_html(
            '<img src="{}" alt="" width="96" height="{}" loading="lazy" style="object-fit:cover">',
            url,
            max(1, round(96 * obj.height / obj.width)),
        )

    @admin.display(description=_("Xem trước"))
    def preview(self, obj):
        rendition = obj.rendition(640, "jpeg")
        return format_html(
            '<img src="{}" alt="{}" style="max-width:100%;height:auto">',
            rendition.url if rendition else obj.file.url,
            obj.alt_text,
        )

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    @admin.display(description=_("Tệp"), ordering="file_size")
    def file_info(self, obj):
        return f"{obj.width} × {obj.height} · {filesizeformat(obj.file_size)}"

    @admin.display(description=_("Tải lên"), ordering="uploaded_at")
    def uploaded(self, obj):
        when = formats.date_format(timezone.localtime(obj.uploaded_at), "SHORT_DATE_FORMAT")
        return f"{obj.uploaded_by} · {when}" if obj.uploaded_by else when

    @admin.display(description=_("Kích thước"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("tai-nhieu-anh/", wrap(self.bulk_upload_view), name="media_image_bulk_upload"),
            path(
                "ckeditor/tai-len/", wrap(views.ckeditor_upload), name="media_image_ckeditor_upload"
            ),
            path(
                "ckeditor/chon/",
                wrap(views.ckeditor_browse_images),
                name="media_image_ckeditor_browse",
            ),
            *super().get_urls(),
        ]

    def bulk_upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        results = []
        form = BulkUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            for upload in form.cleaned_data["files"]:
                try:
                    image = image_upload(
                        upload, user=request.user, credit=form.cleaned_data["credit"]
                    )
                    results.append({"name": upload.name, "image": image})
                except UploadRejected as error:
                    existing = getattr(error, "existing", None)
                    results.append({"name": upload.name, "error": str(error), "existing": existing})
            done = sum(1 for r in results if "image" in r)
            level = messages.SUCCESS if done == len(results) else messages.WARNING
            self.message_user(
                request,
                _("Đã tải lên %(done)d/%(total)d ảnh.") % {"done": done, "total": len(results)},
                level,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tải nhiều ảnh"),
            "opts": self.model._meta,
            "form": form,
            "results": results,
            "changelist_url": reverse("admin:media_image_changelist"),
        }
        return TemplateResponse(request, "admin/media/image/bulk_upload.html", context)


@admin.register(Document)
class DocumentAdmin(LibraryItemAdmin):
    list_display = [
        "title",
        "number",
        "issued_on",
        "file_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "usage",
        "download",
    ]
    list_filter = ["file_type", ("uploaded_by", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "uploaded_at"
    search_fields = ["title", "number", "description", "file"]
    readonly_fields = ["file_type", "size", "uploaded_by", "uploaded_at", "usage", "download"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = DocumentAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "title", "number", "issued_on", "description"]
        return [
            "title",
            "number",
            "issued_on",
            "description",
            "file_type",
            "size",
            "download",
            "uploaded_by",
            "uploaded_at",
            "usage",
        ]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
        else:
            data, clean = form.prepared
            document_create(
                document=obj,
                data=data,
                clean=clean,
                original_name=form.cleaned_data["upload"].name,
                user=request.user,
            )

    def delete_model(self, request, obj):
        document_delete(obj)

    def add_view(self, request, form_url="", extra_context=None):
        return refuse_on_storage_failure(self, request, super().add_view, form_url, extra_context)

    @admin.display(description=_("Tải về"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.type_and_size)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "ckeditor/chon/",
                wrap(views.ckeditor_browse_documents),
                name="media_document_ckeditor_browse",
            ),
            *super().get_urls(),
        ]
