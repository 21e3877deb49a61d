"""Filters of the shop handovers."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet
from deposits.enums import MoveOutStatus
from deposits.models import MoveOut


class MoveOutFilter(StyledFilterSet):
    unit = df.CharFilter(
        label=_("unit code"), field_name="occupancy__unit__code", lookup_expr="icontains"
    )
    tenant = df.CharFilter(
        label=_("tenant"), field_name="occupancy__tenant__name", lookup_expr="icontains"
    )
    status = df.ChoiceFilter(label=_("status"), choices=MoveOutStatus.choices)

    class Meta:
        model = MoveOut
        fields = ["unit", "tenant", "status"]
