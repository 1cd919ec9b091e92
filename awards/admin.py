import base64

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from awards.forms import RecipientImportForm
from awards.importing import ImportFileError, award_recipients_import, plan_from_file
from awards.models import AwardDecision, AwardRecipient, AwardType
from portal.admin_lists import SafeChangeListMixin
from portal.autocomplete import SafeAutocompleteMixin
from portal.search import UnaccentSearchMixin

# Files waiting for the "apply" click are kept in the session, up to this size.
MAX_PENDING_BYTES = 2 * 1024 * 1024


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


class RecipientInline(SafeAutocompleteMixin, admin.TabularInline):
    model = AwardRecipient
    fields = [
        "order",
        "organization",
        "person",
        "position_as_written",
        "unit_as_written",
        "achievement",
    ]
    autocomplete_fields = ["organization", "person"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "achievement":
            field.widget.attrs.update({"rows": 1})
        if db_field.name in ("organization", "person"):
            # Twenty rows of add/change/delete/view icons crowd out the names;
            # organizations and people are managed on their own pages.
            for action in ("add", "change", "delete", "view"):
                setattr(field.widget, f"can_{action}_related", False)
        return field


@admin.register(AwardDecision)
class AwardDecisionAdmin(
    SafeChangeListMixin, SafeAutocompleteMixin, UnaccentSearchMixin, admin.ModelAdmin
):
    list_display = ["number", "decided_on", "award_type", "authority", "counts", "import_link"]
    list_filter = ["award_type", ("decided_on", admin.DateFieldListFilter)]
    search_fields = ["number", "reason", "authority__name"]
    date_hierarchy = "decided_on"
    autocomplete_fields = ["authority", "signer", "articles", "document"]
    list_select_related = ["award_type", "authority"]
    inlines = [RecipientInline]

    class Media:
        css = {"all": ["admin/css/newsroom.css"]}

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "decided_on",
                    "award_type",
                    "authority",
                    "signer_title",
                    "signer",
                    "reason",
                ]
            },
        ),
        (_("Văn bản và tin bài"), {"fields": ["document", "articles"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("số được khen"))
    def counts(self, obj):
        return _("%(c)s tập thể, %(i)s cá nhân") % {
            "c": obj.collective_count,
            "i": obj.individual_count,
        }

    @admin.display(description=_("nhập danh sách"))
    def import_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:awards_awarddecision_import", args=[obj.pk]),
            _("Nhập từ tệp"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/nhap-danh-sach/",
                self.admin_site.admin_view(self.import_view),
                name="awards_awarddecision_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request, pk):
        """Upload a CSV/XLSX list, see what it would change, then apply it."""
        decision = get_object_or_404(AwardDecision, pk=pk)
        if not self.has_change_permission(request, decision):
            raise PermissionDenied
        session_key = f"award-import-{decision.pk}"
        plan, error = None, None
        form = RecipientImportForm()
        if request.method == "POST" and "apply" in request.POST:
            pending = request.session.pop(session_key, None)
            if pending is None:
                error = _("Phiên nhập đã hết hạn; hãy tải tệp lên lại.")
            else:
                content = base64.b64decode(pending["content"])
                plan = plan_from_file(decision, pending["name"], content)
                if plan.ok:
                    added = award_recipients_import(decision=decision, plan=plan)
                    self.message_user(
                        request,
                        _("Đã thêm %(n)s người, tập thể được khen.") % {"n": added},
                        messages.SUCCESS,
                    )
                    return redirect("admin:awards_awarddecision_change", decision.pk)
        elif request.method == "POST":
            form = RecipientImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                content = upload.read(MAX_PENDING_BYTES + 1)
                if len(content) > MAX_PENDING_BYTES:
                    error = _("Tệp lớn quá 2 MB.")
                else:
                    try:
                        plan = plan_from_file(decision, upload.name, content)
                    except ImportFileError as exc:
                        error = str(exc)
                    else:
                        if plan.ok:
                            request.session[session_key] = {
                                "name": upload.name,
                                "content": base64.b64encode(content).decode(),
                            }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nhập danh sách được khen"),
            "opts": self.model._meta,
            "decision": decision,
            "form": form,
            "plan": plan,
            "error": error,
        }
        return TemplateResponse(request, "admin/awards/awarddecision/import.html", context)
