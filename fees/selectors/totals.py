"""A period's takings day by day, read from the stored totals of submitted days
(fees.models.totals) and, for the days not submitted yet, from their own receipts.

The month and year pages, the statement and the charts all ask here, so that a month of
tens of thousands of receipts costs them a few hundred stored rows and the receipts of
the days still open (today, a forgotten day): a bounded set. The live aggregation below is
also what the submission stores, and what check_day_totals compares the rows with: one
definition of the figures.

What counts: every receipt that is not void, on its own business date; a reversal counts
negative on the day it was made. A void receipt counts nowhere but is numbered.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    When,
)

from config.dates import on_dates
from config.money import ZERO, to_amount
from fees.enums import DayState, ReceiptStatus
from fees.models import DailyClose, DayFeeTotal, DayMethodTotal, Receipt, ReceiptLine

# A day's totals are stored from its submission on, whatever comes after.
STORED_STATES = (DayState.SUBMITTED, DayState.APPROVED, DayState.HANDED_OVER)


@dataclass
class MethodFigures:
    """One day's receipts of one payment method."""

    receipts: int = 0  # that count, reversals included
    amount: Decimal = ZERO
    reversals: int = 0
    reversal_amount: Decimal = ZERO
    voids: int = 0
    void_amount: Decimal = ZERO

    def add(self, other: "MethodFigures") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class FeeFigures:
    """One day's receipt lines of one fee type paid by one method (receipts that count)."""

    lines: int = 0
    amount: Decimal = ZERO
    discount: Decimal = ZERO  # a reversal's is negative
    discounted_lines: int = 0

    def add(self, other: "FeeFigures") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


# {(business date, method): figures} and {(business date, fee type id, method): figures}
ByMethod = dict[tuple[date, str], MethodFigures]
ByFee = dict[tuple[date, int, str], FeeFigures]


def stored_dates(start: date, end: date) -> set[date]:
    """The dates of the period whose totals are stored (days submitted, or further on)."""
    return set(
        DayMethodTotal.objects.filter(close__business_date__range=(start, end))
        .order_by()
        .values_list("close__business_date", flat=True)
        .distinct()
    )


def live_by_method(dates: Iterable[date]) -> ByMethod:
    """The receipts of ``dates`` by day and method, aggregated from the receipts: one query."""
    where = on_dates("business_date", dates)
    if where is None:
        return {}
    is_reversal = ExpressionWrapper(Q(reverses__isnull=False), output_field=BooleanField())
    rows = (
        Receipt.objects.filter(where)
        .annotate(is_reversal=is_reversal)
        .values("business_date", "method", "status", "is_reversal")
        .annotate(total=Sum("total"), receipts=Count("pk"))
        .order_by()
    )
    result: ByMethod = {}
    for row in rows:
        figures = result.setdefault((row["business_date"], row["method"]), MethodFigures())
        amount = to_amount(row["total"])  # SQLite sums decimals as floats: back to cents
        if row["status"] == ReceiptStatus.VOID:
            figures.voids += row["receipts"]
            figures.void_amount += amount
            continue
        figures.receipts += row["receipts"]
        figures.amount += amount
        if row["is_reversal"]:
            figures.reversals += row["receipts"]
            figures.reversal_amount += amount
    return result


def live_by_fee(dates: Iterable[date]) -> ByFee:
    """The lines of the receipts that count on ``dates``, by day, fee type and method,
    aggregated from the lines: one query."""
    where = on_dates("receipt__business_date", dates)
    if where is None:
        return {}
    signed_discount = Case(
        When(receipt__reverses__isnull=False, then=-F("discount")), default=F("discount")
    )
    rows = (
        ReceiptLine.objects.filter(where)
        .exclude(receipt__status=ReceiptStatus.VOID)
        .values("receipt__business_date", "fee_type_id", "receipt__method")
        .annotate(
            sum_lines=Count("pk"),
            sum_amount=Sum("amount"),
            sum_discount=Sum(signed_discount),
            sum_discounted_lines=Count("pk", filter=Q(discount__gt=0)),
        )
        .order_by()
    )
    return {
        (row["receipt__business_date"], row["fee_type_id"], row["receipt__method"]): (
            _fee_figures(row)
        )
        for row in rows
    }


def stored_by_method(start: date, end: date) -> ByMethod:
    """{(business date, method): figures} of the stored days (a month: 5 rows a day)."""
    rows = DayMethodTotal.objects.filter(close__business_date__range=(start, end)).values_list(
        "close__business_date",
        "method",
        "receipts",
        "amount",
        "reversals",
        "reversal_amount",
        "voids",
        "void_amount",
    )
    return {
        (day, method): MethodFigures(
            receipts, to_amount(amount), reversals, to_amount(rev), voids, to_amount(void)
        )
        for day, method, receipts, amount, reversals, rev, voids, void in rows
    }


def stored_by_fee(start: date, end: date) -> dict[tuple[date, int], FeeFigures]:
    """{(business date, fee type id): figures} of the stored days, the methods added up in
    the database (a month: a few hundred rows)."""
    rows = (
        DayFeeTotal.objects.filter(close__business_date__range=(start, end))
        .values("close__business_date", "fee_type_id")
        .annotate(
            sum_lines=Sum("lines"),
            sum_amount=Sum("amount"),
            sum_discount=Sum("discount"),
            sum_discounted_lines=Sum("discounted_lines"),
        )
        .order_by()
    )
    return {(row["close__business_date"], row["fee_type_id"]): _fee_figures(row) for row in rows}


def stored_per_day(start: date, end: date) -> dict[date, MethodFigures]:
    """{business date: figures} of the stored days, the methods added up in the database
    (a year: one row a day)."""
    names = ["receipts", "amount", "reversals", "reversal_amount", "voids", "void_amount"]
    rows = (
        DayMethodTotal.objects.filter(close__business_date__range=(start, end))
        .values("close__business_date")
        .annotate(**{f"sum_{name}": Sum(name) for name in names})
        .order_by()
    )
    return {row["close__business_date"]: _method_figures(row) for row in rows}


def _fee_figures(row: dict, prefix: str = "sum_") -> FeeFigures:
    return FeeFigures(
        lines=row[f"{prefix}lines"],
        amount=to_amount(row[f"{prefix}amount"]),
        discount=to_amount(row[f"{prefix}discount"] or ZERO),
        discounted_lines=row[f"{prefix}discounted_lines"],
    )


def _method_figures(row: dict, prefix: str = "sum_") -> MethodFigures:
    return MethodFigures(
        receipts=row[f"{prefix}receipts"],
        amount=to_amount(row[f"{prefix}amount"]),
        reversals=row[f"{prefix}reversals"],
        reversal_amount=to_amount(row[f"{prefix}reversal_amount"]),
        voids=row[f"{prefix}voids"],
        void_amount=to_amount(row[f"{prefix}void_amount"]),
    )


@dataclass
class Takings:
    """A period's takings: by day and method, and by day and fee type."""

    by_method: ByMethod
    by_fee: dict[tuple[date, int], FeeFigures]

    def fee_amounts(self) -> dict[tuple[date, int], Decimal]:
        """{(business date, fee type id): amount}."""
        return {key: figures.amount for key, figures in self.by_fee.items()}

    def discounts(self) -> FeeFigures:
        """The period's lines and discounts, every day and fee added up."""
        total = FeeFigures()
        for figures in self.by_fee.values():
            total.add(figures)
        return total


def _live_dates(start: date, end: date, stored: set[date], withheld: frozenset[date]):
    """Every date of the period that is neither stored nor withheld (a date without
    receipts costs nothing: it only widens a range)."""
    span = (end - start).days + 1
    days = (start + timedelta(days=n) for n in range(max(span, 0)))
    return [day for day in days if day not in stored and day not in withheld]


def _by_day_and_fee(by_fee: ByFee) -> dict[tuple[date, int], FeeFigures]:
    folded: dict[tuple[date, int], FeeFigures] = {}
    for (day, fee_id, _method), figures in by_fee.items():
        folded.setdefault((day, fee_id), FeeFigures()).add(figures)
    return folded


def period_takings(
    start: date, end: date, *, withheld: frozenset[date] = frozenset(), methods: bool = True
) -> Takings:
    """The takings from ``start`` to ``end``, in four queries whatever the size (three
    without ``methods``, for the fee types alone): stored for the submitted days, from the
    receipts for the others; the ``withheld`` dates (not counted yet,
    fees.selectors.days) are left out."""
    if methods:
        # Every stored day has its rows by method: they tell which days are stored.
        kept = stored_by_method(start, end)
        stored = {day for day, _method in kept} - withheld
    else:
        stored = stored_dates(start, end) - withheld
    live = _live_dates(start, end, stored, withheld)
    by_fee = {k: v for k, v in stored_by_fee(start, end).items() if k[0] in stored}
    by_fee.update(_by_day_and_fee(live_by_fee(live)))
    by_method: ByMethod = {}
    if methods:
        by_method = {k: v for k, v in kept.items() if k[0] in stored}
        by_method.update(live_by_method(live))
    return Takings(by_method=by_method, by_fee=by_fee)


def takings_per_day(
    start: date, end: date, *, withheld: frozenset[date] = frozenset()
) -> dict[date, MethodFigures]:
    """{business date: its receipts, the methods added up} from ``start`` to ``end``, in
    two queries: a year reads one stored row a day and the receipts of the open days."""
    days = {day: row for day, row in stored_per_day(start, end).items() if day not in withheld}
    live = _live_dates(start, end, set(days), withheld)
    for (day, _method), figures in live_by_method(live).items():
        days.setdefault(day, MethodFigures()).add(figures)
    return days


# --- the check: stored totals against the receipts ------------------------------------------


def _stored_raw(dates: Iterable[date]) -> tuple[ByMethod, ByFee]:
    """The stored rows of ``dates`` as they are, key by key (the methods not added up)."""
    where = on_dates("close__business_date", dates)
    if where is None:
        return {}, {}
    by_method = {
        (row.close.business_date, row.method): _method_figures(row.__dict__, prefix="")
        for row in DayMethodTotal.objects.filter(where).select_related("close")
    }
    by_fee = {
        (row.close.business_date, row.fee_type_id, row.method): _fee_figures(
            row.__dict__, prefix=""
        )
        for row in DayFeeTotal.objects.filter(where).select_related("close")
    }
    return by_method, by_fee


def totals_differences(start: date, end: date) -> list[str]:
    """Where the stored totals of the period disagree with the receipts, one line each:
    a submitted day without its rows, an open day with rows, or a figure that differs.
    Empty when they agree. Reads every receipt of the stored days: a check, not a page."""
    closes = dict(
        DailyClose.objects.filter(business_date__range=(start, end)).values_list(
            "business_date", "state"
        )
    )
    stored = stored_dates(start, end)
    problems = [
        f"{day}: {state} but no stored totals"
        for day, state in sorted(closes.items())
        if state in STORED_STATES and day not in stored
    ]
    problems += [
        f"{day}: {closes.get(day, 'no close')} but totals are stored"
        for day in sorted(stored)
        if closes.get(day) not in STORED_STATES
    ]
    kept_method, kept_fee = _stored_raw(stored)
    live_method, live_fee = live_by_method(stored), live_by_fee(stored)
    for key in sorted(set(kept_method) | set(live_method)):
        kept, live = kept_method.get(key, MethodFigures()), live_method.get(key, MethodFigures())
        if kept != live:
            problems.append(f"{key[0]} {key[1]}: stored {kept}, receipts {live}")
    for key in sorted(set(kept_fee) | set(live_fee)):
        kept, live = kept_fee.get(key, FeeFigures()), live_fee.get(key, FeeFigures())
        if kept != live:
            problems.append(f"{key[0]} fee {key[1]} {key[2]}: stored {kept}, receipts {live}")
    return problems
