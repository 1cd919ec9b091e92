from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import AwardDecision, AwardType
from organizations.models import Organization
from portal import widgets


class HonourRollFilterForm(forms.Form):
    """The filters of the public honour roll; bad values are simply ignored."""

    KIND_CHOICES = [("", _("Tất cả")), ("tap-the", _("Tập thể")), ("ca-nhan", _("Cá nhân"))]

    q = forms.CharField(label=_("Tên người, tập thể được khen"), required=False, max_length=100)
    year = forms.TypedChoiceField(
        label=_("Năm"), required=False, coerce=int, empty_value=None, widget=widgets.Select
    )
    award_type = forms.ModelChoiceField(
        label=_("Hình thức"),
        queryset=AwardType.objects.all(),
        required=False,
        empty_label=_("Tất cả"),
        widget=widgets.Select,
    )
    authority = forms.ModelChoiceField(
        label=_("Cơ quan khen"),
        queryset=Organization.objects.filter(decisions_conferred__isnull=False).distinct(),
        required=False,
        empty_label=_("Tất cả"),
        widget=widgets.Select,
    )
    kind = forms.ChoiceField(
        label=_("Đối tượng"), choices=KIND_CHOICES, required=False, widget=widgets.Select
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = AwardDecision.objects.dates("decided_on", "year", order="DESC")
        self.fields["year"].choices = [("", _("Tất cả")), *((d.year, d.year) for d in years)]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["year"]:
            queryset = queryset.filter(decided_on__year=data["year"])
        if data["award_type"]:
            queryset = queryset.filter(award_type=data["award_type"])
        if data["authority"]:
            queryset = queryset.filter(authority=data["authority"])
        if data["kind"] == "tap-the":
            queryset = queryset.filter(recipients__organization__isnull=False).distinct()
        elif data["kind"] == "ca-nhan":
            queryset = queryset.filter(recipients__person__isnull=False).distinct()
        return queryset


class RecipientImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách"),
        help_text=_(
            "CSV (UTF-8) hoặc Excel (.xlsx). Cột: Loại (Tập thể / Cá nhân), Họ tên / Tên tập thể, "
            "Chức vụ, Đơn vị, Thành tích, Thứ tự."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
