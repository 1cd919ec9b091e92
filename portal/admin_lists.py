"""Admin lists that answer a tampered date filter with the list, not a server error."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class SafeChangeList(ChangeList):
    def get_filters(self, request):
        # The date drill-down turns ?published_at__year=... into a datetime;
        # Django catches ValueError there but a year of 20 digits overflows
        # instead. Either way the admin should show its "invalid filter" list.
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class SafeChangeListMixin:
    """For a ModelAdmin with ``date_hierarchy``."""

    def get_changelist(self, request, **kwargs):
        return SafeChangeList
