"""The daily close (日结): blind count, submission, approval, handover to finance."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.money import MAX_AMOUNT, ZERO, format_money, to_amount
from config.permissions import require
from config.states import locked, require_state, save_change, stamp, transition
from config.validators import RuleError, check_amount
from fees.enums import DENOMINATIONS, DayState, PaymentMethod
from fees.models import (
    DailyClose,
    DailyCloseMethod,
    DayCount,
    DayCountAmount,
    DayCountCash,
    Discrepancy,
    Handover,
    Payout,
)
from fees.selectors.days import (
    cash_to_hand_over,
    cash_total,
    day_takings,
    differences,
    float_prefill,
)
from fees.services.totals import day_totals_drop, day_totals_store
from fees.validators import (
    refuse_if_month_locked,
    validate_day_decider,
    validate_discrepancy_signer,
    validate_handover_receiver,
    validate_pieces,
)


def _locked(day: DailyClose) -> DailyClose:
    """The day's row, locked; found by its date, so an unsaved day (read) will do."""
    day = locked(
        day,
        business_date=day.business_date,
        missing=_("Nothing was recorded on this day yet."),
    )
    refuse_if_month_locked(day.business_date)
    return day


def _clean_cash(cash_count: dict[Decimal, int]) -> dict[str, int]:
    clean = {}
    for denomination in DENOMINATIONS:
        pieces = cash_count.get(denomination, 0)
        validate_pieces(pieces)
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


# A figure that is not there: not frozen yet, not counted, nothing to explain.
NO_FIGURE = {"expected": None, "counted": None, "explanation": ""}


def _save_figures(
    day: DailyClose,
    values: dict[str, dict],
    *,
    clear: tuple[str, ...] = (),
    when,
    reason: str,
    detail: str = "",
) -> None:
    """Write the day's figures by payment method: ``values`` is {method: {field: value}},
    and the ``clear`` fields of the methods it does not name go empty. Only the rows that
    change are saved, at the day's own history date, so that the day's history shows them
    in the entry of the change that made them."""
    rows = day.figures
    cleared = {name: NO_FIGURE[name] for name in clear}
    for method in [*values, *(m for m in rows if m not in values)]:
        wanted = values.get(method, cleared)
        row = rows.get(method)
        if row is None:
            if all(value == NO_FIGURE[name] for name, value in wanted.items()):
                continue
            row = DailyCloseMethod(close=day, method=method)
        elif all(getattr(row, name) == value for name, value in wanted.items()):
            continue
        for name, value in wanted.items():
            setattr(row, name, value)
        save_change(row, reason, detail, when=when)


def _open_for_counting(business_date: date) -> DailyClose:
    """The day's row, created by this first write if needed, and locked."""
    DailyClose.objects.get_or_create(business_date=business_date)
    day = _locked(DailyClose(business_date=business_date))
    require_state(day, "state", {DayState.OPEN}, refusal=_("Only an open day can be counted."))
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
    reason = gettext_noop("counted") if count.is_blind else gettext_noop("recounted")
    takings = {PaymentMethod.CASH: drawer - opening, **platforms}
    _save_figures(
        day,
        {method: {"counted": amount} for method, amount in takings.items()},
        clear=("counted",),
        when=now,
        reason=reason,
    )
    day.counted_by = by
    day.counted_at = now
    return save_change(day, reason, when=now)


@transaction.atomic
def day_submit(*, day: DailyClose, by, explanations: dict[str, str]) -> DailyClose:
    """Freeze the expected figures and submit; every difference needs an explanation."""
    require(by, "fees.submit_day")
    day = _locked(day)
    transition(day, "state", DayState.SUBMITTED, refusal=_("Only an open day can be submitted."))
    if day.counted_at is None:
        raise ValidationError(_("Count the takings before submitting the day."))
    takings = day_takings(day.business_date)
    if takings.pending_voids:
        raise ValidationError(
            _("The manager must decide the void requests of %(numbers)s first.")
            % {"numbers": ", ".join(r.number for r in takings.pending_voids)}
        )
    differing = differences(day, takings.expected)
    missing = [method for method in differing if not explanations.get(method, "").strip()]
    if missing:
        labels = ", ".join(str(PaymentMethod(method).label) for method in missing)
        raise ValidationError(_("Explain the difference of: %(methods)s.") % {"methods": labels})
    now = timezone.now()
    _save_figures(
        day,
        {
            method: {
                "expected": amount,
                "explanation": explanations[method].strip() if method in differing else "",
            }
            for method, amount in takings.expected.items()
        },
        clear=("expected", "explanation"),
        when=now,
        reason=gettext_noop("submitted"),
    )
    stamp(day, "submitted", by, at=now)
    day.return_comment = ""
    # Month and year figures read these from now on; the lock held keeps the receipts still.
    day_totals_store(day=day)
    return save_change(day, gettext_noop("submitted"), when=now)


@transaction.atomic
def day_approve(*, day: DailyClose, by) -> DailyClose:
    require(by, "fees.approve_day")
    day = _locked(day)
    transition(day, "state", DayState.APPROVED, refusal=_("Only a submitted day can be approved."))
    validate_day_decider(day, by)
    stamp(day, "approved", by)
    return save_change(day, gettext_noop("approved"))


@transaction.atomic
def day_return(*, day: DailyClose, by, comment: str) -> DailyClose:
    """Send a submitted day back to the desk, open again, with the manager's comment."""
    require(by, "fees.approve_day")
    day = _locked(day)
    transition(day, "state", DayState.OPEN, refusal=_("Only a submitted day can be returned."))
    validate_day_decider(day, by)
    if not comment.strip():
        raise ValidationError(_("Say why the day is returned."))
    day.return_comment = comment.strip()
    # The expected figures are frozen again at the next submission; the explanations stay
    # until then, as the manager read them.
    reason, now = gettext_noop("returned to the desk"), timezone.now()
    _save_figures(day, {}, clear=("expected",), when=now, reason=reason, detail=comment.strip())
    day_totals_drop(day=day)  # open again: it may take voids, so it is read live
    return save_change(day, reason, comment.strip(), when=now)


@transaction.atomic
def handover_confirm(
    *, day: DailyClose, by, cash_received: Decimal, bag_number: str, note: str = ""
) -> Handover:
    """Finance recounts the cash and confirms; a difference goes to the discrepancy register."""
    require(by, "fees.confirm_handover")
    day = _locked(day)
    transition(
        day, "state", DayState.HANDED_OVER, refusal=_("Only an approved day can be handed over.")
    )
    validate_handover_receiver(day, by)
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
    save_change(day, gettext_noop("cash handed over to finance"))
    return handover


@transaction.atomic
def discrepancy_sign_off(*, discrepancy: Discrepancy, by, explanation: str) -> Discrepancy:
    require(by, "fees.sign_off_discrepancy")
    discrepancy = locked(discrepancy)
    if discrepancy.signed_off_at is not None:
        raise ValidationError(_("This discrepancy was signed off already."))
    validate_discrepancy_signer(discrepancy, by)
    if not explanation.strip():
        raise ValidationError(_("Explain the discrepancy before signing it off."))
    discrepancy.explanation = explanation.strip()
    stamp(discrepancy, "signed_off", by)
    discrepancy.save()
    return discrepancy


@transaction.atomic
def payout_record(
    *,
    by,
    business_date: date,
    method: str,
    amount: Decimal,
    purpose: str,
    reference: str = "",
) -> Payout:
    """Record money paid out of the desk on ``business_date``: the day's expected takings
    of ``method`` drop by ``amount``. Refused once the day is submitted (its expected
    figures are frozen) or its month locked; the caller's transaction writes it with the
    payment it records, or neither."""
    require(by, "fees.record_payout")
    if business_date > timezone.localdate():
        raise RuleError(_("Money cannot be paid out on a day in the future."), field="paid_on")
    if method not in PaymentMethod.values:
        raise RuleError(_("Choose a payment method."), field="method")
    try:
        amount = check_amount(amount)
    except ValidationError as exc:
        raise RuleError(exc.messages[0], field="amount") from None
    purpose = (purpose or "").strip()[:200]
    if not purpose:
        raise RuleError(_("Say what the money is paid out for."), field="purpose")
    DailyClose.objects.get_or_create(business_date=business_date)
    day = _locked(DailyClose(business_date=business_date))
    require_state(
        day,
        "state",
        {DayState.OPEN},
        refusal=_(
            "The daily close of %(date)s is %(state)s: no money can be paid out of that "
            "day's drawer any more. Pay it on an open day, or ask the manager to return "
            "the day to the desk."
        )
        % {"date": business_date.isoformat(), "state": str(day.get_state_display()).lower()},
    )
    payout = Payout.objects.create(
        business_date=business_date,
        method=method,
        amount=amount,
        purpose=purpose,
        reference=(reference or "").strip()[:60],
        paid_by=by,
        paid_at=timezone.now(),
    )
    save_change(day, gettext_noop("money paid out"), f"{format_money(amount)} {purpose}")
    return payout
