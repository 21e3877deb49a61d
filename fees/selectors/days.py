"""The blind count's one rule: who may see a business day's expected takings, and when.

The person who counts the cash must not know beforehand what the system expects, or the
count only confirms the screen. So for the counting role (whoever holds ``fees.submit_day``)
a day's expected figures, and every sum that contains them, stay hidden until that day's
count is saved. The manager, finance and the auditor do not count: they always see them.
Every page, export, chart and home panel asks here; none decides for itself.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum

from config.dates import DateBounds, on_dates
from config.duties import took_part
from config.money import ZERO, to_amount
from config.people import person_fields, person_from_row, person_order
from fees.enums import DayState, PaymentMethod, ReceiptStatus
from fees.models import (
    DailyClose,
    DayCount,
    Discrepancy,
    Payout,
    Receipt,
    ReceiptLine,
)

COUNTING_PERMISSION = "fees.submit_day"


def counts_takings(user) -> bool:
    """Whether the user is one who counts (and so is kept blind until the count is saved)."""
    return user.has_perm(COUNTING_PERMISSION)


def day_is_counted(day: DailyClose | None) -> bool:
    """A day's count is saved (a day past "open" was counted before it could move on)."""
    if day is None:
        return False
    return day.counted_at is not None or day.state != DayState.OPEN


def expected_figures_visible(user, day: DailyClose | date | None) -> bool:
    """Whether ``user`` may see the expected takings of ``day`` (a close, or its date when
    the close may not exist yet; a date without a close is a day not counted)."""
    if not counts_takings(user):
        return True
    if isinstance(day, date):
        day = DailyClose.objects.filter(business_date=day).first()
    return day_is_counted(day)


def _counted(queryset):
    return queryset.filter(Q(counted_at__isnull=False) | ~Q(state=DayState.OPEN))


def withheld_dates(user, start: date, end: date) -> frozenset[date]:
    """The dates from ``start`` to ``end`` whose takings ``user`` may not see yet: for the
    counting role, every date with receipts whose count is not saved. A date without
    receipts has no takings to hide. Two queries, whatever the period."""
    if not counts_takings(user):
        return frozenset()
    counted = set(
        _counted(DailyClose.objects.filter(business_date__range=(start, end))).values_list(
            "business_date", flat=True
        )
    )
    return frozenset(dates_with_receipts(start, end, leaving_out=counted))


def dates_with_receipts(start: date, end: date, *, leaving_out=frozenset()) -> set[date]:
    """The dates from ``start`` to ``end`` with at least one receipt, looked for only on the
    dates not in ``leaving_out``: the receipts of the days left out (a year of closed days)
    are never read, so the answer costs the days still open, not the years behind."""
    span = (end - start).days + 1
    dates = [start + timedelta(days=n) for n in range(max(span, 0))]
    where = on_dates("business_date", (day for day in dates if day not in leaving_out))
    if where is None:
        return set()
    return set(
        Receipt.objects.filter(where).order_by().values_list("business_date", flat=True).distinct()
    )


def counts_of(day: DailyClose) -> list[DayCount]:
    """Every count of the day, the blind one first (none for a day without a close row)."""
    if day.pk is None:
        return []
    return list(
        day.counts.select_related("counted_by")
        .prefetch_related("cash", "amounts")
        .order_by("sequence")
    )


def final_counts(day_ids) -> dict[int, DayCount]:
    """{close id: its last count} for the given closes, in two queries."""
    counts = (
        DayCount.objects.filter(day_id__in=list(day_ids))
        .prefetch_related("amounts")
        .order_by("day_id", "sequence")
    )
    return {count.day_id: count for count in counts}  # the last one of each day wins


def float_prefill(business_date: date) -> Decimal:
    """The float a day starts with: what the last count of an earlier day left for the next
    shift, or the configured default before the first count ever."""
    last = (
        DayCount.objects.filter(day__business_date__lt=business_date)
        .order_by("-day__business_date", "-sequence")
        .first()
    )
    return last.float_left if last else settings.CASH_FLOAT_DEFAULT


@dataclass
class CountRecord:
    """A day's counts: the blind one, the final one, and how many recounts came after."""

    counts: list[DayCount]

    def __bool__(self) -> bool:
        return bool(self.counts)

    @property
    def blind(self) -> DayCount | None:
        return self.counts[0] if self.counts else None

    @property
    def final(self) -> DayCount | None:
        return self.counts[-1] if self.counts else None

    @property
    def non_cash_methods(self) -> list[tuple[str, str]]:
        return [(m, label) for m, label in PaymentMethod.choices if m != PaymentMethod.CASH]

    @property
    def recounts(self) -> int:
        return max(len(self.counts) - 1, 0)


def count_record(day: DailyClose) -> CountRecord:
    return CountRecord(counts_of(day))


@dataclass
class CashPosition:
    """The drawer at the close: the float it started with plus the cash takings is what it
    should hold; what stays as the next shift's float is not handed to finance."""

    opening_float: Decimal
    cash_takings: Decimal  # expected, from the receipts (frozen at submission)
    counted: Decimal | None  # all the cash in the drawer, float included
    float_left: Decimal | None
    paid_out: Decimal = ZERO  # cash paid out of the drawer (a deposit refunded in cash)

    @property
    def expected_in_drawer(self) -> Decimal:
        return self.opening_float + self.cash_takings - self.paid_out

    @property
    def difference(self) -> Decimal | None:
        """Shortage (< 0) or excess of the cash takings; the float is not a difference."""
        return None if self.counted is None else self.counted - self.expected_in_drawer

    @property
    def to_hand_over(self) -> Decimal | None:
        if self.counted is None or self.float_left is None:
            return None
        return self.counted - self.float_left


def cash_position(
    final: DayCount | None, cash_takings: Decimal, *, prefill: Decimal, paid_out: Decimal = ZERO
):
    """The drawer after the final count, or before any count (with the prefilled float)."""
    if final is None:
        return CashPosition(prefill, cash_takings, None, None, paid_out)
    return CashPosition(
        final.opening_float, cash_takings, final.cash_counted, final.float_left, paid_out
    )


def first_business_date() -> date | None:
    """The business date of the first receipt ever issued, if any."""
    return Receipt.objects.aggregate(first=Min("business_date"))["first"]


def closable_days(today: date) -> DateBounds:
    """A day can be counted and closed from the first receipt's day up to today; before
    the first receipt there is only today, the day the desk starts on."""
    first = first_business_date()
    return DateBounds(first=min(first, today) if first else today, last=today)


@dataclass
class DayTakings:
    """What the system expects for a business date, from the receipts themselves."""

    by_method: dict[str, Decimal]
    by_cashier: list[dict]
    receipt_count: int
    voids: list[Receipt]
    reversals: list[Receipt]
    discounts: list[ReceiptLine]
    pending_voids: list[Receipt] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.by_method.values(), ZERO)

    @property
    def paid_out(self) -> dict[str, Decimal]:
        """What was paid out of the desk by method (a cash refund: out of the drawer)."""
        return paid_out_by_method(self.payouts)

    @property
    def expected(self) -> dict[str, Decimal]:
        """What the count should find by method: the takings less what was paid out."""
        paid = self.paid_out
        return {
            method: amount - paid.get(method, ZERO) for method, amount in self.by_method.items()
        }


def day_payouts(business_date: date) -> list[Payout]:
    """The money paid out of the desk on a business date, in the order it was paid."""
    return list(
        Payout.objects.filter(business_date=business_date)
        .select_related("paid_by")
        .order_by("paid_at", "pk")
    )


def paid_out_by_method(payouts: list[Payout]) -> dict[str, Decimal]:
    paid: dict[str, Decimal] = {}
    for payout in payouts:
        paid[payout.method] = paid.get(payout.method, ZERO) + payout.amount
    return paid


def day_takings(business_date: date) -> DayTakings:
    receipts = Receipt.objects.filter(business_date=business_date)
    counting = receipts.exclude(status=ReceiptStatus.VOID)
    by_method = {method: ZERO for method in PaymentMethod.values}
    for row in counting.values("method").annotate(total=Sum("total")):
        by_method[row["method"]] = to_amount(row["total"])  # SQLite sums drop the cents
    by_cashier = list(
        counting.values(*person_fields("cashier"), "method")
        .annotate(total=Sum("total"), receipts=Count("pk"))
        .order_by(*person_order("cashier"), "method")
    )
    for row in by_cashier:
        row["cashier_name"] = person_from_row(row, "cashier")
        row["total"] = to_amount(row["total"])
        row["method_label"] = PaymentMethod(row["method"]).label
    related = receipts.select_related("cashier", "voided_by", "reverses").order_by("number")
    return DayTakings(
        by_method=by_method,
        by_cashier=by_cashier,
        receipt_count=counting.count(),
        voids=list(related.filter(status=ReceiptStatus.VOID)),
        pending_voids=list(related.filter(status=ReceiptStatus.VOID_REQUESTED)),
        reversals=list(related.filter(reverses__isnull=False)),
        discounts=list(
            ReceiptLine.objects.filter(receipt__business_date=business_date, discount__gt=0)
            .exclude(receipt__status=ReceiptStatus.VOID)
            .select_related("receipt", "fee_type", "receipt__discount_approved_by")
            .order_by("receipt__number")
        ),
        payouts=day_payouts(business_date),
    )


def cash_total(cash_count: dict[str, int]) -> Decimal:
    return to_amount(sum((Decimal(d) * count for d, count in cash_count.items()), ZERO))


def differences(day: DailyClose, expected: dict[str, Decimal]) -> dict[str, Decimal]:
    """Counted minus expected, per method, for the methods that differ (shortage < 0); a
    method not counted counts as zero."""
    counted = day.counted_by_method
    result = {}
    for method in PaymentMethod.values:
        diff = counted.get(method, ZERO) - expected.get(method, ZERO)
        if diff:
            result[method] = diff
    return result


def method_rows(day: DailyClose, expected: dict[str, Decimal]) -> list[dict]:
    """Per payment method: expected (zero when not given), counted (None when not counted),
    difference and its explanation."""
    figures = day.figures
    rows = []
    for method, label in PaymentMethod.choices:
        row = figures.get(method)
        counted = row.counted if row else None
        exp = expected.get(method, ZERO)
        rows.append(
            {
                "method": method,
                "label": label,
                "expected": exp,
                "counted": counted,
                "difference": (counted - exp) if counted is not None else None,
                "explanation": row.explanation if row else "",
            }
        )
    return rows


def day_cash(
    day: DailyClose,
    record: CountRecord,
    expected: dict[str, Decimal],
    payouts: list[Payout] | None = None,
) -> CashPosition:
    """The drawer of the day (float, takings, cash paid out, expected and counted cash, what
    goes to finance), from its final count and the expected cash in ``expected`` (the
    takings less the cash paid out). ``payouts``: the day's, read when not given."""
    prefill = ZERO if record else float_prefill(day.business_date)
    if payouts is None:
        payouts = day_payouts(day.business_date)
    paid_out = paid_out_by_method(payouts).get(PaymentMethod.CASH, ZERO)
    cash_takings = expected.get(PaymentMethod.CASH, ZERO) + paid_out
    return cash_position(record.final, cash_takings, prefill=prefill, paid_out=paid_out)


def slip_context(day: DailyClose) -> dict:
    """What a handover slip prints of an approved day: the figures frozen at submission, the
    blind and the final count, the float left for the next shift, the handover."""
    record = count_record(day)
    expected = day.expected_by_method
    takings = day_takings(day.business_date)
    return {
        "day": day,
        "rows": method_rows(day, expected),
        "takings": takings,
        "handover": getattr(day, "handover", None),
        "counts": record,
        "cash": day_cash(day, record, expected, takings.payouts),
    }


def expected_by_method(day: DailyClose, takings: DayTakings | None) -> dict:
    """The expected takings a day's page compares the count with: frozen at submission,
    live from the receipts while the day is open (none when ``takings`` are withheld)."""
    if day.state != DayState.OPEN:
        return day.expected_by_method
    return takings.expected if takings else {}


def slip_ready(day: DailyClose) -> bool:
    """The handover slip is printed once the manager approved the day."""
    return day.state in (DayState.APPROVED, DayState.HANDED_OVER)


def day_get(business_date: date) -> DailyClose:
    """The day's close, or an unsaved open one when nothing was recorded on the date: reading
    a day never writes; its row is created by the first count (or the first receipt)."""
    day = DailyClose.objects.filter(business_date=business_date).prefetch_related("methods")
    day = day.first()
    return day if day is not None else DailyClose(business_date=business_date)


def cash_to_hand_over(day: DailyClose) -> Decimal:
    """The final count's cash less the float left in the drawer for the next shift."""
    final = count_record(day).final
    if final is None:
        return day.counted_by_method.get(PaymentMethod.CASH, ZERO)
    return final.cash_to_hand_over


def day_doers(day: DailyClose) -> frozenset[int]:
    """The people who counted (any count, blind or recount) or submitted the day: none of
    them approves or returns it, receives its cash or signs off its discrepancy."""
    counters = (
        DayCount.objects.filter(day=day).values_list("counted_by_id", flat=True) if day.pk else []
    )
    return frozenset(
        pk for pk in (day.counted_by_id, day.submitted_by_id, *counters) if pk is not None
    )


def discrepancy_doers(discrepancy: Discrepancy) -> frozenset[int]:
    """The day's doers and the one who received its cash: none of them signs off the
    difference found at the handover."""
    handover = discrepancy.handover
    return day_doers(handover.day) | {handover.received_by_id}


@dataclass(frozen=True)
class DayActions:
    """What a user may do on a day's page beyond counting; the services decide again. The
    ``*_by_another`` flags: the user holds the right but took part in the day, so the page
    says who acts instead of offering the button."""

    can_decide: bool
    decide_by_another: bool
    can_receive: bool
    receive_by_another: bool
    can_sign_off: bool
    sign_off_by_another: bool


def day_actions(day: DailyClose, user, *, month_locked: bool) -> DayActions:
    """Approve or return a submitted day (the manager), receive an approved day's cash
    (finance), sign off its handover's discrepancy (the manager): each for a holder of the
    right who neither counted nor submitted the day (nor, for the sign-off, received it)."""
    doers = day_doers(day) if day.state != DayState.OPEN else frozenset()
    own = took_part(user, doers)
    decide = (
        day.state == DayState.SUBMITTED and not month_locked and user.has_perm("fees.approve_day")
    )
    receive = (
        day.state == DayState.APPROVED
        and not month_locked
        and user.has_perm("fees.confirm_handover")
    )
    discrepancy = _unsigned_discrepancy(day)
    sign_off = discrepancy is not None and user.has_perm("fees.sign_off_discrepancy")
    own_sign_off = sign_off and took_part(user, discrepancy_doers(discrepancy))
    return DayActions(
        can_decide=decide and not own,
        decide_by_another=decide and own,
        can_receive=receive and not own,
        receive_by_another=receive and own,
        can_sign_off=sign_off and not own_sign_off,
        sign_off_by_another=own_sign_off,
    )


def _unsigned_discrepancy(day: DailyClose) -> Discrepancy | None:
    if day.state != DayState.HANDED_OVER:
        return None
    return (
        Discrepancy.objects.filter(handover__day=day, signed_off_at__isnull=True)
        .select_related("handover__day")
        .first()
    )


def days_waiting(state: str):
    return DailyClose.objects.filter(state=state).order_by("business_date")


def open_days_with_receipts(before: date):
    """Past days still open although receipts were issued on them (forgotten closes)."""
    # EXISTS, probed per open day in the receipts' date index: IN (SELECT ...) would read
    # the dates of every receipt ever issued.
    receipts = Receipt.objects.filter(business_date=OuterRef("business_date"))
    return (
        DailyClose.objects.filter(state=DayState.OPEN, business_date__lt=before)
        .filter(Exists(receipts))
        .order_by("business_date")
    )


def closes_between(start: date, end: date) -> QuerySet[DailyClose]:
    """The closes of a period with everything a statement or the audit pack prints of them:
    the people who signed, the handover and its discrepancy, the figures by method."""
    return (
        DailyClose.objects.filter(business_date__range=(start, end))
        .select_related(
            "submitted_by",
            "approved_by",
            "handover__received_by",
            "handover__discrepancy__signed_off_by",
        )
        .prefetch_related("methods")
        .order_by("business_date")
    )
