"""Issuing receipts, voiding them on an open day, reversing them after the day is closed."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import Contractor, Tenant, Unit
from config.history import set_reason
from config.money import ZERO
from config.permissions import require
from config.states import change, locked, require_state, save_change, stamp, transition
from fees.chain import receipt_hash
from fees.enums import (
    ApprovalOutcome,
    DayState,
    PayerKind,
    PaymentMethod,
    PermitStatus,
    ReceiptStatus,
)
from fees.models import (
    Charge,
    DailyClose,
    DiscountApproval,
    FeeType,
    Receipt,
    ReceiptBook,
    ReceiptLine,
    ReceiptPrint,
    receipt_number,
    receipt_series,
)
from fees.selectors.chain import previous_hash
from fees.selectors.receipts import next_copy
from fees.services.charges import charge_balances_refresh
from fees.services.numbering import next_number
from fees.signals import charges_settled, receipt_reversed, receipt_voided
from fees.validators import (
    discount_needs_approval,
    may_approve_discounts,
    refuse_if_approval_throttled,
    refuse_if_submitted,
    validate_approval,
    validate_discount_approval,
    validate_discount_approver,
    validate_lines,
    validate_payer,
    validate_payment,
    validate_reverser,
    validate_void_decider,
)


@dataclass
class LineInput:
    fee_type: FeeType
    unit_price: Decimal
    quantity: int = 1
    discount: Decimal = ZERO
    discount_reason: str = ""
    description: str = ""
    charge: Charge | None = None

    @property
    def gross(self) -> Decimal:
        return self.quantity * self.unit_price

    @property
    def amount(self) -> Decimal:
        return self.gross - self.discount

    @property
    def needs_approval(self) -> bool:
        return discount_needs_approval(self.discount, self.gross)


@dataclass
class Payer:
    kind: str
    name: str = ""
    tenant: Tenant | None = None
    contractor: Contractor | None = None

    def resolved_name(self) -> str:
        if self.kind == PayerKind.TENANT and self.tenant:
            return self.name or self.tenant.name
        if self.kind == PayerKind.CONTRACTOR and self.contractor:
            return self.name or self.contractor.name
        return self.name


@dataclass
class PaperOrigin:
    """The paper receipt (收据本) a receipt is transcribed from: recorded in the receipt's row
    when it is issued, and hashed with it."""

    book: ReceiptBook
    paper_number: str


def open_day(business_date: date) -> DailyClose:
    """The day's close row, locked; refuses when the day was submitted already."""
    day, _created = DailyClose.objects.get_or_create(business_date=business_date)
    day = locked(day)
    refuse_if_submitted(business_date, day.state)
    return day


def _check(payer: Payer, lines: list[LineInput], method: str, reference: str) -> None:
    validate_payer(payer)
    validate_lines(lines, payer)
    validate_payment(method, reference)


def receipt_issue(
    *,
    by,
    payer: Payer,
    lines: list[LineInput],
    method: str,
    reference: str = "",
    unit: Unit | None = None,
    note: str = "",
    request_key: uuid.UUID | None = None,
    discount_approver=None,
    discount_approval: DiscountApproval | None = None,
    paper: PaperOrigin | None = None,
) -> tuple[Receipt, bool]:
    """Issue a numbered receipt; (receipt, False) when this form was submitted already.

    A discount over the limit needs its approver: ``discount_approval``, the desk's try
    granted by discount_approval_ask() (and then linked to this receipt), or else
    ``discount_approver``, a manager the caller vouches for (the demo, a script).
    ``paper``: the paper receipt it is transcribed from (fees.services.books)."""
    require(by, "fees.issue_receipt")
    if request_key is not None:
        existing = Receipt.objects.filter(request_key=request_key).first()
        if existing is not None:
            return existing, False
    try:
        return _issue(
            by=by,
            payer=payer,
            lines=lines,
            method=method,
            reference=reference,
            unit=unit,
            note=note,
            request_key=request_key,
            discount_approver=discount_approver,
            discount_approval=discount_approval,
            paper=paper,
        ), True
    except IntegrityError:
        # Two copies of one form raced past the check above; the other one won.
        existing = Receipt.objects.filter(request_key=request_key).first() if request_key else None
        if existing is None:
            raise
        return existing, False


def receipt_preview(
    *, by, payer: Payer, lines: list[LineInput], method: str, reference: str = ""
) -> Decimal:
    """The total receipt_issue would write, after the same checks; writes nothing.

    The desk's confirmation shows this figure, so what the cashier confirms is what is issued.
    """
    require(by, "fees.issue_receipt")
    _check(payer, lines, method, reference)
    # open_day's rule, read without creating or locking the day's row.
    today = timezone.localdate()
    state = DailyClose.objects.filter(business_date=today).values_list("state", flat=True).first()
    refuse_if_submitted(today, state or DayState.OPEN)
    return sum((line.amount for line in lines), ZERO)


def _new_receipt(*, by, lines, sign: int = 1, reason: tuple[str, str] | None = None, **fields):
    """A receipt of today with its lines, issued by ``by`` with the next number of the
    year; refused when today's takings were submitted already.

    ``lines`` are the desk's LineInputs, or (``sign`` -1, for a reversal) the lines of the
    receipt reversed. The receipt's row is written once, complete: its chain hash is taken
    over the lines built in memory, under the series' row lock (next_number holds it until
    the transaction ends), so the receipt before it in the series is final and no later
    UPDATE of the issued row is ever needed. ``reason`` (message id, detail) is what the
    receipt's first history record says.
    """
    now = timezone.now()
    business_date = timezone.localdate(now)
    open_day(business_date)
    year = business_date.year
    sequence = next_number(receipt_series(year))
    receipt = Receipt(
        number=receipt_number(year, sequence),
        year=year,
        business_date=business_date,
        issued_at=now,
        cashier=by,
        **fields,
    )
    receipt_lines = _lines(receipt, lines, sign)
    receipt.chain_previous = previous_hash(year, sequence)
    receipt.chain_hash = receipt_hash(receipt, receipt_lines, receipt.chain_previous)
    if reason is not None:
        set_reason(receipt, *reason)
    receipt.save()
    # Saved after the receipt: each line takes the receipt's new primary key from it.
    ReceiptLine.objects.bulk_create(receipt_lines)
    charge_balances_refresh(line.charge_id for line in receipt_lines if line.charge_id)
    tenants = {line.charge.tenant_id for line in receipt_lines if line.charge is not None}
    if tenants:
        charges_settled.send(sender=Receipt, receipt=receipt, tenants=tenants, by=by)
    return receipt


def _lines(receipt: Receipt, lines, sign: int) -> list[ReceiptLine]:
    return [
        ReceiptLine(
            receipt=receipt,
            fee_type=line.fee_type,
            description=line.description,
            quantity=sign * line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            discount_reason=line.discount_reason.strip(),
            amount=sign * line.amount,
            charge=line.charge,
        )
        for line in lines
    ]


def _approval_to_use(approval: DiscountApproval, by) -> DiscountApproval:
    """The desk's granted try, locked: one receipt each, by the cashier who asked for it."""
    approval = locked(approval)
    if not approval.granted or approval.receipt_id or approval.asked_by_id != by.pk:
        raise ValidationError(_("This approval cannot be used: ask the manager again."))
    return approval


@transaction.atomic
def _issue(
    *,
    by,
    payer,
    lines,
    method,
    reference,
    unit,
    note,
    request_key,
    discount_approver,
    discount_approval,
    paper,
):
    # Charges are re-read under a lock: two desks settling one charge (or one settling while
    # another cancels) take turns, so a charge is never paid beyond what is owed.
    for line in lines:
        if line.charge is not None:
            line.charge = locked(line.charge)
    _check(payer, lines, method, reference)
    needed = any(line.needs_approval for line in lines)
    if discount_approval is not None:
        discount_approver = discount_approval.approver if discount_approval.granted else None
    validate_discount_approval(needed=needed, approved=may_approve_discounts(discount_approver))
    if needed:
        validate_discount_approver(discount_approver, by)
    if needed and discount_approval is not None:
        discount_approval = _approval_to_use(discount_approval, by)
    receipt = _new_receipt(
        by=by,
        lines=lines,
        request_key=request_key,
        payer_kind=payer.kind,
        tenant=payer.tenant if payer.kind == PayerKind.TENANT else None,
        contractor=payer.contractor if payer.kind == PayerKind.CONTRACTOR else None,
        payer_name=payer.resolved_name().strip(),
        unit=unit,
        method=method,
        reference=reference.strip() if method != PaymentMethod.CASH else "",
        total=sum((line.amount for line in lines), ZERO),
        note=note,
        discount_approved_by=discount_approver if needed else None,
        **(_paper_fields(paper) if paper is not None else {}),
    )
    if needed and discount_approval is not None:
        discount_approval.receipt = receipt
        discount_approval.save(update_fields=["receipt"])
    return receipt


def _paper_fields(paper: PaperOrigin) -> dict:
    return {
        "book": paper.book,
        "paper_number": paper.paper_number,
        "reason": (gettext_noop("transcribed from paper receipt"), paper.paper_number),
    }


def discount_approval_ask(
    *, by, username: str, password: str, terminal: str | None = None
) -> DiscountApproval:
    """One try of the manager's approval typed at the desk of ``by``, recorded whatever its
    outcome; a refused try raises RuleError once its record is written (so the caller must
    not roll it back). The password is checked against that one account, never through
    authenticate(): django-axes would count a wrong one as a failed login of the manager
    and lock them out. Tries are throttled here instead, by desk and by approver."""
    require(by, "fees.issue_receipt")
    username = username.strip()[:150]
    with transaction.atomic():
        approver = _account(username)
        _one_try_at_a_time(by, approver)
        now = timezone.now()
        outcome = _try_outcome(
            by=by, approver=approver, username=username, password=password, now=now
        )
        approval = DiscountApproval.objects.create(
            asked_at=now,
            asked_by=by,
            terminal=terminal or None,
            approver_username=username,
            approver=approver,
            outcome=outcome,
        )
    validate_approval(approval)  # outside the transaction: a refused try stays recorded
    return approval


def _account(username: str):
    User = get_user_model()
    return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()


def _one_try_at_a_time(by, approver) -> None:
    """Lock the rows of the desk's user and of the approver (in pk order), so that two tries
    sent at once are counted one after the other by the throttle."""
    people = {by.pk} | ({approver.pk} if approver is not None else set())
    rows = get_user_model()._default_manager.select_for_update().filter(pk__in=people)
    list(rows.order_by("pk").values_list("pk", flat=True))


def _try_outcome(*, by, approver, username: str, password: str, now) -> str:
    try:
        refuse_if_approval_throttled(asked_by=by, username=username, now=now)
    except ValidationError:
        # Not even the password is checked: the throttle answers before any guess is tried.
        return ApprovalOutcome.THROTTLED
    if approver is None:
        # Hash anyway, so that an unknown name takes as long to refuse as a wrong password.
        get_user_model()().set_password(password)
        return ApprovalOutcome.WRONG_PASSWORD
    if not approver.check_password(password):
        return ApprovalOutcome.WRONG_PASSWORD
    if not (approver.is_active and may_approve_discounts(approver)):
        return ApprovalOutcome.NOT_ALLOWED
    try:
        validate_discount_approver(approver, by)
    except ValidationError:
        return ApprovalOutcome.OWN_RECEIPT
    return ApprovalOutcome.GRANTED


@transaction.atomic
def receipt_request_void(*, receipt: Receipt, by, reason: str) -> Receipt:
    """The assistant asks to void a receipt of an open day; the manager decides."""
    require(by, "fees.request_void")
    open_day(receipt.business_date)
    receipt = locked(receipt)
    transition(
        receipt,
        "status",
        ReceiptStatus.VOID_REQUESTED,
        refusal=_("Only an issued receipt can be voided."),
    )
    if receipt.is_reversal:
        raise ValidationError(_("A reversal cannot be voided."))
    if not reason.strip():
        raise ValidationError(_("A void needs a reason."))
    receipt.void_reason = reason.strip()
    stamp(receipt, "void_requested", by)
    return save_change(receipt, gettext_noop("void requested"))


@transaction.atomic
def receipt_approve_void(*, receipt: Receipt, by) -> Receipt:
    """The manager voids the receipt; it stays in every list, marked void."""
    require(by, "fees.approve_void")
    open_day(receipt.business_date)
    receipt = locked(receipt)
    transition(
        receipt,
        "status",
        ReceiptStatus.VOID,
        refusal=_("Only a receipt with a void request can be voided."),
    )
    validate_void_decider(receipt, by)
    stamp(receipt, "voided", by)
    save_change(receipt, gettext_noop("void approved"))
    # What its lines settled is owed again.
    charge_balances_refresh(
        receipt.lines.filter(charge__isnull=False).values_list("charge", flat=True)
    )
    # Permits paid by this receipt were never paid for: they are cancelled with it.
    for permit in receipt.permits.select_for_update():
        transition(permit, "status", PermitStatus.CANCELLED)
        save_change(permit, gettext_noop("receipt voided"), receipt.number)
    # Deposits taken on it were never taken (deposits may refuse: a refund under way).
    receipt_voided.send(sender=Receipt, receipt=receipt, by=by)
    return receipt


@transaction.atomic
def receipt_reject_void(*, receipt: Receipt, by, comment: str = "") -> Receipt:
    receipt = change(
        receipt,
        ReceiptStatus.ISSUED,
        by=by,
        permission="fees.approve_void",
        refusal=_("This receipt has no void request."),
    )
    validate_void_decider(receipt, by)
    return save_change(receipt, gettext_noop("void refused"), comment.strip())


@transaction.atomic
def receipt_reverse(*, receipt: Receipt, by, reason: str) -> Receipt:
    """Correct a receipt of a submitted day with a negative receipt (红冲) on today."""
    require(by, "fees.reverse_receipt")
    original = locked(receipt)
    if not reason.strip():
        raise ValidationError(_("A reversal needs a reason."))
    if original.is_reversal:
        raise ValidationError(_("A reversal cannot itself be reversed."))
    require_state(
        original,
        "status",
        {ReceiptStatus.ISSUED},
        refusal=_("Only an issued receipt can be reversed."),
    )
    if Receipt.objects.filter(reverses=original).exists():
        raise ValidationError(_("This receipt was reversed already."))
    validate_reverser(original, by)
    original_day = DailyClose.objects.filter(business_date=original.business_date).first()
    if original_day is None or original_day.state == DayState.OPEN:
        raise ValidationError(_("The receipt's day is still open: ask for a void instead."))
    reversal = _new_receipt(
        by=by,
        lines=original.lines.all(),
        sign=-1,
        payer_kind=original.payer_kind,
        tenant=original.tenant,
        contractor=original.contractor,
        payer_name=original.payer_name,
        unit=original.unit,
        method=original.method,
        reference=original.reference,
        total=-original.total,
        reverses=original,
        reversal_reason=reason.strip(),
        note=_("Reversal of %(number)s") % {"number": original.number},
    )
    # The money went back: deposits taken on the original end (or the reversal is refused).
    receipt_reversed.send(sender=Receipt, receipt=original, reversal=reversal, by=by)
    return reversal


class CopyTaken(Exception):
    """Someone printed the same receipt meanwhile: the copy number is no longer the next."""


@transaction.atomic
def receipt_print_record(*, receipt: Receipt, by, copy: int, printed_at: datetime) -> ReceiptPrint:
    """Record copy ``copy`` of the receipt, printed by ``by`` at ``printed_at``; copies
    are numbered without gaps, and a copy number already taken raises CopyTaken.

    The desk renders the PDF first (outside any transaction: a render can wait seconds
    for the PDF lock) and records it after, so that a row exists only for a copy that was
    made, with exactly the number and time printed on it.
    """
    require(by, "fees.add_receiptprint")
    # The receipt's row lock queues two desks printing the same receipt at once.
    Receipt.objects.select_for_update().filter(pk=receipt.pk).values_list("pk").get()
    if next_copy(receipt) != copy:
        raise CopyTaken
    return ReceiptPrint.objects.create(
        receipt=receipt, copy=copy, printed_by=by, printed_at=printed_at
    )
