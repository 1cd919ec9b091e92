"""Admin autocomplete widgets that survive a submitted value that is not an id.

Django's autocomplete widgets look the submitted ids up as they are when the
form is shown again with its errors; a value such as ``abc`` (a tampered
form, a broken browser extension) then raised ``ValueError`` and the editor
got a server error instead of "Hãy chọn một lựa chọn hợp lệ". Values that
cannot be an id are left out of that lookup; the field still reports them.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _ValidIdsOnly:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        return super().optgroups(name, [v for v in value if is_id(target, v)], attr)


def is_id(field, value) -> bool:
    """Whether ``value`` could be a value of ``field`` (an id in range), without a query."""
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError):
        return False
    return True


class SafeAutocompleteSelect(_ValidIdsOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidIdsOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or inline: its ``autocomplete_fields`` use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
