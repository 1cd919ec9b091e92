from django import forms
from django.utils.translation import gettext_lazy as _

from news.models import Category
from news.search import clean_query


class SearchForm(forms.Form):
    """The public search box and its filters; invalid filters are dropped, never an error page."""

    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=1000)
    category = forms.ModelChoiceField(
        label=_("Chuyên mục"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tất cả"),
    )
    from_date = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    to_date = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_date", "to_date"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def cleaned(self) -> dict:
        """The usable part of the input: bad filters are ignored, the query is trimmed."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
        data["q"] = clean_query(self.data.get("q", ""))
        return data
