"""Filters of daily closes and discrepancies."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet
from config.people import PersonFilter, holders_of
from fees.enums import DayState
from fees.models import DailyClose, Discrepancy


class DayFilter(StyledFilterSet):
    state = df.ChoiceFilter(label=_("state"), choices=DayState.choices)
    month = df.CharFilter(label=_("month (YYYY-MM)"), method="filter_month")
    submitted_by = PersonFilter(label=_("submitted by"), queryset=holders_of("fees.submit_day"))
    approved_by = PersonFilter(label=_("approved by"), queryset=holders_of("fees.approve_day"))

    class Meta:
        model = DailyClose
        fields = ["state", "month", "submitted_by", "approved_by"]

    def filter_month(self, queryset, name, value):
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            return queryset.none()
        return queryset.filter(business_date__year=year, business_date__month=month)


class DiscrepancyFilter(StyledFilterSet):
    signed_off = df.BooleanFilter(
        label=_("signed off"), field_name="signed_off_at", lookup_expr="isnull", exclude=True
    )
    signed_off_by = PersonFilter(
        label=_("signed off by"), queryset=holders_of("fees.sign_off_discrepancy")
    )

    class Meta:
        model = Discrepancy
        fields = ["signed_off", "signed_off_by"]
