"""Filters of the paper receipt books."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet
from config.people import PersonFilter, holders_of
from fees.models import ReceiptBook

YES_NO = (("yes", _("Yes")), ("no", _("No")))


class BookFilter(StyledFilterSet):
    number = df.NumberFilter(label=_("holds number"), method="filter_number")
    series = df.CharFilter(label=_("series"), lookup_expr="iexact")
    # Books go only to people who may issue receipts (fees.services.books).
    issued_to = PersonFilter(label=_("issued to"), queryset=holders_of("fees.issue_receipt"))
    returned = df.ChoiceFilter(label=_("returned"), choices=YES_NO, method="filter_returned")
    unaccounted = df.ChoiceFilter(
        label=_("unaccounted numbers"), choices=YES_NO, method="filter_unaccounted"
    )

    class Meta:
        model = ReceiptBook
        fields = ["number", "series", "issued_to", "returned", "unaccounted"]

    def filter_number(self, queryset, name, value):
        return queryset.filter(first_number__lte=value, last_number__gte=value)

    def filter_returned(self, queryset, name, value):
        return queryset.filter(returned_on__isnull=value != "yes")

    def filter_unaccounted(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(unaccounted_count__gt=0)
        return queryset.filter(unaccounted_count=0)
