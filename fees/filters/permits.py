"""Filters of the worker permits."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet
from fees.enums import PermitStatus
from fees.models import Permit


class PermitFilter(StyledFilterSet):
    status = df.ChoiceFilter(
        label=_("status"), choices=PermitStatus.choices, field_name="current_status"
    )
    number = df.CharFilter(label=_("permit number"), lookup_expr="icontains")
    worker = df.CharFilter(label=_("worker"), field_name="worker_name", lookup_expr="icontains")
    contractor = df.CharFilter(
        label=_("contractor"), field_name="contractor__name", lookup_expr="icontains"
    )
    unit = df.CharFilter(label=_("unit code"), field_name="unit__code", lookup_expr="icontains")

    class Meta:
        model = Permit
        fields = ["status", "number", "worker", "contractor", "unit"]
