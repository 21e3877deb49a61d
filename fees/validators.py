"""The desk's rules, each defined once: forms call them in clean() to put the message next to
the field, services call them again under the lock (what a form saw may have changed since).

A rule raises ``RuleError`` (config.validators): its message reads on its own, as a service
reports it; where the form's field label says part of it, the form shows the shorter
``field_message`` next to that field.
"""

from datetime import date, datetime
from decimal import Decimal
from math import ceil

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archives.models import IdDocType
from config.dates import year_end_from
from config.duties import refuse_own_work
from config.money import MAX_AMOUNT, ZERO
from config.validators import RuleError, normalise_identifier, validate_resident_id
from fees.enums import ApprovalOutcome, DayState, PayerKind, PaymentMethod
from fees.models import DiscountApproval, Receipt, ReceiptBook, SpoiledPaperReceipt
from fees.selectors.charges import charge_outstanding
from fees.selectors.days import day_doers, discrepancy_doers
from fees.selectors.months import month_is_locked
from fees.selectors.receipts import reversal_doers, void_doers

MAX_QUANTITY = 999
# Notes or coins of one denomination in a day's count.
MAX_PIECES = 100_000
# Documents other than the resident ID card have no check digit we can verify; a sane
# shape at least catches a phone number typed into the wrong box.
OTHER_ID_LENGTH = (5, 20)
APPROVE_DISCOUNT = "fees.approve_discount"


# --- the payer ---------------------------------------------------------------------------


def validate_payer(payer) -> None:
    """Who pays (a services.receipts.Payer): a tenant, a contractor or a named person, and a
    name on the receipt (the tenant's or contractor's unless another is typed)."""
    if payer.kind not in PayerKind.values:
        raise RuleError(_("Choose who pays."), field="payer_kind")
    if payer.kind == PayerKind.TENANT and payer.tenant is None:
        raise RuleError(
            _("Choose the tenant who pays."),
            field="unit_code",
            field_message=_("Enter the code of an occupied unit: its current tenant pays."),
        )
    if payer.kind == PayerKind.CONTRACTOR and payer.contractor is None:
        raise RuleError(_("Choose the contractor who pays."), field="contractor")
    if not payer.resolved_name().strip():
        raise RuleError(_("Enter the payer's name."), field="payer_name")


# --- the lines -----------------------------------------------------------------------------


def validate_has_lines(count: int) -> None:
    if not count:
        raise RuleError(_("A receipt needs at least one line."))


def validate_discount(discount: Decimal, gross: Decimal) -> None:
    if discount < ZERO or discount >= gross:
        raise RuleError(
            _("the discount must be at least 0 and less than the line's amount."),
            field="discount",
            field_message=_("The discount must be less than the line's amount."),
        )


def validate_discount_reason(discount: Decimal, reason: str) -> None:
    if discount and not reason.strip():
        raise RuleError(
            _("a discount needs a reason."),
            field="discount_reason",
            field_message=_("A discount needs a reason."),
        )


def discount_needs_approval(discount: Decimal, gross: Decimal) -> bool:
    """A discount over DISCOUNT_APPROVAL_SHARE of its line needs the manager's approval."""
    return discount > gross * settings.DISCOUNT_APPROVAL_SHARE


def may_approve_discounts(user) -> bool:
    return user is not None and user.has_perm(APPROVE_DISCOUNT)


def validate_discount_approval(*, needed: bool, approved: bool) -> None:
    if needed and not approved:
        raise RuleError(
            _("A discount over %(share)s of a line needs the manager's approval.")
            % {"share": f"{settings.DISCOUNT_APPROVAL_SHARE:.0%}"},
            field="approver_username",
        )


def validate_discount_approver(approver, cashier) -> None:
    """Separation of duties: the cashier who issues the receipt never approves its discount."""
    refuse_own_work(
        approver,
        [cashier],
        _("You cannot approve a discount on a receipt you issue: another manager must."),
        field="approver_username",
    )


# --- the manager's on-the-spot approval ----------------------------------------------------

# Tries that count towards the throttle: wrong passwords (an unknown user name is one).
APPROVAL_FAILURES = (ApprovalOutcome.WRONG_PASSWORD,)


def approval_retry_at(*, asked_by, username: str, now: datetime) -> datetime | None:
    """When the desk of ``asked_by`` may try the manager's approval again, or a try for
    ``username`` may be made again; None when neither has reached the limit of wrong
    passwords (DISCOUNT_APPROVAL_FAILURE_LIMIT within DISCOUNT_APPROVAL_COOLOFF)."""
    limit, cooloff = settings.DISCOUNT_APPROVAL_FAILURE_LIMIT, settings.DISCOUNT_APPROVAL_COOLOFF
    failures = DiscountApproval.objects.filter(
        asked_at__gt=now - cooloff, asked_at__lte=now, outcome__in=APPROVAL_FAILURES
    ).order_by("-asked_at")
    retry = []
    for recent in (failures.filter(asked_by=asked_by), failures.filter(approver_username=username)):
        times = list(recent.values_list("asked_at", flat=True)[:limit])
        # Once the limit-th latest failure is older than the cool-off, fewer remain in it.
        if len(times) == limit:
            retry.append(times[-1] + cooloff)
    return max(retry, default=None)


def refuse_if_approval_throttled(*, asked_by, username: str, now: datetime) -> None:
    retry_at = approval_retry_at(asked_by=asked_by, username=username, now=now)
    if retry_at is None:
        return
    minutes = max(1, ceil((retry_at - now).total_seconds() / 60))
    raise RuleError(
        ngettext(
            "Too many wrong passwords for the manager's approval at this desk or for this "
            "manager: try again in %(minutes)d minute.",
            "Too many wrong passwords for the manager's approval at this desk or for this "
            "manager: try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        field="approver_username",
    )


def validate_approval(approval: DiscountApproval) -> None:
    """The desk's answer to one try of the manager's approval: nothing when approved, else
    why not (a wrong password and a user who may not approve read alike, so that the desk
    learns nothing about other people's accounts)."""
    if approval.outcome == ApprovalOutcome.GRANTED:
        return
    if approval.outcome == ApprovalOutcome.THROTTLED:
        refuse_if_approval_throttled(
            asked_by=approval.asked_by, username=approval.approver_username, now=approval.asked_at
        )
    if approval.outcome == ApprovalOutcome.OWN_RECEIPT:
        validate_discount_approver(approval.approver, approval.asked_by)
    raise RuleError(
        _("The manager's user name or password is wrong, or the user cannot approve discounts."),
        field="approver_username",
    )


def _validate_charge(line, payer) -> None:
    charge = line.charge
    if payer.kind != PayerKind.TENANT or charge.tenant_id != getattr(payer.tenant, "pk", None):
        raise RuleError(_("the charge belongs to another tenant."))
    if charge.cancelled:
        raise RuleError(_("the charge was cancelled."))
    if line.amount > charge_outstanding(charge):
        raise RuleError(_("the amount is more than what is still owed on the charge."))


def validate_line(line, payer) -> None:
    """One line (a services.receipts.LineInput) of a receipt paid by ``payer``."""
    if not line.fee_type.active:
        raise RuleError(_("this fee is no longer in use."))
    if not 1 <= line.quantity <= MAX_QUANTITY:
        raise RuleError(_("the quantity must be from 1 to %(max)d.") % {"max": MAX_QUANTITY})
    if not ZERO < line.unit_price <= MAX_AMOUNT:
        raise RuleError(_("the unit price must be more than 0 and at most 1,000,000.00."))
    validate_discount(line.discount, line.gross)
    validate_discount_reason(line.discount, line.discount_reason)
    if line.charge is not None:
        _validate_charge(line, payer)


def validate_lines(lines: list, payer) -> None:
    """Every line, each refusal saying which line, and the receipt's total."""
    validate_has_lines(len(lines))
    for number, line in enumerate(lines, start=1):
        try:
            validate_line(line, payer)
        except ValidationError as exc:
            raise RuleError(_("Line %(n)d: ") % {"n": number} + " ".join(exc.messages)) from None
    if sum((line.amount for line in lines), ZERO) > MAX_AMOUNT:
        raise RuleError(_("A receipt's total cannot be over 1,000,000.00."))


# --- the payment ---------------------------------------------------------------------------


def validate_payment(method: str, reference: str) -> None:
    if method not in PaymentMethod.values:
        raise RuleError(_("Choose a payment method."), field="method")
    if method != PaymentMethod.CASH and not reference.strip():
        raise RuleError(
            _("A non-cash payment needs its reference (transaction or voucher number)."),
            field="reference",
            field_message=_("A non-cash payment needs its reference."),
        )


# --- paper receipt numbers -----------------------------------------------------------------


def validate_paper_number(book: ReceiptBook, number: int) -> str:
    """The paper number of ``number``, refused when outside the book or accounted already."""
    if not book.first_number <= number <= book.last_number:
        raise RuleError(
            _("Number %(number)s is not in book %(book)s.") % {"number": number, "book": book}
        )
    paper_number = book.paper_number(number)
    if Receipt.objects.filter(paper_number=paper_number).exists():
        raise RuleError(
            _("Paper receipt %(number)s was transcribed already.") % {"number": paper_number}
        )
    if SpoiledPaperReceipt.objects.filter(paper_number=paper_number).exists():
        raise RuleError(
            _("Paper receipt %(number)s was recorded as spoiled.") % {"number": paper_number}
        )
    return paper_number


# --- the daily close -----------------------------------------------------------------------


def validate_pieces(pieces: int) -> None:
    if pieces < 0 or pieces > MAX_PIECES:
        raise RuleError(_("A count of notes or coins must be from 0 to 100,000."))


def refuse_if_submitted(business_date: date, state: str) -> None:
    """A submitted day takes no new receipt and no void (the one wording of that rule)."""
    if state != DayState.OPEN:
        raise RuleError(
            _(
                "The takings of %(date)s were submitted: "
                "no receipt can be issued or voided on that day."
            )
            % {"date": business_date}
        )


def refuse_if_month_locked(business_date: date) -> None:
    """The one rule that freezes a locked month: nothing is counted, submitted, approved,
    returned, handed over or transcribed on a day inside it. The day services call it under
    their lock of the day's row; month_lock() takes the same row locks before it locks."""
    if month_is_locked(business_date):
        raise RuleError(
            _("%(month)s is locked: nothing more can be recorded on %(date)s.")
            % {"month": f"{business_date:%Y-%m}", "date": business_date.isoformat()}
        )


# --- separation of duties (config.duties): nobody checks their own work --------------------


def validate_void_decider(receipt, by) -> None:
    """Neither the receipt's cashier nor the one who asked for its void approves or
    refuses the void."""
    refuse_own_work(
        by,
        void_doers(receipt),
        _("You issued this receipt or asked for its void: another manager must decide it."),
    )


def validate_reverser(receipt, by) -> None:
    refuse_own_work(
        by,
        reversal_doers(receipt),
        _("You issued this receipt: another manager must reverse it."),
    )


def validate_day_decider(day, by) -> None:
    """Who counted or submitted the day neither approves nor returns it."""
    refuse_own_work(
        by,
        day_doers(day),
        _("You counted or submitted this day: another manager must approve or return it."),
    )


def validate_handover_receiver(day, by) -> None:
    refuse_own_work(
        by,
        day_doers(day),
        _("You counted or submitted this day: someone else in finance must receive its cash."),
    )


def validate_discrepancy_signer(discrepancy, by) -> None:
    refuse_own_work(
        by,
        discrepancy_doers(discrepancy),
        _(
            "You counted or submitted this day or received its cash: "
            "another manager must sign off its discrepancy."
        ),
    )


# --- worker permits ------------------------------------------------------------------------


def check_id_number(id_doc_type: str, id_number: str) -> str:
    """The ID number, normalised, or ValidationError saying what is wrong with it."""
    if id_doc_type not in IdDocType.values:
        raise RuleError(_("Choose the kind of ID document."), field="id_doc_type")
    number = normalise_identifier(id_number)
    if not number:
        raise RuleError(_("Enter the ID number."), field="id_number")
    if id_doc_type == IdDocType.RESIDENT_ID:
        validate_resident_id(number)
    elif not (number.isalnum() and OTHER_ID_LENGTH[0] <= len(number) <= OTHER_ID_LENGTH[1]):
        raise RuleError(
            _("An ID document number has %(min)d to %(max)d letters and digits.")
            % {"min": OTHER_ID_LENGTH[0], "max": OTHER_ID_LENGTH[1]},
            field="id_number",
        )
    return number


def check_validity(valid_from: date, valid_to: date, today: date) -> None:
    if valid_from < today:
        raise RuleError(_("A permit cannot start in the past."), field="valid_from")
    if valid_to < valid_from:
        raise RuleError(_("The permit must end on or after its first day."), field="valid_to")
    latest = year_end_from(valid_from)
    if valid_to > latest:
        raise RuleError(
            _("A permit is valid for one year at most: until %(date)s at the latest.")
            % {"date": latest},
            field="valid_to",
        )
