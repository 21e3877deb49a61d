"""Filters of the decoration applications."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet, date_range
from deposits.enums import ApplicationStatus
from deposits.models import DecorationApplication


class ApplicationFilter(StyledFilterSet):
    status = df.ChoiceFilter(label=_("status"), choices=ApplicationStatus.choices)
    unit = df.CharFilter(label=_("unit code"), field_name="unit__code", lookup_expr="icontains")
    tenant = df.CharFilter(label=_("tenant"), field_name="tenant__name", lookup_expr="icontains")
    contractor = df.CharFilter(
        label=_("contractor"), field_name="contractor__name", lookup_expr="icontains"
    )
    submitted_from, submitted_to = date_range("submitted_at__date")

    class Meta:
        model = DecorationApplication
        fields = ["status", "unit", "tenant", "contractor", "submitted_from", "submitted_to"]
