"""The receipt register's filters."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archives.models import Unit
from config.filters import StyledFilterSet, date_range
from config.people import PersonFilter, holders_of
from config.search import StartsWithFilter, starts_with
from fees.enums import ApprovalOutcome, PaymentMethod, ReceiptStatus
from fees.models import DiscountApproval, Receipt


class ReceiptFilter(StyledFilterSet):
    number = StartsWithFilter(label=_("number"), fields=["number"], upper=True)
    date_from, date_to = date_range("business_date")
    payer = df.CharFilter(
        label=_("payer or unit"), method="filter_payer", help_text=_("Matches the start.")
    )
    method = df.ChoiceFilter(label=_("payment method"), choices=PaymentMethod.choices)
    status = df.ChoiceFilter(label=_("status"), choices=ReceiptStatus.choices)
    # The people who may issue receipts, not every login (a join over every receipt to
    # find who actually issued some would cost more than the page).
    cashier = PersonFilter(label=_("cashier"), queryset=holders_of("fees.issue_receipt"))

    class Meta:
        model = Receipt
        fields = ["number", "date_from", "date_to", "payer", "method", "status", "cashier"]

    def filter_payer(self, queryset, name, value):
        """The start of the payer's name, or of the unit's code: each on its own index. The
        units are read first: their keys, given as a list, let PostgreSQL join the two
        indexes (with a subquery it reads every receipt)."""
        text = value.strip()
        if not text:
            return queryset
        units = list(
            Unit.objects.filter(starts_with("code", text.upper())).values_list("pk", flat=True)
        )
        return queryset.filter(starts_with("payer_name", text) | Q(unit__in=units))


class DiscountApprovalFilter(StyledFilterSet):
    date_from, date_to = date_range("asked_at__date")
    outcome = df.ChoiceFilter(label=_("outcome"), choices=ApprovalOutcome.choices)
    asked_by = PersonFilter(label=_("asked by"), queryset=holders_of("fees.issue_receipt"))
    approver_username = df.CharFilter(label=_("manager's user name"))

    class Meta:
        model = DiscountApproval
        fields = ["date_from", "date_to", "outcome", "asked_by", "approver_username"]
