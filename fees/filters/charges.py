"""Filters of the charges."""

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.filters import YES_NO
from config.filters import StyledFilterSet
from config.money import ZERO
from fees.enums import ChargeStatus
from fees.models import Charge

# "Open" here takes in the part paid ones: every charge with something still owed.
STATUS_CHOICES = [
    (status.value, status.label)
    for status in (ChargeStatus.OPEN, ChargeStatus.SETTLED, ChargeStatus.CANCELLED)
]


class ChargeFilter(StyledFilterSet):
    tenant = df.CharFilter(label=_("tenant"), field_name="tenant__name", lookup_expr="icontains")
    unit = df.CharFilter(label=_("unit code"), field_name="unit__code", lookup_expr="icontains")
    status = df.ChoiceFilter(label=_("status"), choices=STATUS_CHOICES, method="filter_status")
    overdue = df.ChoiceFilter(label=_("overdue"), choices=YES_NO, method="filter_overdue")

    class Meta:
        model = Charge
        fields = ["tenant", "unit", "status", "overdue"]

    def filter_status(self, queryset, name, value):
        if value == "cancelled":
            return queryset.filter(cancelled=True)
        if value == "open":
            return queryset.filter(cancelled=False, outstanding__gt=ZERO)
        return queryset.filter(cancelled=False, outstanding__lte=ZERO)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(cancelled=False, outstanding__gt=ZERO, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)
