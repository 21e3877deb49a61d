"""Filters of the refunds."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet, date_range
from deposits.enums import RefundStatus
from deposits.models import Refund


class RefundFilter(StyledFilterSet):
    status = df.ChoiceFilter(label=_("status"), choices=RefundStatus.choices)
    payee = df.CharFilter(label=_("payee"), lookup_expr="icontains")
    prepared_from, prepared_to = date_range("prepared_at__date")

    class Meta:
        model = Refund
        fields = ["status", "payee", "prepared_from", "prepared_to"]
