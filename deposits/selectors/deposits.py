"""Reads about deposits: what each holds, computed from its rows."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round

from config.dates import day_bounds
from config.money import CENT, ZERO, to_amount
from deposits.enums import (
    DEPOSIT_FEES,
    REFUND_DECIDED,
    REFUND_UNDER_WAY,
    DepositKind,
    DepositStatus,
    RefundStatus,
)
from deposits.models import Deduction, Deposit, Refund
from fees.enums import FeeCategory, ReceiptStatus
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
    ``balance`` (what it holds: taken − deducted − refunded; nothing once its receipt was
    voided or reversed, for then the money was never taken) and ``pending`` (the refund
    under way, if any), in the same query."""
    deductions = Deduction.objects.filter(COUNTED_DEDUCTIONS, deposit=OuterRef("pk"))
    paid = Refund.objects.filter(deposit=OuterRef("pk"), status=RefundStatus.PAID)
    under_way = Refund.objects.filter(deposit=OuterRef("pk"), status__in=REFUND_UNDER_WAY)
    return queryset.annotate(
        deducted=_cents(_sum(deductions)),
        refunded=_cents(_sum(paid)),
        pending=_cents(_sum(under_way)),
    ).annotate(
        balance=Case(
            When(status=DepositStatus.CANCELLED, then=Value(ZERO)),
            default=_cents(F("amount") - F("deducted") - F("refunded")),
            output_field=MONEY,
        )
    )


def deposit_balance(deposit: Deposit) -> Decimal:
    """What ``deposit`` holds now, read from its rows."""
    rows = deposit_balances(Deposit.objects.filter(pk=deposit.pk))
    return rows.values_list("balance", flat=True).get().quantize(CENT)


def line_taken(line: ReceiptLine) -> Decimal:
    """How much of a receipt line's amount is recorded as deposits already."""
    total = Deposit.objects.filter(receipt_line=line).aggregate(total=Sum("amount"))["total"]
    return (total or ZERO).quantize(CENT)


def deposits_listed() -> QuerySet[Deposit]:
    """Every deposit with its figures (deposit_balances) and what its list row shows, in
    one query."""
    return deposit_balances(
        Deposit.objects.select_related(
            "tenant", "contractor", "unit", "application", "receipt_line__receipt"
        )
    )


def unrecorded_deposit_lines() -> QuerySet[ReceiptLine]:
    """Lines of a deposit fee on issued receipts (not reversals) that no deposit holds
    whole yet: taken at the receipt desk, to be recorded as deposits. A permit card's
    deposit is held with its permit, never this way."""
    taken = (
        Deposit.objects.filter(receipt_line=OuterRef("pk"))
        .order_by()
        .values("receipt_line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        ReceiptLine.objects.filter(
            fee_type__category=FeeCategory.DEPOSIT,
            receipt__status=ReceiptStatus.ISSUED,
            receipt__reverses__isnull=True,
        )
        .exclude(fee_type__code=DEPOSIT_FEES[DepositKind.PERMIT_CARD])
        .annotate(
            taken=Coalesce(Subquery(taken, output_field=MONEY), Value(ZERO), output_field=MONEY)
        )
        .filter(taken__lt=F("amount"))
        .select_related("receipt", "receipt__unit", "receipt__tenant", "fee_type")
        .order_by("-receipt__issued_at", "pk")
    )


@dataclass(frozen=True)
class DepositsOfDay:
    taken: int
    taken_amount: Decimal
    refunded: int
    refunded_amount: Decimal


def deposits_of_day(day: date) -> DepositsOfDay:
    """The deposits taken and the refunds paid on ``day`` (the daily report)."""
    start, end = day_bounds(day)
    taken = Deposit.objects.filter(taken_at__gte=start, taken_at__lt=end).aggregate(
        count=Count("pk"), amount=Sum("amount")
    )
    paid = Refund.objects.filter(paid_on=day).aggregate(count=Count("pk"), amount=Sum("amount"))
    return DepositsOfDay(
        taken=taken["count"],
        taken_amount=to_amount(taken["amount"] or ZERO),
        refunded=paid["count"],
        refunded_amount=to_amount(paid["amount"] or ZERO),
    )
