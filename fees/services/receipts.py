"""Issuing receipts, voiding them on an open day, reversing them after the day is closed."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import Contractor, Tenant, Unit
from config.history import set_reason
from config.money import MAX_AMOUNT, ZERO
from config.permissions import require
from fees.enums import DayState, PayerKind, PaymentMethod, PermitStatus, ReceiptStatus
from fees.models import Charge, DailyClose, FeeType, Receipt, ReceiptLine, ReceiptPrint
from fees.selectors.charges import charge_outstanding
from fees.selectors.receipts import next_copy
from fees.services.numbering import next_number

MAX_QUANTITY = 999


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
        return self.discount > self.gross * settings.DISCOUNT_APPROVAL_SHARE


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


def receipt_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def refuse_if_submitted(business_date: date, state: str) -> None:
    """A submitted day takes no new receipt and no void (the one wording of that rule)."""
    if state != DayState.OPEN:
        raise ValidationError(
            _(
                "The takings of %(date)s were submitted: "
                "no receipt can be issued or voided on that day."
            )
            % {"date": business_date}
        )


def open_day(business_date: date) -> DailyClose:
    """The day's close row, locked; refuses when the day was submitted already."""
    DailyClose.objects.get_or_create(business_date=business_date)
    day = DailyClose.objects.select_for_update().get(business_date=business_date)
    refuse_if_submitted(business_date, day.state)
    return day


def _check_lines(lines: list[LineInput], payer: Payer) -> None:
    if not lines:
        raise ValidationError(_("A receipt needs at least one line."))
    for number, line in enumerate(lines, start=1):
        where = _("Line %(n)d: ") % {"n": number}
        if not line.fee_type.active:
            raise ValidationError(where + _("this fee is no longer in use."))
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise ValidationError(
                where + _("the quantity must be from 1 to %(max)d.") % {"max": MAX_QUANTITY}
            )
        if not ZERO < line.unit_price <= MAX_AMOUNT:
            raise ValidationError(
                where + _("the unit price must be more than 0 and at most 1,000,000.00.")
            )
        if line.discount < ZERO or line.discount >= line.gross:
            raise ValidationError(
                where + _("the discount must be at least 0 and less than the line's amount.")
            )
        if line.discount and not line.discount_reason.strip():
            raise ValidationError(where + _("a discount needs a reason."))
        if line.charge is not None:
            if payer.kind != PayerKind.TENANT or line.charge.tenant_id != getattr(
                payer.tenant, "pk", None
            ):
                raise ValidationError(where + _("the charge belongs to another tenant."))
            if line.charge.cancelled:
                raise ValidationError(where + _("the charge was cancelled."))
            if line.amount > charge_outstanding(line.charge):
                raise ValidationError(
                    where + _("the amount is more than what is still owed on the charge.")
                )
    total = sum((line.amount for line in lines), ZERO)
    if total > MAX_AMOUNT:
        raise ValidationError(_("A receipt's total cannot be over 1,000,000.00."))


def _check_payer(payer: Payer) -> None:
    if payer.kind == PayerKind.TENANT and payer.tenant is None:
        raise ValidationError(_("Choose the tenant who pays."))
    if payer.kind == PayerKind.CONTRACTOR and payer.contractor is None:
        raise ValidationError(_("Choose the contractor who pays."))
    if not payer.resolved_name().strip():
        raise ValidationError(_("Enter the payer's name."))


def _check_payment(method: str, reference: str) -> None:
    if method not in PaymentMethod.values:
        raise ValidationError(_("Choose a payment method."))
    if method != PaymentMethod.CASH and not reference.strip():
        raise ValidationError(
            _("A non-cash payment needs its reference (transaction or voucher number).")
        )


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
) -> tuple[Receipt, bool]:
    """Issue a numbered receipt; (receipt, False) when this form was submitted already."""
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
    _check_payer(payer)
    _check_lines(lines, payer)
    _check_payment(method, reference)
    # open_day's rule, read without creating or locking the day's row.
    today = timezone.localdate()
    state = DailyClose.objects.filter(business_date=today).values_list("state", flat=True).first()
    refuse_if_submitted(today, state or DayState.OPEN)
    return sum((line.amount for line in lines), ZERO)


@transaction.atomic
def _issue(*, by, payer, lines, method, reference, unit, note, request_key, discount_approver):
    # Charges are re-read under a lock: two desks settling one charge (or one settling while
    # another cancels) take turns, so a charge is never paid beyond what is owed.
    for line in lines:
        if line.charge is not None:
            line.charge = Charge.objects.select_for_update().get(pk=line.charge.pk)
    _check_payer(payer)
    _check_lines(lines, payer)
    _check_payment(method, reference)
    if any(line.needs_approval for line in lines):
        if discount_approver is None or not discount_approver.has_perm("fees.approve_discount"):
            raise ValidationError(
                _("A discount over %(share)s of a line needs the manager's approval.")
                % {"share": f"{settings.DISCOUNT_APPROVAL_SHARE:.0%}"}
            )
    now = timezone.now()
    business_date = timezone.localdate(now)
    open_day(business_date)
    year = business_date.year
    receipt = Receipt.objects.create(
        number=receipt_number(year, next_number(f"receipt-{year}")),
        year=year,
        request_key=request_key,
        payer_kind=payer.kind,
        tenant=payer.tenant if payer.kind == PayerKind.TENANT else None,
        contractor=payer.contractor if payer.kind == PayerKind.CONTRACTOR else None,
        payer_name=payer.resolved_name().strip(),
        unit=unit,
        business_date=business_date,
        issued_at=now,
        cashier=by,
        method=method,
        reference=reference.strip() if method != PaymentMethod.CASH else "",
        total=sum((line.amount for line in lines), ZERO),
        note=note,
        discount_approved_by=discount_approver
        if any(line.needs_approval for line in lines)
        else None,
    )
    ReceiptLine.objects.bulk_create(
        ReceiptLine(
            receipt=receipt,
            fee_type=line.fee_type,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            discount_reason=line.discount_reason.strip(),
            amount=line.amount,
            charge=line.charge,
        )
        for line in lines
    )
    return receipt


def _locked(receipt: Receipt) -> Receipt:
    return Receipt.objects.select_for_update().get(pk=receipt.pk)


@transaction.atomic
def receipt_request_void(*, receipt: Receipt, by, reason: str) -> Receipt:
    """The assistant asks to void a receipt of an open day; the manager decides."""
    require(by, "fees.request_void")
    open_day(receipt.business_date)
    receipt = _locked(receipt)
    if receipt.status != ReceiptStatus.ISSUED:
        raise ValidationError(_("Only an issued receipt can be voided."))
    if receipt.is_reversal:
        raise ValidationError(_("A reversal cannot be voided."))
    if not reason.strip():
        raise ValidationError(_("A void needs a reason."))
    receipt.status = ReceiptStatus.VOID_REQUESTED
    receipt.void_reason = reason.strip()
    receipt.void_requested_by = by
    receipt.void_requested_at = timezone.now()
    set_reason(receipt, gettext_noop("void requested"))
    receipt.save()
    return receipt


@transaction.atomic
def receipt_approve_void(*, receipt: Receipt, by) -> Receipt:
    """The manager voids the receipt; it stays in every list, marked void."""
    require(by, "fees.approve_void")
    open_day(receipt.business_date)
    receipt = _locked(receipt)
    if receipt.status != ReceiptStatus.VOID_REQUESTED:
        raise ValidationError(_("Only a receipt with a void request can be voided."))
    receipt.status = ReceiptStatus.VOID
    receipt.voided_by = by
    receipt.voided_at = timezone.now()
    set_reason(receipt, gettext_noop("void approved"))
    receipt.save()
    # Permits paid by this receipt were never paid for: they are cancelled with it.
    for permit in receipt.permits.select_for_update():
        permit.status = PermitStatus.CANCELLED
        set_reason(permit, gettext_noop("receipt voided"), receipt.number)
        permit.save()
    return receipt


@transaction.atomic
def receipt_reject_void(*, receipt: Receipt, by, comment: str = "") -> Receipt:
    require(by, "fees.approve_void")
    receipt = _locked(receipt)
    if receipt.status != ReceiptStatus.VOID_REQUESTED:
        raise ValidationError(_("This receipt has no void request."))
    receipt.status = ReceiptStatus.ISSUED
    set_reason(receipt, gettext_noop("void refused"), comment.strip())
    receipt.save()
    return receipt


@transaction.atomic
def receipt_reverse(*, receipt: Receipt, by, reason: str) -> Receipt:
    """Correct a receipt of a submitted day with a negative receipt (红冲) on today."""
    require(by, "fees.reverse_receipt")
    original = _locked(receipt)
    if not reason.strip():
        raise ValidationError(_("A reversal needs a reason."))
    if original.is_reversal:
        raise ValidationError(_("A reversal cannot itself be reversed."))
    if original.status != ReceiptStatus.ISSUED:
        raise ValidationError(_("Only an issued receipt can be reversed."))
    if Receipt.objects.filter(reverses=original).exists():
        raise ValidationError(_("This receipt was reversed already."))
    original_day = DailyClose.objects.filter(business_date=original.business_date).first()
    if original_day is None or original_day.state == DayState.OPEN:
        raise ValidationError(_("The receipt's day is still open: ask for a void instead."))
    now = timezone.now()
    business_date = timezone.localdate(now)
    open_day(business_date)
    year = business_date.year
    reversal = Receipt.objects.create(
        number=receipt_number(year, next_number(f"receipt-{year}")),
        year=year,
        payer_kind=original.payer_kind,
        tenant=original.tenant,
        contractor=original.contractor,
        payer_name=original.payer_name,
        unit=original.unit,
        business_date=business_date,
        issued_at=now,
        cashier=by,
        method=original.method,
        reference=original.reference,
        total=-original.total,
        reverses=original,
        reversal_reason=reason.strip(),
        note=_("Reversal of %(number)s") % {"number": original.number},
    )
    ReceiptLine.objects.bulk_create(
        ReceiptLine(
            receipt=reversal,
            fee_type=line.fee_type,
            description=line.description,
            quantity=-line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            discount_reason=line.discount_reason,
            amount=-line.amount,
            charge=line.charge,
        )
        for line in original.lines.all()
    )
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
