from datetime import UTC, datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from media.forms import ImageChooserWidget
from news import permissions, services
from news.diff import readable_text, version_diff, word_diff
from news.models import (
    STORED_MARKUP_FIELDS,
    Article,
    Category,
    EditConflict,
    GalleryItem,
    Tag,
)
from portal.admin_lists import SafeChangeListMixin
from portal.autocomplete import SafeAutocompleteMixin
from portal.names import staff_name
from portal.sanitize import sanitize_html
from portal.search import UnaccentSearchMixin
from portal.text import clean_text


@admin.register(Tag)
class TagAdmin(UnaccentSearchMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ["admin/js/urlify.js", "admin/js/slug-vi.js"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug", "order"]
    list_select_related = ["parent"]
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
        publishing = getattr(self.instance, "publishing", False)
        if self.instance.status != Article.Status.PUBLISHED and not publishing:
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


class MineFilter(admin.SimpleListFilter):
    title = _("người viết")
    parameter_name = "cua_toi"

    def lookups(self, request, model_admin):
        return [("1", _("Bài của tôi"))]

    def queryset(self, request, queryset):
        return queryset.filter(created_by=request.user) if self.value() == "1" else queryset


class AuthorFilter(admin.SimpleListFilter):
    title = _("người tạo bài")
    parameter_name = "nguoi_tao"

    def lookups(self, request, model_admin):
        authors = (
            get_user_model()
            .objects.filter(pk__in=Article.objects.values("created_by"))
            .order_by("last_name", "first_name", "username")
        )
        return [(str(user.pk), staff_name(user)) for user in authors]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value.isdigit() and len(value) <= 10:
            return queryset.filter(created_by_id=int(value))
        return queryset


class TrashFilter(admin.SimpleListFilter):
    title = _("thùng rác")
    parameter_name = "thung_rac"

    def lookups(self, request, model_admin):
        return [("1", _("Bài trong thùng rác"))]

    def queryset(self, request, queryset):
        # Trashed articles appear only here; every other view hides them.
        return queryset.trashed() if self.value() == "1" else queryset.live()


# The workflow buttons of the change form: (name, label, permission check).
TRANSITIONS = {
    "submit": (_("Lưu và gửi duyệt"), permissions.can_submit),
    "send_back": (_("Trả lại phóng viên"), permissions.can_send_back),
    "publish": (_("Lưu và xuất bản"), permissions.can_publish),
    "unpublish": (_("Gỡ bài xuống"), permissions.can_unpublish),
}


def https_url_fields(db_field, **kwargs):
    # Editors paste bare domains ("haiphong.gov.vn"); government sites are https.
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class ArticleForm(forms.ModelForm):
    # The version and time the editor opened the form at, for the conflict check.
    # Bounded: a tampered value is a form error, not a failed query or date.
    edit_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )
    edit_started = forms.FloatField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=4_102_444_800
    )
    workflow_comment = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Lưu vào lịch sử bài; bắt buộc khi trả lại bài (ghi lý do cho phóng viên)."),
    )

    # Set per request by ArticleAdmin.get_form.
    user = None
    transition = None

    class Meta:
        model = Article
        formfield_callback = staticmethod(https_url_fields)
        # The admin narrows these per user (fieldsets, read-only fields).
        fields = [
            "title",
            "lead",
            "body",
            "cover_image",
            "category",
            "published_at",
            "author_byline",
            "source",
            "organizations",
            "people",
            "slug",
            "original_url",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # From the database, not the instance: when restoring a revision
            # the instance holds the old content.
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            self.fields["edit_version"].initial = current.first()
            self.fields["edit_started"].initial = timezone.now().timestamp()

    @property
    def changed_data(self):
        # The bookkeeping fields are not changes to the article.
        bookkeeping = {"edit_version", "edit_started", "workflow_comment"}
        return [name for name in super().changed_data if name not in bookkeeping]

    def clean(self):
        # Publishing checks the article as it will be published (alt texts...).
        self.instance.publishing = self.transition == "publish"
        cleaned = super().clean()
        if self.transition:
            label, allowed = TRANSITIONS[self.transition]
            article = self.instance
            if article.pk is None and self.transition in ("submit", "publish"):
                article = Article(status=Article.Status.DRAFT, created_by=self.user)
            if not allowed(self.user, article):
                raise ValidationError(_("Bạn không được phép: %(action)s.") % {"action": label})
            if self.transition == "send_back" and not cleaned.get("workflow_comment", "").strip():
                self.add_error("workflow_comment", _("Hãy ghi lý do trả lại bài."))
        version = cleaned.get("edit_version")
        if self.instance.pk and version is not None:
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            current = current.first()
            if current is not None and current != version:
                self._merge_with_current(cleaned, current)
        return cleaned

    # What a save after someone else's is merged on, field by field.
    MERGED_FIELDS = [
        "title",
        "lead",
        "body",
        "cover_image",
        "category",
        "author_byline",
        "source",
        "original_url",
        "slug",
        "tags",
        "organizations",
        "people",
    ]

    def _merge_with_current(self, cleaned, current_version):
        """Someone saved since this form was opened: a three-way merge.

        From the version the form was opened on (the base), a field this
        editor did not touch takes the other save's value, and one only this
        editor changed keeps theirs. A field both changed is a conflict: the
        form comes back with the other person's text beside this editor's,
        holding the merged values, so that saving again can only keep what the
        editor has now seen, never silently put back what the other removed.
        """
        started = cleaned.get("edit_started")
        base = base_version(self.instance.pk, started)
        now = current_values(self.instance.pk)
        mine = {name: comparable(name, cleaned.get(name)) for name in self.merged_fields()}
        self.merged, self.conflicts = [], []
        for name, value in mine.items():
            before = now[name] if base is None else comparable(name, base.get(_key(name)))
            theirs = now[name]
            if value == theirs or theirs == before:
                continue  # the same, or only this editor changed it
            if value == before:
                cleaned[name] = form_value(self.fields[name], theirs)
                self.merged.append(name)
            else:
                self.conflicts.append(conflict_entry(self.fields[name], name, theirs, value))
        # The form shown again holds the merged values and the current version.
        self.data = self.data.copy()
        for name in self.merged:
            set_data(self.data, self.add_prefix(name), self.fields[name], now[name])
        self.data["edit_version"] = str(current_version)
        self.data["edit_started"] = str(timezone.now().timestamp())
        cleaned["edit_version"] = current_version
        if self.conflicts:
            raise ValidationError(conflict_message(self.instance, started))

    def merged_fields(self):
        return [name for name in self.MERGED_FIELDS if name in self.fields]


M2M_FIELDS = {"tags", "organizations", "people"}
FK_FIELDS = {"cover_image", "category"}
MULTILINE_FIELDS = {"lead", "body"}


def _key(name):
    return f"{name}_id" if name in FK_FIELDS else name


def comparable(name, value):
    """A field's value in one form, whether from the form, the row or a stored version."""
    if name in M2M_FIELDS:
        return sorted(int(getattr(item, "pk", item)) for item in value or [])
    if name in FK_FIELDS:
        return getattr(value, "pk", value)
    text = clean_text(str(value or ""), multiline=name in MULTILINE_FIELDS).strip()
    return sanitize_html(text) if name == "body" else text


def current_values(article_id) -> dict:
    article = Article.objects.get(pk=article_id)
    values = {
        name: comparable(name, getattr(article, _key(name)))
        for name in ArticleForm.MERGED_FIELDS
        if name not in M2M_FIELDS
    }
    for name in M2M_FIELDS:
        values[name] = comparable(name, getattr(article, name).values_list("pk", flat=True))
    return values


def base_version(article_id, started) -> dict | None:
    """The stored version the form was opened on: the last saved before it opened."""
    if started is None:
        return None
    opened = datetime.fromtimestamp(started, tz=UTC)
    version = (
        Version.objects.get_for_object_reference(Article, article_id)
        .filter(revision__date_created__lte=opened)
        .order_by("-revision__date_created", "-pk")
        .first()
    )
    return version.field_dict if version else None


def form_value(field, value):
    """A comparable value as the form's cleaned data holds it."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return field.queryset.filter(pk__in=value)
    if isinstance(field, forms.ModelChoiceField):
        return field.queryset.filter(pk=value).first() if value is not None else None
    return value


def set_data(data, key, field, value):
    if isinstance(field, forms.ModelMultipleChoiceField):
        data.setlist(key, [str(pk) for pk in value])
    elif isinstance(field, forms.ModelChoiceField):
        data[key] = "" if value is None else str(value)
    else:
        data[key] = value


def display(field, value) -> str:
    """A value as an editor reads it: text as text, choices by their names."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(item) for item in field.queryset.filter(pk__in=value)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        item = field.queryset.filter(pk=value).first() if value is not None else None
        return str(item) if item else "—"
    return value


def conflict_entry(field, name, theirs, mine) -> dict:
    theirs_text, mine_text = display(field, theirs), display(field, mine)
    if name == "body":
        theirs_text, mine_text = (
            readable_text(theirs_text, "body"),
            readable_text(mine_text, "body"),
        )
    return {
        "label": field.label,
        "theirs": theirs_text,
        "mine": mine_text,
        "diff": word_diff(theirs_text, mine_text),
    }


def conflict_message(article: Article, started: float | None) -> str:
    """Who saved the article since the form was opened, when, and which fields changed."""
    versions = list(Version.objects.get_for_object(article).select_related("revision__user")[:50])
    latest = versions[0] if versions else None
    base = None
    if started is not None:
        opened = datetime.fromtimestamp(started, tz=UTC)
        base = next((v for v in versions if v.revision.date_created <= opened), None)
    changed = []
    if latest and base:
        for field in (
            "title",
            "lead",
            "body",
            "category_id",
            "cover_image_id",
            "published_at",
            "author_byline",
            "source",
            "status",
        ):
            if latest.field_dict.get(field) != base.field_dict.get(field):
                name = field.removesuffix("_id")
                changed.append(str(Article._meta.get_field(name).verbose_name))
    who = (
        staff_name(latest.revision.user)
        if (latest and latest.revision.user)
        else _("một người khác")
    )
    when = (
        timezone.localtime(latest.revision.date_created).strftime("%H:%M %d/%m/%Y")
        if latest
        else ""
    )
    message = _(
        "Bài này vừa được %(who)s lưu lúc %(when)s, sau khi bạn mở nó. Chưa lưu gì của bạn: "
        "nội dung bạn sửa vẫn còn trong biểu mẫu dưới đây, và những phần bạn không sửa đã "
        "nhận bản mới của họ. Hãy xem bản của họ ở những phần hai người cùng sửa, gộp rồi "
        "lưu lại."
    ) % {"who": who, "when": when}
    if changed:
        message += " " + _("Những phần đã thay đổi: %(fields)s.") % {"fields": ", ".join(changed)}
    return message


@admin.register(Article)
class ArticleAdmin(SafeChangeListMixin, SafeAutocompleteMixin, UnaccentSearchMixin, VersionAdmin):
    form = ArticleForm
    # Editors paste bare domains ("haiphong.gov.vn"); government sites are https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "category",
        "status_display",
        "published_at",
        "author_byline",
        "view_link",
    ]
    list_display_links = ["title"]
    list_filter = [
        MineFilter,
        TrashFilter,
        "status",
        "category",
        AuthorFilter,
        ("published_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["category"]
    search_fields = ["title", "lead", "author_byline"]
    date_hierarchy = "published_at"
    ordering = ["-published_at", "-id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "tags", "organizations", "people"]
    save_on_top = True
    change_form_template = "admin/news/article/change_form.html"
    change_list_template = "admin/news/article/change_list.html"
    object_history_template = "admin/news/article/object_history.html"
    actions = [
        "publish_selected",
        "unpublish_selected",
        "trash_selected",
        "restore_selected",
        "purge_selected",
    ]
    inlines = [GalleryItemInline]

    class Media:
        # Each after the file it builds on; Media merging keeps these orders.
        js = [
            "admin/js/urlify.js",
            "admin/js/slug-vi.js",
            "ckeditor/ckeditor/ckeditor.js",
            "admin/js/ckeditor-upload.js",
            "admin/js/article-presence.js",
            "admin/js/article-draft.js",
        ]
        css = {"all": ["admin/css/newsroom.css"]}

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["title", "lead", "body", "cover_image"]}),
            (
                _("Xuất bản"),
                {
                    "fields": [
                        "category",
                        "status",
                        "published_at",
                        "author_byline",
                        "source",
                        "workflow_comment",
                        "edit_version",
                        "edit_started",
                    ]
                },
            ),
            (_("Liên quan"), {"fields": ["tags", "organizations", "people"]}),
            (
                _("Nâng cao"),
                {
                    "classes": ["collapse"],
                    "fields": ["slug", "original_url", "created_by", "created_at", "updated_at"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "created_by", "created_at", "updated_at"]
        if not permissions.is_editor(request.user):
            # Reporters cannot set the publication time: only editors schedule.
            readonly.append("published_at")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        transition = request.POST.get("_transition") if request.method == "POST" else None
        form.transition = transition if transition in TRANSITIONS else None
        return form

    def get_queryset(self, request):
        # A reporter's own articles come first in their list (get_ordering).
        queryset = (
            Article.objects.annotate(
                mine=models.Case(
                    models.When(created_by_id=request.user.pk, then=1),
                    default=0,
                    output_field=models.IntegerField(),
                )
            )
            .defer("body", "body_html", *STORED_MARKUP_FIELDS)
            .order_by(*self.get_ordering(request))
        )
        return queryset

    def get_ordering(self, request):
        if permissions.is_editor(request.user):
            return self.ordering
        return ["-mine", *self.ordering]

    def changelist_view(self, request, extra_context=None):
        context = {"may_recover": permissions.can_recover(request.user), **(extra_context or {})}
        return super().changelist_view(request, context)

    def history_view(self, request, object_id, extra_context=None):
        versions = Version.objects.get_for_object_reference(Article, object_id).select_related(
            "revision__user"
        )
        return super().history_view(
            request, object_id, {**(extra_context or {}), "versions": versions}
        )

    def has_change_permission(self, request, obj=None):
        return permissions.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return permissions.is_editor(request.user) and request.user.has_perm(
                "news.delete_article"
            )
        return permissions.can_trash(request.user, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cover_image":
            kwargs["widget"] = ImageChooserWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article(status=Article.Status.DRAFT, created_by=request.user)
        context["transitions"] = [
            (name, label)
            for name, (label, allowed) in TRANSITIONS.items()
            if allowed(request.user, article)
        ]
        context["events"] = list(obj.events.select_related("actor")[:10]) if obj else []
        # Where the browser keeps what is being typed: per user and article.
        context["draft_key"] = f"{request.user.pk}:{obj.pk if obj else 'moi'}"
        if obj:
            context["presence_url"] = reverse("admin:news_article_presence", args=[obj.pk])
            if permissions.can_purge(request.user, obj):
                context["purge_url"] = reverse("admin:news_article_purge", args=[obj.pk])
            if permissions.can_withdraw(request.user, obj):
                context["withdraw_url"] = reverse("admin:news_article_withdraw", args=[obj.pk])
            if permissions.can_manage_previews(request.user, obj):
                context["preview_url"] = reverse("admin:news_article_preview_link", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def log_change(self, request, obj, message):
        super().log_change(request, obj, message)
        # The editor's own note, when given, describes the revision better
        # than the list of changed fields the admin writes.
        comment = getattr(request, "_workflow_comment", "")
        if comment:
            reversion.set_comment(comment)

    log_addition = log_change

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        request._workflow_comment = form.cleaned_data.get("workflow_comment", "")
        merged = getattr(form, "merged", [])
        if merged:
            labels = ", ".join(str(form.fields[name].label) for name in merged)
            self.message_user(
                request,
                _(
                    "Trong lúc bạn sửa, bài đã được người khác lưu; những phần bạn không sửa "
                    "giữ bản mới của họ: %(fields)s."
                )
                % {"fields": labels},
                messages.INFO,
            )
        obj.save(expected_version=form.cleaned_data.get("edit_version") if change else None)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transition = form.transition
        if not transition:
            return
        article, user = form.instance, request.user
        comment = form.cleaned_data.get("workflow_comment", "")
        if transition == "submit":
            services.article_submit(article=article, user=user)
        elif transition == "send_back":
            services.article_send_back(article=article, user=user, comment=comment)
        elif transition == "publish":
            at = form.cleaned_data.get("published_at") if permissions.is_editor(user) else None
            services.article_publish(article=article, user=user, at=at)
        elif transition == "unpublish":
            services.article_unpublish(article=article, user=user, comment=comment)

    # --- Old versions: restoring one, recovering a purged article ---------------
    # django-reversion's own views revert a whole stored revision (whatever
    # model its ids belong to) and then show the ordinary change form; here
    # every restore is a workflow service with its permission check, its
    # audit entry and the rules of the article's current state.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        try:
            version = services.article_version(article.pk, version_id)
        except services.TransitionRefused as error:
            raise Http404 from error
        may_restore = permissions.can_edit(request.user, article)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            comment = request.POST.get("workflow_comment", "")
            try:
                notes = services.article_revert(
                    article=article, user=request.user, version_id=version.pk, comment=comment
                )
            except services.TransitionRefused as error:
                messages.error(request, str(error))
                return redirect(request.path)
            messages.success(
                request,
                _(
                    "Đã khôi phục nội dung phiên bản cũ thành một phiên bản mới; trạng thái bài "
                    "không đổi."
                ),
            )
            for note in notes:
                messages.warning(request, note)
            return redirect("admin:news_article_change", article.pk)
        current = {field: getattr(article, field) for field in services.RESTORED_FIELDS}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Khôi phục phiên bản cũ"),
            "opts": self.model._meta,
            "original": article,
            "version": version,
            "may_restore": may_restore,
            "changes": version_diff(current, services.version_content(version)),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/news/article/revision.html", context)

    def recoverlist_view(self, request, extra_context=None):
        if not permissions.can_recover(request.user):
            raise PermissionDenied
        deleted = Version.objects.get_deleted(Article).select_related("revision__user")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Khôi phục bài đã xóa vĩnh viễn"),
            "opts": self.model._meta,
            "deleted": deleted,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/news/article/recover_list.html", context)

    def recover_view(self, request, version_id, extra_context=None):
        if not permissions.can_recover(request.user):
            raise PermissionDenied
        version = services.deleted_article_version(version_id)
        if version is None:
            raise Http404
        if request.method == "POST":
            try:
                article = services.article_recover(version_id=version.pk, user=request.user)
            except services.TransitionRefused as error:
                messages.error(request, str(error))
                return redirect("admin:news_article_recoverlist")
            messages.success(
                request, _("Đã khôi phục bài “%(title)s” thành bản nháp.") % {"title": article}
            )
            return redirect("admin:news_article_change", article.pk)
        try:
            fields = services.version_content(version)
        except services.TransitionRefused as error:
            raise Http404 from error
        context = {
            **self.admin_site.each_context(request),
            "title": _("Khôi phục bài đã xóa vĩnh viễn"),
            "opts": self.model._meta,
            "version": version,
            "fields": fields,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/news/article/recover_form.html", context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between this form's check and its save; nothing was
            # written. Showing the form again lets its check report who and what.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_model(self, request, obj):
        services.article_trash(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_trash(article=article, user=request.user)

    @admin.display(description=_("trạng thái"), ordering="status")
    def status_display(self, obj):
        if obj.deleted_at:
            return _("Trong thùng rác")
        if obj.status == Article.Status.PUBLISHED and obj.published_at > timezone.now():
            return _("Hẹn giờ %(at)s") % {
                "at": timezone.localtime(obj.published_at).strftime("%H:%M %d/%m/%Y")
            }
        return obj.get_status_display()

    @admin.display(description=_("Xem"))
    def view_link(self, obj):
        if obj.deleted_at:
            return "—"
        label = _("Xem trên cổng") if obj.is_public else _("Xem trước")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label
        )

    def _bulk(self, request, queryset, service, done_message, **kwargs):
        done, refused = 0, []
        for article in queryset:
            try:
                service(article=article, user=request.user, **kwargs)
                done += 1
            except (PermissionDenied, services.TransitionRefused) as error:
                refused.append(f"“{article.title}”: {error}")
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    # Each action is offered only to those who may take it (the services check
    # again, article by article).
    def has_publish_permission(self, request):
        return permissions.is_editor(request.user)

    def has_trash_permission(self, request):
        return self.has_delete_permission(request)

    def has_purge_permission(self, request):
        return permissions.can_recover(request.user)

    @admin.action(description=_("Xuất bản các bài đã chọn"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset.live(), services.article_publish, _("Đã xuất bản %(n)s bài."))

    @admin.action(description=_("Gỡ các bài đã chọn"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset.live(), services.article_unpublish, _("Đã gỡ %(n)s bài."))

    @admin.action(description=_("Bỏ các bài đã chọn vào thùng rác"), permissions=["trash"])
    def trash_selected(self, request, queryset):
        self._bulk(
            request, queryset.live(), services.article_trash, _("Đã bỏ %(n)s bài vào thùng rác.")
        )

    @admin.action(description=_("Khôi phục các bài đã chọn từ thùng rác"), permissions=["trash"])
    def restore_selected(self, request, queryset):
        self._bulk(
            request, queryset.trashed(), services.article_restore, _("Đã khôi phục %(n)s bài.")
        )

    @admin.action(description=_("Xóa vĩnh viễn (chỉ bài trong thùng rác)"), permissions=["purge"])
    def purge_selected(self, request, queryset):
        articles = list(queryset.trashed())
        if request.POST.get("post") != "yes":
            # Nothing is destroyed before the administrator has seen what.
            return self.purge_confirmation(request, articles, bulk=True)
        self._bulk(request, articles, services.article_purge, _("Đã xóa vĩnh viễn %(n)s bài."))
        return None

    def purge_confirmation(self, request, articles, *, bulk):
        versions = {
            row["object_id"]: row["n"]
            for row in Version.objects.get_for_model(Article)
            .filter(object_id__in=[str(a.pk) for a in articles])
            .values("object_id")
            .annotate(n=models.Count("pk"))
        }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Xóa vĩnh viễn"),
            "opts": self.model._meta,
            "articles": [(article, versions.get(str(article.pk), 0)) for article in articles],
            "bulk": bulk,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/news/article/purge_confirmation.html", context)

    def withdraw_view(self, request, pk):
        """The author takes an article back from review (POST from its form)."""
        article = get_object_or_404(Article, pk=pk)
        if not permissions.can_withdraw(request.user, article):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:news_article_change", article.pk)
        services.article_withdraw(article=article, user=request.user)
        self.message_user(
            request,
            _("Đã rút bài về bản nháp của bạn; sửa xong, hãy gửi duyệt lại."),
            messages.SUCCESS,
        )
        return redirect("admin:news_article_change", article.pk)

    def purge_view(self, request, pk):
        """One article from the trash, deleted for good after a confirmation."""
        article = get_object_or_404(Article, pk=pk)
        if not permissions.can_purge(request.user, article):
            raise PermissionDenied
        if request.method != "POST":
            return self.purge_confirmation(request, [article], bulk=False)
        title = article.title
        services.article_purge(article=article, user=request.user)
        self.message_user(
            request, _("Đã xóa vĩnh viễn bài “%(title)s”.") % {"title": title}, messages.SUCCESS
        )
        return redirect(reverse("admin:news_article_changelist") + "?thung_rac=1")

    # "Xóa" moves an article to the trash: the question and the answer say so.
    delete_confirmation_template = "admin/news/article/trash_confirmation.html"

    def delete_view(self, request, object_id, extra_context=None):
        context = {"trash_days": services.TRASH_DAYS, **(extra_context or {})}
        return super().delete_view(request, object_id, context)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            _(
                "Đã bỏ bài “%(title)s” vào thùng rác. Bài không còn hiện trên cổng; có thể "
                "khôi phục từ thùng rác trong %(days)s ngày."
            )
            % {"title": obj_display, "days": services.TRASH_DAYS},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:news_article_changelist"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # trash_selected does it, through the service
        return actions

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/dang-mo/", wrap(self.presence_view), name="news_article_presence"),
            path("<int:pk>/xoa-vinh-vien/", wrap(self.purge_view), name="news_article_purge"),
            path("<int:pk>/rut-lai/", wrap(self.withdraw_view), name="news_article_withdraw"),
            path("<int:pk>/so-sanh/", wrap(self.compare_view), name="news_article_compare"),
            path(
                "<int:pk>/xem-truoc/",
                wrap(self.preview_link_view),
                name="news_article_preview_link",
            ),
            *super().get_urls(),
        ]

    # --- Who else has the article open ---------------------------------------
    PRESENCE_SECONDS = 45

    def presence_view(self, request, pk):
        """Heartbeat from an open change form: record this user, list the others."""
        if request.method != "POST":
            return JsonResponse({"error": "POST"}, status=405)
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        key = f"news:presence:{article.pk}"
        now = timezone.now().timestamp()
        present = {
            user_id: entry
            for user_id, entry in (cache.get(key) or {}).items()
            if now - entry["seen"] < self.PRESENCE_SECONDS
        }
        present[str(request.user.pk)] = {
            "name": staff_name(request.user),
            "seen": now,
        }
        cache.set(key, present, self.PRESENCE_SECONDS * 2)
        others = sorted(e["name"] for uid, e in present.items() if uid != str(request.user.pk))
        return JsonResponse({"others": others})

    # --- Comparing two revisions ---------------------------------------------
    def compare_view(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        try:
            old = versions.get(pk=int(request.GET.get("a", "")))
            new = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, Version.DoesNotExist):
            messages.error(request, _("Hãy chọn hai phiên bản để so sánh."))
            return redirect("admin:news_article_history", article.pk)
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "title": _("So sánh hai phiên bản"),
            "opts": self.model._meta,
            "original": article,
            "old": old,
            "new": new,
            "changes": version_diff(old.field_dict, new.field_dict),
        }
        return TemplateResponse(request, "admin/news/article/compare.html", context)

    # --- Preview links ----------------------------------------------------------
    def preview_link_view(self, request, pk):
        from news.preview import preview_url, revoke_previews

        article = get_object_or_404(Article, pk=pk)
        # A link shows the draft to anyone who holds it: handing one out (or
        # revoking it) is for those who may change the article.
        if not permissions.can_manage_previews(request.user, article):
            raise PermissionDenied
        if request.method == "POST" and "revoke" in request.POST:
            revoke_previews(article)
            messages.success(request, _("Đã thu hồi mọi liên kết xem trước của bài này."))
            return redirect("admin:news_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Liên kết xem trước"),
            "opts": self.model._meta,
            "original": article,
            "link": None if article.is_public else preview_url(article),
        }
        return TemplateResponse(request, "admin/news/article/preview_link.html", context)
