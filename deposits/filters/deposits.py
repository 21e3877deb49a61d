"""Filters of the deposits."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet, date_range
from deposits.enums import DepositKind, DepositStatus
from deposits.models import Deposit


class DepositFilter(StyledFilterSet):
    kind = df.ChoiceFilter(label=_("kind"), choices=DepositKind.choices)
    status = df.ChoiceFilter(label=_("status"), choices=DepositStatus.choices)
    unit = df.CharFilter(label=_("unit code"), field_name="unit__code", lookup_expr="icontains")
    tenant = df.CharFilter(label=_("tenant"), field_name="tenant__name", lookup_expr="icontains")
    taken_from, taken_to = date_range("taken_at__date")

    class Meta:
        model = Deposit
        fields = ["kind", "status", "unit", "tenant", "taken_from", "taken_to"]
