"""The monthly fee statement's reads (办证收费及其它收费统计表): a period's figures and its
receipt detail rows, for the finance pages, the charts and the statement's files
(fees.exporters.statements).

The summaries come from the submitted days' stored totals and, for the days not submitted
yet, from their receipts (fees.selectors.totals), so a month of tens of thousands of
receipts costs the same few queries and a few hundred rows; only the receipt detail and the
list of discounts (the files') read receipt by receipt.

What counts: every receipt that is not void, on its own business date. A void receipt is
listed, marked, and counts nowhere; a reversal (红冲) counts negative on the day it was
made, which is how a correction after a close (or after a month's lock) shows up.

The statement is a Chinese document whatever the reader's language, and a locked month's
files are frozen for good: its labels are fixed Chinese text, not gettext.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils import timezone

from config.money import ZERO, to_amount
from config.people import person_fields, person_from_row, person_name
from fees.enums import DayState, PaymentMethod, ReceiptStatus
from fees.models import DailyClose, DayCount, FeeType, MonthLock, Receipt, ReceiptLine
from fees.selectors.days import closes_between, final_counts
from fees.selectors.totals import period_takings

METHODS = list(PaymentMethod.values)
METHOD_NAMES = {
    PaymentMethod.CASH: "现金",
    PaymentMethod.CARD: "银行卡",
    PaymentMethod.WECHAT: "微信支付",
    PaymentMethod.ALIPAY: "支付宝",
    PaymentMethod.TRANSFER: "银行转账",
}
NO_CLOSE = "—"
# The blind count (fees.selectors.days): a day its reader may not see yet is left out.
WITHHELD_DAY = "未清点，不计入"
WITHHELD_TODAY = "今日未清点，不计入"


# --- the figures -------------------------------------------------------------------------


@dataclass
class DayRow:
    date: date
    close: DailyClose | None
    by_fee: list[Decimal]  # aligned with Figures.fee_types
    by_method: list[Decimal]  # aligned with METHODS
    receipts: int = 0  # receipts that count (reversals included)
    voids: int = 0
    withheld: bool = False  # not counted yet: its figures are left out for this reader

    @property
    def total(self) -> Decimal:
        return sum(self.by_method, ZERO)

    @property
    def fee_total(self) -> Decimal:
        return sum(self.by_fee, ZERO)

    @property
    def state(self) -> str | None:
        return self.close.state if self.close else None

    @property
    def state_zh(self) -> str:
        if self.withheld:
            return WITHHELD_TODAY if self.date == timezone.localdate() else WITHHELD_DAY
        return DayState(self.state).printed if self.state else NO_CLOSE


@dataclass
class CloseRow:
    """One day's close and handover: what the system expects, what was counted and received."""

    close: DailyClose
    system_total: Decimal | None  # None: a day not counted yet, withheld from this reader
    expected_total: Decimal | None  # frozen at submission
    counted_total: Decimal | None
    cash_handed: Decimal | None
    cash_received: Decimal | None
    final_count: DayCount | None = None

    @property
    def opening_float(self) -> Decimal | None:
        return self.final_count.opening_float if self.final_count else None

    @property
    def float_left(self) -> Decimal | None:
        return self.final_count.float_left if self.final_count else None

    @property
    def recounts(self) -> int | None:
        return self.final_count.sequence - 1 if self.final_count else None

    @property
    def date(self) -> date:
        return self.close.business_date

    @property
    def count_difference(self) -> Decimal | None:
        if self.counted_total is None or self.expected_total is None:
            return None
        return self.counted_total - self.expected_total

    @property
    def handover_difference(self) -> Decimal | None:
        if self.cash_received is None:
            return None
        return self.cash_received - self.cash_handed

    @property
    def handover(self):
        return getattr(self.close, "handover", None)

    @property
    def discrepancy(self):
        return getattr(self.handover, "discrepancy", None) if self.handover else None

    @property
    def state_zh(self) -> str:
        return DayState(self.close.state).printed

    @property
    def explanations_zh(self) -> str:
        return "；".join(
            f"{METHOD_NAMES.get(method, method)}：{text}"
            for method, text in self.close.explanations_by_method.items()
        )

    @property
    def discrepancy_zh(self) -> str:
        discrepancy = self.discrepancy
        if discrepancy is None:
            return ""
        if discrepancy.signed_off_at is None:
            return "待经理签认"
        return f"{person_name(discrepancy.signed_off_by)}已签认：{discrepancy.explanation}"


@dataclass
class DiscountRow:
    line: ReceiptLine

    @property
    def receipt(self) -> Receipt:
        return self.line.receipt

    @property
    def amount(self) -> Decimal:
        """A reversal gives its original's discount back: negative, like its amount."""
        return -self.line.discount if self.receipt.reverses_id else self.line.discount

    @property
    def approver(self) -> str:
        return person_name(self.receipt.discount_approved_by)

    @property
    def note_zh(self) -> str:
        return "红冲退回折扣" if self.receipt.reverses_id else ""


@dataclass
class Figures:
    start: date
    end: date
    period: str
    fee_types: list[FeeType]
    days: list[DayRow]
    closes: list[CloseRow]
    receipt_count: int = 0
    void_count: int = 0
    void_total: Decimal = ZERO  # face value of the void receipts (counted nowhere)
    reversal_count: int = 0
    reversal_total: Decimal = ZERO
    generated_at: object = None
    lock: MonthLock | None = None
    status_note: str = ""
    chain_note: str = ""  # a locked month's receipt chain at its end (fees.services.months)
    withheld: list[date] = field(default_factory=list)  # days left out (blind count)
    fee_totals: list[Decimal] = field(default_factory=list)
    method_totals: list[Decimal] = field(default_factory=list)
    discount_total: Decimal = ZERO  # a reversal gives its original's discount back
    discount_count: int = 0  # discounted lines

    @property
    def total(self) -> Decimal:
        return sum(self.method_totals, ZERO)

    @cached_property
    def discounts(self) -> list[DiscountRow]:
        """Every discounted line of the period, for the statement's files (the pages show
        the totals only): read when first asked for."""
        return discount_rows(self.start, self.end, withheld=frozenset(self.withheld))

    @property
    def close_totals(self) -> dict[str, Decimal]:
        """Column sums of the closes table (a missing figure counts as zero)."""
        names = [
            "system_total",
            "expected_total",
            "counted_total",
            "count_difference",
            "cash_handed",
            "cash_received",
            "handover_difference",
        ]
        return {
            name: sum((getattr(row, name) or ZERO for row in self.closes), ZERO) for name in names
        }

    @property
    def withheld_note(self) -> str:
        """The file's plain word on the days it leaves out; empty when it leaves none out."""
        if not self.withheld:
            return ""
        days = "、".join(f"{day:%Y-%m-%d}" for day in self.withheld)
        return f"{days} 尚未清点，不计入本表任何数字与合计"

    @property
    def ties_out(self) -> bool:
        """Fee-line sums and receipt totals agree on every day (they always should)."""
        return all(day.fee_total == day.total for day in self.days)

    @property
    def labelled_methods(self) -> list[tuple[str, str, Decimal]]:
        """For pages: the method's label in the reader's language."""
        return [
            (method, PaymentMethod(method).label, total)
            for method, total in zip(METHODS, self.method_totals, strict=True)
        ]

    @property
    def methods(self) -> list[tuple[str, str, Decimal]]:
        """For the statement's files: the method's Chinese name."""
        return [
            (method, METHOD_NAMES[method], total)
            for method, total in zip(METHODS, self.method_totals, strict=True)
        ]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def takings_by_day_and_fee(
    start: date, end: date, *, withheld: frozenset[date] = frozenset()
) -> dict[tuple[date, int], Decimal]:
    """{(business date, fee type id): amount} of the receipts that count; the ``withheld``
    dates (not counted yet, fees.selectors.days) are left out."""
    return period_takings(start, end, withheld=withheld, methods=False).fee_amounts()


def statement_fee_types(used_ids) -> list[FeeType]:
    """The active catalogue, plus any retired fee that still has takings in the period."""
    return list(FeeType.objects.filter(Q(active=True) | Q(pk__in=set(used_ids))))


def period_dates(start: date, end: date) -> list[date]:
    """The period's calendar days, up to today (a month in progress has no future rows)."""
    last = min(end, timezone.localdate())
    return [start + timedelta(days=n) for n in range((last - start).days + 1)]


def period_figures(
    start: date, end: date, *, period: str = "", withheld: frozenset[date] = frozenset()
) -> Figures:
    """The statement's figures for the dates from ``start`` to ``end``, in ten queries
    whatever the number of receipts (the list of discounts, for the files, when asked).

    The ``withheld`` dates are days the reader may not see yet (the blind count, see
    fees.selectors.days): their rows are marked and carry no figure, and no total, count or
    list of the statement includes anything of theirs.
    """
    takings = period_takings(start, end, withheld=withheld)
    by_fee = takings.fee_amounts()
    fee_types = statement_fee_types(fee_id for _day, fee_id in by_fee)
    closes = {close.business_date: close for close in closes_between(start, end)}
    days = {
        day: DayRow(
            date=day,
            close=closes.get(day),
            by_fee=[by_fee.get((day, fee.pk), ZERO) for fee in fee_types],
            by_method=[ZERO] * len(METHODS),
            withheld=day in withheld,
        )
        for day in period_dates(start, end)
    }
    discounts = takings.discounts()
    figures = Figures(
        start=start,
        end=end,
        period=period or f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}",
        fee_types=fee_types,
        days=[],
        closes=[],
        generated_at=timezone.localtime(),
        withheld=sorted(day for day in days if day in withheld),
        discount_total=discounts.discount,
        discount_count=discounts.discounted_lines,
    )
    for (business_date, method), row in takings.by_method.items():
        day = days.get(business_date)
        if day is None:  # a receipt dated in the future: impossible at the desk
            continue
        day.voids += row.voids
        day.by_method[METHODS.index(method)] += row.amount
        day.receipts += row.receipts
        figures.void_count += row.voids
        figures.void_total += row.void_amount
        figures.receipt_count += row.receipts
        figures.reversal_count += row.reversals
        figures.reversal_total += row.reversal_amount
    figures.days = list(days.values())
    figures.fee_totals = [
        sum((day.by_fee[i] for day in figures.days), ZERO) for i in range(len(fee_types))
    ]
    figures.method_totals = [
        sum((day.by_method[i] for day in figures.days), ZERO) for i in range(len(METHODS))
    ]
    finals = final_counts(close.pk for close in closes.values())
    figures.closes = [
        _close_row(close, days.get(day), finals.get(close.pk))
        for day, close in sorted(closes.items())
    ]
    return figures


def discount_rows(
    start: date, end: date, *, withheld: frozenset[date] = frozenset()
) -> list[DiscountRow]:
    """Every discounted line of the receipts that count in the period, by date and number."""
    discounted = (
        ReceiptLine.objects.filter(receipt__business_date__range=(start, end), discount__gt=0)
        .exclude(receipt__status=ReceiptStatus.VOID)
        .exclude(receipt__business_date__in=withheld)
        .select_related("receipt", "fee_type", "receipt__discount_approved_by")
        .order_by("receipt__business_date", "receipt__number", "pk")
    )
    return [DiscountRow(line) for line in discounted]


def _sum_figures(values: dict[str, Decimal]) -> Decimal | None:
    """The sum of a close's figures by method; None when it has none (not counted, or not
    frozen yet), which is not a zero."""
    if not values:
        return None
    return sum(values.values(), ZERO)


def _close_row(close: DailyClose, day: DayRow | None, final: DayCount | None) -> CloseRow:
    handover = getattr(close, "handover", None)
    return CloseRow(
        final_count=final,
        close=close,
        system_total=None if day and day.withheld else (day.total if day else ZERO),
        expected_total=(
            _sum_figures(close.expected_by_method) if close.state != DayState.OPEN else None
        ),
        counted_total=_sum_figures(close.counted_by_method),
        cash_handed=handover.cash_expected if handover else None,
        cash_received=handover.cash_received if handover else None,
    )


def month_title(year: int, month: int) -> str:
    return f"{year}年{month}月"


def month_figures(year: int, month: int, *, withheld: frozenset[date] = frozenset()) -> Figures:
    start, end = month_bounds(year, month)
    figures = period_figures(start, end, period=month_title(year, month), withheld=withheld)
    figures.lock = MonthLock.objects.filter(year=year, month=month).first()
    return figures


# --- the receipt detail ----------------------------------------------------------------


def _receipt_status(row: dict) -> str:
    status = ReceiptStatus(row["status"])
    if status != ReceiptStatus.ISSUED:
        return status.printed
    if row["reverses__number"]:
        return "红冲"
    if row["reversed_by__number"]:
        return "已红冲"
    return status.printed


def _receipt_note(row: dict) -> str:
    notes = []
    if row["status"] == ReceiptStatus.VOID:
        notes.append(f"作废原因：{row['void_reason']}")
    if row["reverses__number"]:
        notes.append(f"冲销 {row['reverses__number']}：{row['reversal_reason']}")
    if row["reversed_by__number"]:
        notes.append(f"已由 {row['reversed_by__number']} 红冲")
    if row["paper_number"]:
        notes.append(f"手工收据 {row['paper_number']}")
    return "；".join(notes)


def receipt_detail_rows(start: date, end: date, *, withheld: frozenset[date] = frozenset()):
    """Every receipt of the period, void ones included and marked, by date and number
    (those of the ``withheld`` dates left out: the sheet sums them).

    Two queries whatever the size: the lines' fee names first (small tuples), then the
    receipts streamed with iterator() so that a big month never sits in memory as models.
    """
    items: dict[int, list[str]] = defaultdict(list)
    lines = (
        ReceiptLine.objects.filter(receipt__business_date__range=(start, end))
        .exclude(receipt__business_date__in=withheld)
        .order_by("receipt_id", "pk")
        .values_list("receipt_id", "fee_type__name_zh", "quantity")
    )
    for receipt_id, fee_name, quantity in lines.iterator(chunk_size=5000):
        items[receipt_id].append(f"{fee_name}×{abs(quantity)}")
    receipts = (
        Receipt.objects.filter(business_date__range=(start, end))
        .exclude(business_date__in=withheld)
        .order_by("business_date", "number")
        .values(
            "pk",
            "number",
            "business_date",
            "issued_at",
            "payer_name",
            "unit__code",
            "method",
            "reference",
            *person_fields("cashier"),
            "total",
            "status",
            "void_reason",
            "reverses__number",
            "reversal_reason",
            "reversed_by__number",
            "paper_number",
        )
    )
    for row in receipts.iterator(chunk_size=5000):
        total = to_amount(row["total"])
        yield [
            row["number"],
            row["business_date"],
            row["issued_at"],
            row["payer_name"],
            row["unit__code"] or "",
            "、".join(items.pop(row["pk"], [])),
            METHOD_NAMES.get(row["method"], row["method"]),
            row["reference"],
            person_from_row(row, "cashier"),
            total,
            ZERO if row["status"] == ReceiptStatus.VOID else total,
            _receipt_status(row),
            _receipt_note(row),
        ]


def period_receipts(start: date, end: date) -> QuerySet[Receipt]:
    """Every receipt of the period, void ones included."""
    return Receipt.objects.filter(business_date__range=(start, end))
