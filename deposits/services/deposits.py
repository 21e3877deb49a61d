"""Deposits: taken on receipt lines, permit card deposits following their cards (fees'
signals, deposits.receivers), forfeited in part or whole, cancelled with their receipt."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from config.history import set_reason
from config.money import ZERO, format_money
from config.permissions import require
from config.states import locked, require_state, save_change, transition
from config.validators import RuleError
from deposits.enums import (
    DEPOSIT_CLOSED,
    DEPOSIT_FEES,
    TAKING,
    DeductionKind,
    DepositKind,
    DepositStatus,
)
from deposits.models import DecorationApplication, Deduction, DeductionPhoto, Deposit
from deposits.selectors.deposits import deposit_balance, line_taken
from deposits.validators import DeductionInput, check_amount, check_deductions
from fees.enums import FeeCategory, PayerKind, ReceiptStatus
from fees.models import FeeType, Permit, Receipt, ReceiptLine
from fees.services.charges import charge_offset
from fees.services.receipts import LineInput, Payer, receipt_issue

TAKE = "deposits.take_deposit"
FORFEIT = "deposits.forfeit_deposit"


def stored_text(message: str, **values) -> str:
    """A text written into a record (printed on statements and forms): in the centre's
    language, whoever's screen it came from."""
    with override(settings.LANGUAGE_CODE):
        return _(message) % {name: str(value) for name, value in values.items()}


def _kind_of(line: ReceiptLine) -> str:
    for kind, code in DEPOSIT_FEES.items():
        if line.fee_type.code == code:
            return kind
    return DepositKind.OTHER


def _new_deposit(*, line: ReceiptLine, amount: Decimal, reason: str, **fields) -> Deposit:
    """A deposit of ``amount`` on ``line`` (a deposit fee of an issued receipt, not taken
    whole already), with the payer the receipt names."""
    receipt = line.receipt
    if line.fee_type.category != FeeCategory.DEPOSIT:
        raise RuleError(_("Only a line of a deposit fee can hold a deposit."))
    if receipt.status != ReceiptStatus.ISSUED or receipt.is_reversal:
        raise RuleError(_("Only an issued receipt can hold a deposit."))
    if line_taken(line) + amount > line.amount:
        raise RuleError(
            _("The receipt's line holds %(amount)s: it is recorded as deposits already.")
            % {"amount": format_money(line.amount)}
        )
    deposit = Deposit(
        kind=_kind_of(line),
        receipt_line=line,
        amount=amount,
        tenant=receipt.tenant,
        contractor=receipt.contractor,
        unit=receipt.unit,
        payer_name=receipt.payer_name,
        taken_at=receipt.issued_at,
        **fields,
    )
    set_reason(deposit, reason, receipt.number)
    deposit.save()
    return deposit


@transaction.atomic
def deposit_take(
    *,
    by,
    application: DecorationApplication,
    method: str,
    reference: str = "",
    amount: Decimal | None = None,
    payer_kind: str = PayerKind.TENANT,
    request_key: uuid.UUID | None = None,
) -> tuple[Deposit, bool]:
    """Take a decoration's deposit (装修保证金): a receipt of the decoration deposit fee,
    paid by its tenant or its contractor, and the deposit held on its line; (deposit,
    False) on a resubmission of the same form."""
    require(by, TAKE)
    if request_key is not None:
        done = Deposit.objects.filter(receipt_line__receipt__request_key=request_key).first()
        if done is not None:
            return done, False
    application = locked(application)
    require_state(
        application,
        "status",
        TAKING,
        refusal=_("A decoration's deposit is taken before its works are accepted."),
    )
    if application.deposits.exclude(status__in=DEPOSIT_CLOSED).exists():
        raise RuleError(_("This decoration holds a deposit already."))
    fee = FeeType.objects.filter(code=DEPOSIT_FEES[DepositKind.DECORATION], active=True).first()
    if fee is None:
        raise RuleError(
            _("The decoration deposit is missing from the fee catalogue: ask the administrator.")
        )
    amount = check_amount(fee.default_amount if amount is None else amount)
    if payer_kind not in (PayerKind.TENANT, PayerKind.CONTRACTOR):
        raise RuleError(_("The tenant or the contractor pays the deposit."), field="payer_kind")
    receipt, created = receipt_issue(
        by=by,
        payer=Payer(
            kind=payer_kind,
            tenant=application.tenant if payer_kind == PayerKind.TENANT else None,
            contractor=application.contractor if payer_kind == PayerKind.CONTRACTOR else None,
        ),
        lines=[LineInput(fee_type=fee, unit_price=amount)],
        method=method,
        reference=reference,
        unit=application.unit,
        note=application.number,
        request_key=request_key,
    )
    if not created:  # a copy of this form won the race
        return Deposit.objects.get(receipt_line__receipt=receipt), False
    deposit = _new_deposit(
        line=receipt.lines.get(),
        amount=amount,
        reason=gettext_noop("taken on receipt"),
        application=application,
    )
    return deposit, True


@transaction.atomic
def deposit_record(
    *, by, line: ReceiptLine, application: DecorationApplication | None = None
) -> Deposit:
    """Hold as a deposit what a line of a deposit fee, issued at the receipt desk, took
    and no deposit holds yet; a decoration deposit names its decoration (of the receipt's
    unit). A permit card's deposit is held with its permit, never this way."""
    require(by, TAKE)
    line = ReceiptLine.objects.select_related("fee_type", "receipt").get(pk=line.pk)
    locked(line.receipt)  # two desks recording one line take turns
    kind = _kind_of(line)
    if kind == DepositKind.PERMIT_CARD:
        raise RuleError(_("A permit card's deposit is taken with its permit."))
    if kind == DepositKind.DECORATION:
        if application is None:
            raise RuleError(_("Name the decoration the deposit is for."), field="application")
        application = locked(application)
        require_state(
            application,
            "status",
            TAKING,
            refusal=_("A decoration's deposit is taken before its works are accepted."),
        )
        if application.unit_id != line.receipt.unit_id:
            raise RuleError(
                _("The receipt is for another unit than decoration %(number)s.")
                % {"number": application.number},
                field="application",
            )
    elif application is not None:
        raise RuleError(_("Only a decoration deposit belongs to a decoration."))
    left = line.amount - line_taken(line)
    if left <= ZERO:
        raise RuleError(
            _("The receipt's line holds %(amount)s: it is recorded as deposits already.")
            % {"amount": format_money(line.amount)}
        )
    return _new_deposit(
        line=line, amount=left, reason=gettext_noop("taken on receipt"), application=application
    )


# --- permit cards: fees' signals (deposits.receivers) -------------------------------------


def card_deposit_take(*, permit: Permit, by) -> Deposit | None:
    """A permit issued with a card deposit holds it card by card, on its receipt's line of
    the card deposit fee (fees.services.permits.permit_issue sent permit_issued)."""
    if permit.card_deposit <= ZERO:
        return None
    line = permit.receipt.lines.select_related("fee_type", "receipt").get(
        fee_type__code=DEPOSIT_FEES[DepositKind.PERMIT_CARD]
    )
    return _new_deposit(
        line=line,
        amount=permit.card_deposit,
        reason=gettext_noop("taken with permit"),
        permit=permit,
    )


def _locked_card_deposit(permit: Permit) -> Deposit | None:
    """The deposit taken with the permit's card, read under a lock; None if it took none."""
    deposit = Deposit.objects.filter(permit=permit).first()
    return None if deposit is None else locked(deposit)


def card_deposit_release(*, permit: Permit, by) -> Deposit | None:
    """The card is back: its deposit may be refunded (the gate's card item is done)."""
    deposit = _locked_card_deposit(permit)
    if deposit is None or deposit.status != DepositStatus.HELD:
        return deposit
    deposit.released_on = permit.returned_on
    return save_change(deposit, gettext_noop("card returned"), permit.number)


def card_deposit_forfeit(*, permit: Permit, by) -> Deposit | None:
    """The card is lost: what its deposit holds is kept for it, whole (扣押金)."""
    deposit = _locked_card_deposit(permit)
    if deposit is None or deposit.status != DepositStatus.HELD:
        return deposit
    balance = deposit_balance(deposit)
    Deduction.objects.create(
        deposit=deposit,
        kind=DeductionKind.LOST_CARD,
        reason=stored_text(gettext_noop("Permit %(number)s reported lost"), number=permit.number),
        amount=balance,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    transition(deposit, "status", DepositStatus.FORFEITED)
    return save_change(deposit, gettext_noop("card lost: deposit forfeited"), permit.number)


def deposits_end_with_receipt(*, receipt: Receipt, by, reason: str) -> list[Deposit]:
    """The receipt was voided or reversed: the deposits taken on it were never taken (or
    went back with the reversal). Refused while any of them has a refund or a deduction:
    that money was handled already."""
    ended = []
    for deposit in Deposit.objects.select_for_update().filter(receipt_line__receipt=receipt):
        if deposit.status != DepositStatus.HELD or deposit.deductions.exists():
            raise ValidationError(
                _(
                    "The %(kind)s taken on receipt %(number)s has been refunded, forfeited or "
                    "has a refund under way: this receipt can no longer be voided or reversed."
                )
                % {"kind": deposit.get_kind_display().lower(), "number": receipt.number}
            )
        transition(deposit, "status", DepositStatus.CANCELLED)
        ended.append(save_change(deposit, reason, receipt.number))
    return ended


# --- forfeiture ---------------------------------------------------------------------------


def add_deductions(
    *, deposit: Deposit, deductions: list[DeductionInput], by, refund=None
) -> list[Deduction]:
    """Write cleaned deductions of the deposit (of a refund request, or forfeited)."""
    now = timezone.now()
    written = []
    for item in deductions:
        deduction = Deduction.objects.create(
            deposit=deposit,
            refund=refund,
            kind=item.kind,
            reason=item.reason,
            amount=item.amount,
            charge=item.charge,
            violation=item.violation,
            recorded_by=by,
            recorded_at=now,
        )
        if item.photo is not None:  # cleaned by check_deductions (config.uploads)
            DeductionPhoto.objects.create(
                deduction=deduction, image=item.photo, taken_by=by, taken_at=now
            )
        written.append(deduction)
    return written


def settle_charges(deductions: list[Deduction], *, by) -> None:
    """Deductions that now count settle the charges they name (fees' charge offsets)."""
    for deduction in deductions:
        if deduction.charge_id is None or deduction.offset_id is not None:
            continue
        source = stored_text(gettext_noop("Deducted from %(deposit)s"), deposit=deduction.deposit)
        deduction.offset = charge_offset(
            by=by, charge=deduction.charge, amount=deduction.amount, source=source
        )
        deduction.save(update_fields=["offset"])


@transaction.atomic
def deposit_forfeit(
    *, by, deposit: Deposit, deductions: list[DeductionInput]
) -> tuple[Deposit, list[Deduction]]:
    """The manager keeps part or all of a held deposit, each amount with its reason; what is
    kept for an unpaid charge settles it. Kept whole, the deposit is forfeited (closed)."""
    require(by, FORFEIT)
    deposit = locked(deposit)
    require_state(
        deposit,
        "status",
        {DepositStatus.HELD},
        refusal=_("Only a held deposit, with no refund under way, can be forfeited."),
    )
    if not deductions:
        raise RuleError(_("Itemise what is kept, with its reason."), field="deductions")
    cleaned = check_deductions(deposit, deductions)
    kept = sum((item.amount for item in cleaned), ZERO)
    balance = deposit_balance(deposit)
    if kept > balance:
        raise RuleError(
            _("The deposit holds %(balance)s: %(kept)s cannot be kept from it.")
            % {"balance": format_money(balance), "kept": format_money(kept)},
            field="deductions",
        )
    written = add_deductions(deposit=deposit, deductions=cleaned, by=by)
    settle_charges(written, by=by)
    if kept == balance:
        transition(deposit, "status", DepositStatus.FORFEITED)
        save_change(deposit, gettext_noop("forfeited"), format_money(kept))
    else:
        save_change(deposit, gettext_noop("forfeited in part"), format_money(kept))
    return deposit, written
