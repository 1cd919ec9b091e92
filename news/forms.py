from django import forms
from django.utils.translation import gettext_lazy as _

from news.models import section_tree
from news.search import clean_query
from portal import widgets


def sections_in_order(sections=None):
    """Every section, each followed by its subsections at any depth, from the cached tree."""
    for section in section_tree() if sections is None else sections:
        yield section
        yield from sections_in_order(section.subsections)


class SectionChoiceField(forms.ChoiceField):
    """A section by its slug, checked against the cached section tree.

    Showing the select and checking a choice cost no query: the search page
    is among the most read when news breaks. The form hands the field the
    tree, read from the cache once per form rather than for each of the
    choices, the check and the lookup.
    """

    empty_label = _("Tất cả")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.use_sections([])

    def use_sections(self, sections: list) -> None:
        self.sections = sections
        self.choices = [("", self.empty_label)] + [(s.slug, s.name) for s in sections]

    def clean(self, value):
        slug = super().clean(value)
        return next((s for s in self.sections if s.slug == slug), None)


class SearchForm(forms.Form):
    """The public search box and its filters; invalid filters are dropped, never an error page."""

    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=1000)
    category = SectionChoiceField(label=_("Chuyên mục"), required=False, widget=widgets.Select)
    from_date = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=widgets.DateInput(format="%Y-%m-%d"),
    )
    to_date = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=widgets.DateInput(format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].use_sections(list(sections_in_order()))
        for name in ("from_date", "to_date"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def cleaned(self) -> dict:
        """The usable part of the input: bad filters are ignored, the query is trimmed."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
        data["q"] = clean_query(self.data.get("q", ""))
        return data
