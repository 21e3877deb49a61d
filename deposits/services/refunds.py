"""The refund procedure (退款程序): the desk prepares a request through the refund gate,
with itemised deductions; the manager approves or returns it (never who prepared it);
finance pays it (never who prepared or approved it) and the payee signs the paper form.

Every step locks the deposit's row first, then the refund's: of two people acting on one
deposit at once, the second waits and then sees what the first did.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.dates import date_bounds
from config.money import ZERO, format_money
from config.permissions import require
from config.states import change, locked, save_change, stamp, transition
from config.validators import RuleError
from deposits.enums import DepositStatus, RefundStatus
from deposits.models import Deposit, Refund
from deposits.selectors.deposits import deposit_balance
from deposits.selectors.refunds import refund_gate, refund_request_gate
from deposits.services.deposits import add_deductions, settle_charges, stored_text
from deposits.validators import (
    DeductionInput,
    check_deductions,
    check_refund_amount,
    check_text,
    validate_refund_decider,
    validate_refund_payer,
)
from fees.enums import PaymentMethod
from fees.services.days import payout_record
from fees.validators import validate_payment

PREPARE = "deposits.prepare_refund"
APPROVE = "deposits.approve_refund"
PAY = "deposits.pay_refund"
# A payment is recorded within this many days of being made.
PAID_DAYS_BACK = 31


def _deducted_charges(deductions: list[DeductionInput]) -> dict[int, Decimal]:
    covered: dict[int, Decimal] = {}
    for item in deductions:
        if item.charge is not None:
            covered[item.charge.pk] = covered.get(item.charge.pk, ZERO) + item.amount
    return covered


@transaction.atomic
def refund_prepare(
    *,
    by,
    deposit: Deposit,
    amount,
    deductions: list[DeductionInput],
    receipt_collected: bool,
    payee: str = "",
) -> Refund:
    """Prepare the refund of a held deposit: refused while any item of its gate is open
    (each named), and unless the refund and the deductions add up to what it holds."""
    deposit = change(
        deposit,
        DepositStatus.REFUND_REQUESTED,
        by=by,
        permission=PREPARE,
        refusal=_("Only a held deposit with no refund under way can be refunded."),
    )
    cleaned = check_deductions(deposit, deductions)
    gate = refund_gate(
        deposit,
        receipt_collected=receipt_collected,
        deducted_charges=_deducted_charges(cleaned),
    )
    if not gate.is_open:
        raise RuleError(gate.refusal())
    held = deposit_balance(deposit)
    deducted = sum((item.amount for item in cleaned), ZERO)
    amount = check_refund_amount(amount, held=held, deducted=deducted)
    payee = check_text(
        payee or deposit.payer_name, message=_("Name who receives the refund."), field="payee"
    )
    refund = Refund(
        deposit=deposit,
        held=held,
        deducted=deducted,
        amount=amount,
        payee=payee[:100],
        receipt_collected=receipt_collected,
        prepared_by=by,
        prepared_at=timezone.now(),
    )
    save_change(refund, gettext_noop("prepared"), format_money(amount))
    add_deductions(deposit=deposit, deductions=cleaned, by=by, refund=refund)
    save_change(deposit, gettext_noop("refund requested"), format_money(amount))
    return refund


def _locked_pair(refund: Refund) -> tuple[Deposit, Refund]:
    """The refund's deposit, then the refund, locked in that order (every step's order)."""
    deposit = locked(Deposit(pk=refund.deposit_id))
    return deposit, locked(refund)


@transaction.atomic
def refund_approve(*, by, refund: Refund) -> Refund:
    """The manager approves the request as prepared, while its gate is still open; its
    deductions now count, and those of unpaid charges settle them."""
    require(by, APPROVE)
    deposit, refund = _locked_pair(refund)
    transition(
        refund,
        "status",
        RefundStatus.APPROVED,
        refusal=_("Only a refund awaiting approval can be approved."),
    )
    validate_refund_decider(refund, by)
    gate = refund_request_gate(refund)
    if not gate.is_open:
        raise RuleError(gate.refusal())
    stamp(refund, "decided", by)
    save_change(refund, gettext_noop("approved"))
    settle_charges(list(refund.deductions.select_related("deposit", "charge")), by=by)
    transition(deposit, "status", DepositStatus.APPROVED)
    save_change(deposit, gettext_noop("refund approved"))
    return refund


@transaction.atomic
def refund_return(*, by, refund: Refund, comment: str) -> Refund:
    """The manager sends the request back to the desk with a comment; the deposit is held
    again, and its deductions count for nothing (a new request itemises them again)."""
    require(by, APPROVE)
    deposit, refund = _locked_pair(refund)
    transition(
        refund,
        "status",
        RefundStatus.RETURNED,
        refusal=_("Only a refund awaiting approval can be returned."),
    )
    validate_refund_decider(refund, by)
    refund.return_comment = check_text(
        comment, message=_("Say why the refund is returned."), field="comment"
    )
    stamp(refund, "decided", by)
    save_change(refund, gettext_noop("returned to the desk"), refund.return_comment)
    transition(deposit, "status", DepositStatus.HELD)
    save_change(deposit, gettext_noop("refund returned"), refund.return_comment)
    return refund


@transaction.atomic
def refund_pay(*, by, refund: Refund, method: str, reference: str = "", paid_on: date) -> Refund:
    """Finance pays the approved refund (method, reference, date); the deposit is refunded
    and holds nothing more. Paid in cash, it leaves the desk's drawer on ``paid_on``: a
    payout of that day's close, refused (and nothing paid) once that day is submitted."""
    require(by, PAY)
    deposit, refund = _locked_pair(refund)
    transition(
        refund,
        "status",
        RefundStatus.PAID,
        refusal=_("Only an approved refund can be paid."),
    )
    validate_refund_payer(refund, by)
    validate_payment(method, reference)
    approved_on = timezone.localdate(refund.decided_at)
    bounds = date_bounds(timezone.localdate(), days_back=PAID_DAYS_BACK, not_before=approved_on)
    if paid_on not in bounds:
        raise RuleError(
            _("The payment date must be from the approval (%(first)s) to today.")
            % {"first": bounds.first},
            field="paid_on",
        )
    refund.method = method
    refund.reference = reference.strip() if method != PaymentMethod.CASH else ""
    refund.paid_on = paid_on
    stamp(refund, "paid", by)
    save_change(refund, gettext_noop("paid"), format_money(refund.amount))
    transition(deposit, "status", DepositStatus.REFUNDED)
    left = deposit_balance(deposit)
    if left != ZERO:  # the constraints make this impossible; never close a deposit that holds
        raise RuleError(
            _("The deposit would still hold %(left)s after this refund.")
            % {"left": format_money(left)}
        )
    save_change(deposit, gettext_noop("refunded"), format_money(refund.amount))
    if method == PaymentMethod.CASH:
        # Cash leaves the desk's drawer: that day's close expects that much less cash.
        payout_record(
            by=by,
            business_date=paid_on,
            method=method,
            amount=refund.amount,
            purpose=stored_text(
                gettext_noop("Deposit refund to %(payee)s (%(deposit)s)"),
                payee=refund.payee,
                deposit=deposit,
            ),
            reference=deposit.receipt_line.receipt.number,
        )
    return refund
