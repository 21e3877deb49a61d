"""Reads about deposits: what each holds, computed from its rows."""

from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Round

from config.money import CENT, ZERO
from deposits.enums import REFUND_DECIDED, REFUND_UNDER_WAY, RefundStatus
from deposits.models import Deduction, Deposit, Refund
from fees.models import ReceiptLine

MONEY = DecimalField(max_digits=12, decimal_places=2)

# The deductions that count against a deposit: forfeited outside a refund, or itemised in a
# refund the manager approved (one returned to the desk, or still waiting, keeps nothing).
COUNTED_DEDUCTIONS = Q(refund__isnull=True) | Q(refund__status__in=REFUND_DECIDED)


def _sum(rows: QuerySet, field: str = "amount") -> Coalesce:
    total = rows.order_by().values("deposit").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _cents(expression) -> Round:
    # SQLite sums and subtracts money as floating point: 1.00 − 0.54 − 0.46 is not quite 0
    # there. Rounded to the cent in the query, every database answers the same figures.
    return Round(expression, 2, output_field=MONEY)


def deposit_balances(queryset: QuerySet[Deposit]) -> QuerySet[Deposit]:
    """Each deposit with ``deducted`` (counted deductions), ``refunded`` (paid refunds),
    ``balance`` (what it holds: taken − deducted − refunded) and ``pending`` (the refund
    under way, if any), in the same query."""
    deductions = Deduction.objects.filter(COUNTED_DEDUCTIONS, deposit=OuterRef("pk"))
    paid = Refund.objects.filter(deposit=OuterRef("pk"), status=RefundStatus.PAID)
    under_way = Refund.objects.filter(deposit=OuterRef("pk"), status__in=REFUND_UNDER_WAY)
    return queryset.annotate(
        deducted=_cents(_sum(deductions)),
        refunded=_cents(_sum(paid)),
        pending=_cents(_sum(under_way)),
    ).annotate(balance=_cents(F("amount") - F("deducted") - F("refunded")))


def deposit_balance(deposit: Deposit) -> Decimal:
    """What ``deposit`` holds now, read from its rows."""
    rows = deposit_balances(Deposit.objects.filter(pk=deposit.pk))
    return rows.values_list("balance", flat=True).get().quantize(CENT)


def line_taken(line: ReceiptLine) -> Decimal:
    """How much of a receipt line's amount is recorded as deposits already."""
    total = Deposit.objects.filter(receipt_line=line).aggregate(total=Sum("amount"))["total"]
    return (total or ZERO).quantize(CENT)
