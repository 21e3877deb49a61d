"""Filters of the violations."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.filters import StyledFilterSet, date_range
from deposits.models import Violation

STATE_CHOICES = [
    ("open", pgettext_lazy("violation", "Open")),
    ("resolved", pgettext_lazy("violation", "Resolved")),
]


class ViolationFilter(StyledFilterSet):
    state = df.ChoiceFilter(label=_("state"), choices=STATE_CHOICES, method="filter_state")
    unit = df.CharFilter(label=_("unit code"), method="filter_unit")
    tenant = df.CharFilter(label=_("tenant"), method="filter_tenant")
    occurred_from, occurred_to = date_range("occurred_on")

    class Meta:
        model = Violation
        fields = ["state", "unit", "tenant", "occurred_from", "occurred_to"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(resolved_on__isnull=value == "open")

    # A violation against a decoration concerns the decoration's unit and tenant too.
    def filter_unit(self, queryset, name, value):
        return queryset.filter(
            Q(unit__code__icontains=value) | Q(application__unit__code__icontains=value)
        )

    def filter_tenant(self, queryset, name, value):
        return queryset.filter(
            Q(tenant__name__icontains=value) | Q(application__tenant__name__icontains=value)
        )
