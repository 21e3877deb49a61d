"""The daily close (日结): blind count, submission, approval, handover to finance."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.history import set_reason
from config.money import to_amount
from config.people import person_fields, person_from_row, person_order
from config.permissions import require
from fees.models import (
    DENOMINATIONS,
    MAX_AMOUNT,
    ZERO,
    DailyClose,
    DayCount,
    DayCountAmount,
    DayCountCash,
    DayState,
    Discrepancy,
    Handover,
    PaymentMethod,
    Receipt,
    ReceiptLine,
    ReceiptStatus,
)
from fees.selectors.counts import (
    CashPosition,
    CountRecord,
    cash_position,
    count_record,
    float_prefill,
)
from fees.services.months import refuse_if_month_locked


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

    @property
    def total(self) -> Decimal:
        return sum(self.by_method.values(), ZERO)


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
    )


def cash_total(cash_count: dict[str, int]) -> Decimal:
    return to_amount(sum((Decimal(d) * count for d, count in cash_count.items()), ZERO))


def differences(day: DailyClose, expected: dict[str, Decimal]) -> dict[str, Decimal]:
    """Counted minus expected, per method, for the methods that differ (shortage < 0)."""
    result = {}
    for method in PaymentMethod.values:
        counted = Decimal(day.counted.get(method, "0"))
        diff = counted - expected.get(method, ZERO)
        if diff:
            result[method] = diff
    return result


def method_rows(day: DailyClose, expected: dict) -> list[dict]:
    """Per payment method: expected, counted, difference and its explanation."""
    rows = []
    for method, label in PaymentMethod.choices:
        counted = Decimal(day.counted[method]) if method in day.counted else None
        exp = Decimal(expected.get(method, "0"))
        rows.append(
            {
                "method": method,
                "label": label,
                "expected": exp,
                "counted": counted,
                "difference": (counted - exp) if counted is not None else None,
                "explanation": day.explanations.get(method, ""),
            }
        )
    return rows


def day_cash(day: DailyClose, record: CountRecord, expected: dict) -> CashPosition:
    """The drawer of the day (float, expected and counted cash, what goes to finance), from
    its final count and the expected cash takings in ``expected``."""
    prefill = ZERO if record else float_prefill(day.business_date)
    cash_takings = Decimal(expected.get(PaymentMethod.CASH, "0"))
    return cash_position(record.final, cash_takings, prefill=prefill)


def slip_context(day: DailyClose) -> dict:
    """What a handover slip prints of an approved day: the figures frozen at submission, the
    blind and the final count, the float left for the next shift, the handover."""
    record = count_record(day)
    return {
        "day": day,
        "rows": method_rows(day, day.expected),
        "takings": day_takings(day.business_date),
        "handover": getattr(day, "handover", None),
        "counts": record,
        "cash": day_cash(day, record, day.expected),
    }


def _locked(day: DailyClose) -> DailyClose:
    """The day's row, locked; found by its date, so an unsaved day (read) will do."""
    try:
        day = DailyClose.objects.select_for_update().get(business_date=day.business_date)
    except DailyClose.DoesNotExist:
        raise ValidationError(_("Nothing was recorded on this day yet.")) from None
    refuse_if_month_locked(day.business_date)
    return day


def day_get(business_date: date) -> DailyClose:
    """The day's close, or an unsaved open one when nothing was recorded on the date: reading
    a day never writes; its row is created by the first count (or the first receipt)."""
    day = DailyClose.objects.filter(business_date=business_date).first()
    return day if day is not None else DailyClose(business_date=business_date)


def _clean_cash(cash_count: dict[Decimal, int]) -> dict[str, int]:
    clean = {}
    for denomination in DENOMINATIONS:
        pieces = cash_count.get(denomination, 0)
        if pieces < 0 or pieces > 100000:
            raise ValidationError(_("A count of notes or coins must be from 0 to 100,000."))
        if pieces:
            clean[str(denomination)] = pieces
    return clean


def _clean_non_cash(non_cash: dict[str, Decimal]) -> dict[str, Decimal]:
    clean = {}
    for method in PaymentMethod.values:
        if method == PaymentMethod.CASH:
            continue
        amount = non_cash.get(method, ZERO)
        if amount < 0 or amount > MAX_AMOUNT * 100:
            raise ValidationError(_("A platform total cannot be negative or absurdly large."))
        clean[method] = amount.quantize(Decimal("0.01"))
    return clean


def _clean_floats(
    opening_float: Decimal | None, float_left: Decimal | None, *, drawer: Decimal, prefill
) -> tuple[Decimal, Decimal]:
    """The opening float (the prefill when not given) and the float left for the next shift
    (the same as the opening float when not given)."""
    opening = prefill if opening_float is None else opening_float
    left = opening if float_left is None else float_left
    if not ZERO <= opening <= MAX_AMOUNT:
        raise ValidationError(_("The opening float must be from 0 to 1,000,000.00."))
    if left < 0:
        raise ValidationError(_("The float left for the next shift cannot be negative."))
    if left > drawer:
        raise ValidationError(
            _("The float left for the next shift (%(left)s) cannot be more than the cash counted.")
            % {"left": f"{left:.2f}"}
        )
    return to_amount(opening), to_amount(left)


def _open_for_counting(business_date: date) -> DailyClose:
    """The day's row, created by this first write if needed, and locked."""
    DailyClose.objects.get_or_create(business_date=business_date)
    day = _locked(DailyClose(business_date=business_date))
    if day.state != DayState.OPEN:
        raise ValidationError(_("Only an open day can be counted."))
    return day


@transaction.atomic
def day_record_count(
    *,
    day: DailyClose,
    by,
    cash_count: dict[Decimal, int],
    non_cash: dict[str, Decimal],
    opening_float: Decimal | None = None,
    float_left: Decimal | None = None,
) -> DailyClose:
    """Record a count: the drawer's notes and coins (float included), each platform's total,
    the opening float and the float left for the next shift. Every count is kept: the first
    is the blind one, any later one (after the expected figures appeared) a recount. The day
    keeps the last one as its final count, with the takings by method in ``counted``."""
    require(by, "fees.submit_day")
    if day.business_date > timezone.localdate():
        raise ValidationError(_("A day in the future cannot be counted."))
    day = _open_for_counting(day.business_date)
    clean_cash = _clean_cash(cash_count)
    platforms = _clean_non_cash(non_cash)
    drawer = cash_total(clean_cash)
    opening, left = _clean_floats(
        opening_float, float_left, drawer=drawer, prefill=float_prefill(day.business_date)
    )
    now = timezone.now()
    count = DayCount.objects.create(
        day=day,
        sequence=day.counts.count() + 1,  # under the day's row lock
        counted_by=by,
        counted_at=now,
        opening_float=opening,
        float_left=left,
    )
    DayCountCash.objects.bulk_create(
        DayCountCash(count=count, denomination=Decimal(value), pieces=pieces)
        for value, pieces in clean_cash.items()
    )
    DayCountAmount.objects.bulk_create(
        DayCountAmount(count=count, method=method, amount=amount)
        for method, amount in {PaymentMethod.CASH: drawer, **platforms}.items()
    )
    day.cash_count = clean_cash
    day.counted = {PaymentMethod.CASH: str(drawer - opening)} | {
        method: str(amount) for method, amount in platforms.items()
    }
    day.counted_by = by
    day.counted_at = now
    set_reason(day, gettext_noop("counted") if count.is_blind else gettext_noop("recounted"))
    day.save()
    return day


@transaction.atomic
def day_submit(*, day: DailyClose, by, explanations: dict[str, str]) -> DailyClose:
    """Freeze the expected figures and submit; every difference needs an explanation."""
    require(by, "fees.submit_day")
    day = _locked(day)
    if day.state != DayState.OPEN:
        raise ValidationError(_("Only an open day can be submitted."))
    if day.counted_at is None:
        raise ValidationError(_("Count the takings before submitting the day."))
    takings = day_takings(day.business_date)
    if takings.pending_voids:
        raise ValidationError(
            _("The manager must decide the void requests of %(numbers)s first.")
            % {"numbers": ", ".join(r.number for r in takings.pending_voids)}
        )
    missing = [
        method
        for method in differences(day, takings.by_method)
        if not explanations.get(method, "").strip()
    ]
    if missing:
        labels = ", ".join(str(PaymentMethod(method).label) for method in missing)
        raise ValidationError(_("Explain the difference of: %(methods)s.") % {"methods": labels})
    day.expected = {method: str(amount) for method, amount in takings.by_method.items()}
    day.explanations = {
        method: explanations[method].strip() for method in differences(day, takings.by_method)
    }
    day.state = DayState.SUBMITTED
    day.submitted_by = by
    day.submitted_at = timezone.now()
    day.return_comment = ""
    set_reason(day, gettext_noop("submitted"))
    day.save()
    return day


@transaction.atomic
def day_approve(*, day: DailyClose, by) -> DailyClose:
    require(by, "fees.approve_day")
    day = _locked(day)
    if day.state != DayState.SUBMITTED:
        raise ValidationError(_("Only a submitted day can be approved."))
    day.state = DayState.APPROVED
    day.approved_by = by
    day.approved_at = timezone.now()
    set_reason(day, gettext_noop("approved"))
    day.save()
    return day


@transaction.atomic
def day_return(*, day: DailyClose, by, comment: str) -> DailyClose:
    """Send a submitted day back to the desk, open again, with the manager's comment."""
    require(by, "fees.approve_day")
    day = _locked(day)
    if day.state != DayState.SUBMITTED:
        raise ValidationError(_("Only a submitted day can be returned."))
    if not comment.strip():
        raise ValidationError(_("Say why the day is returned."))
    day.state = DayState.OPEN
    day.return_comment = comment.strip()
    day.expected = {}
    set_reason(day, gettext_noop("returned to the desk"), comment.strip())
    day.save()
    return day


def cash_to_hand_over(day: DailyClose) -> Decimal:
    """The final count's cash less the float left in the drawer for the next shift."""
    final = count_record(day).final
    if final is None:
        return Decimal(day.counted.get(PaymentMethod.CASH, "0"))
    return final.cash_to_hand_over


@transaction.atomic
def handover_confirm(
    *, day: DailyClose, by, cash_received: Decimal, bag_number: str, note: str = ""
) -> Handover:
    """Finance recounts the cash and confirms; a difference goes to the discrepancy register."""
    require(by, "fees.confirm_handover")
    day = _locked(day)
    if day.state != DayState.APPROVED:
        raise ValidationError(_("Only an approved day can be handed over."))
    if cash_received < 0 or cash_received > MAX_AMOUNT * 100:
        raise ValidationError(_("Enter the cash received, 0 or more."))
    if not bag_number.strip():
        raise ValidationError(_("Enter the cash bag or seal number."))
    handover = Handover.objects.create(
        day=day,
        cash_expected=cash_to_hand_over(day),
        cash_received=cash_received,
        bag_number=bag_number.strip(),
        received_by=by,
        received_at=timezone.now(),
        note=note.strip(),
    )
    if handover.difference:
        Discrepancy.objects.create(handover=handover, amount=handover.difference)
    day.state = DayState.HANDED_OVER
    set_reason(day, gettext_noop("cash handed over to finance"))
    day.save()
    return handover


@transaction.atomic
def discrepancy_sign_off(*, discrepancy: Discrepancy, by, explanation: str) -> Discrepancy:
    require(by, "fees.sign_off_discrepancy")
    discrepancy = Discrepancy.objects.select_for_update().get(pk=discrepancy.pk)
    if discrepancy.signed_off_at is not None:
        raise ValidationError(_("This discrepancy was signed off already."))
    if not explanation.strip():
        raise ValidationError(_("Explain the discrepancy before signing it off."))
    discrepancy.explanation = explanation.strip()
    discrepancy.signed_off_by = by
    discrepancy.signed_off_at = timezone.now()
    discrepancy.save()
    return discrepancy


def days_waiting(state: str):
    return DailyClose.objects.filter(state=state).order_by("business_date")


def open_days_with_receipts(before: date):
    """Past days still open although receipts were issued on them (forgotten closes)."""
    return (
        DailyClose.objects.filter(state=DayState.OPEN, business_date__lt=before)
        .filter(Q(business_date__in=Receipt.objects.values("business_date")))
        .order_by("business_date")
    )
