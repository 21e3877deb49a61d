"""The rules of decorations, deposits and refunds, each defined once: forms call them for the
message next to the field, services again under the lock.

A rule raises ``RuleError`` (config.validators); its message reads on its own.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from config import validators as shared
from config.duties import refuse_own_work
from config.money import ZERO, format_money
from config.uploads import clean_image
from config.validators import RuleError
from deposits.enums import DeductionKind
from deposits.models import Deposit, Refund, Violation
from deposits.selectors.refunds import refund_doers
from fees.models import Charge
from fees.selectors.charges import charge_outstanding

REASON_MAX = 200
# A deduction's photo shows damage: sharp enough on a screen and on the printed form.
PHOTO_LONGEST_SIDE = 1600


# --- plain values -------------------------------------------------------------------------


def check_amount(value, *, field: str = "amount") -> Decimal:
    """An amount of money (config.validators.check_amount), its message next to ``field``."""
    try:
        return shared.check_amount(value)
    except ValidationError as refusal:
        raise RuleError(refusal.messages[0], field=field) from None


def check_text(value: str, *, message: str, field: str, max_length: int = REASON_MAX) -> str:
    """A required text, stripped, within ``max_length`` characters."""
    text = (value or "").strip()
    if not text:
        raise RuleError(message, field=field)
    if len(text) > max_length:
        raise RuleError(_("Keep it within %(max)d characters.") % {"max": max_length}, field=field)
    return text


def check_period(start: date, end: date) -> None:
    if end < start:
        raise RuleError(
            _("The planned end cannot be before the planned start."), field="planned_end"
        )


# --- deductions ---------------------------------------------------------------------------


@dataclass
class DeductionInput:
    """One deduction as the desk itemises it: a kind, a reason and an amount; a deduction of
    an unpaid charge names the charge it settles, one for a violation may name it."""

    kind: str
    reason: str
    amount: Decimal
    charge: Charge | None = None
    violation: Violation | None = None
    # A picture of what the amount is kept for (an upload; stored re-encoded as a JPEG).
    photo: File | None = None


def check_deductions(deposit: Deposit, deductions: list[DeductionInput]) -> list[DeductionInput]:
    """The deductions cleaned, each refusal naming its line: a known kind, a reason, an
    amount; a charge of the deposit's tenant with that much still owed (once in the list)."""
    cleaned, charges = [], {}
    for number, deduction in enumerate(deductions, start=1):
        where = _("Deduction %(n)d: ") % {"n": number}
        try:
            cleaned.append(_clean_deduction(deposit, deduction))
        except RuleError as refusal:
            raise RuleError(where + " ".join(refusal.messages), field="deductions") from None
        charge = deduction.charge
        if charge is not None:
            charges[charge.pk] = charges.get(charge.pk, ZERO) + cleaned[-1].amount
            owed = charge_outstanding(charge)
            if charges[charge.pk] > owed:
                raise RuleError(
                    where
                    + _("only %(owed)s is still owed on the charge “%(charge)s”.")
                    % {"owed": format_money(owed), "charge": charge.description},
                    field="deductions",
                )
    return cleaned


def _clean_deduction(deposit: Deposit, deduction: DeductionInput) -> DeductionInput:
    if deduction.kind not in DeductionKind.values:
        raise RuleError(_("choose what the deduction is for."))
    reason = (deduction.reason or "").strip()
    if not reason:
        raise RuleError(_("say why the amount is kept."))
    if len(reason) > REASON_MAX:
        raise RuleError(_("keep the reason within %(max)d characters.") % {"max": REASON_MAX})
    amount = check_amount(deduction.amount)
    charge = deduction.charge
    if (charge is not None) != (deduction.kind == DeductionKind.UNPAID_CHARGE):
        raise RuleError(_("a deduction of an unpaid charge names the charge, and only it does."))
    if charge is not None:
        tenant = deposit.application.tenant if deposit.application else deposit.tenant
        if tenant is None or charge.tenant_id != tenant.pk:
            raise RuleError(_("the charge is not one of the deposit's tenant."))
        if charge.cancelled:
            raise RuleError(_("the charge was cancelled."))
    photo = None
    if deduction.photo is not None:
        try:
            photo = clean_image(
                deduction.photo, longest_side=PHOTO_LONGEST_SIDE, image_format="JPEG"
            )
        except ValidationError as refusal:
            raise RuleError(_("photo: ") + " ".join(refusal.messages)) from None
    return DeductionInput(
        kind=deduction.kind,
        reason=reason,
        amount=amount,
        charge=charge,
        violation=deduction.violation,
        photo=photo,
    )


# --- the refund ---------------------------------------------------------------------------


def check_refund_amount(amount, *, held: Decimal, deducted: Decimal) -> Decimal:
    """The refund is what the deposit holds less the deductions, to the cent: never more,
    and a smaller figure must have its difference itemised as a deduction."""
    if deducted >= held:
        raise RuleError(
            _(
                "The deductions (%(deducted)s) take all of the %(held)s held: nothing is left "
                "to refund. The manager forfeits the deposit instead."
            )
            % {"deducted": format_money(deducted), "held": format_money(held)},
            field="deductions",
        )
    amount = check_amount(amount)
    left = held - deducted
    if amount > left:
        raise RuleError(
            _(
                "The refund of %(amount)s is more than the %(left)s left after the deductions "
                "(%(held)s held, %(deducted)s deducted)."
            )
            % {
                "amount": format_money(amount),
                "left": format_money(left),
                "held": format_money(held),
                "deducted": format_money(deducted),
            },
            field="amount",
            field_message=_(
                "At most %(left)s can be refunded: %(held)s held less %(deducted)s deducted."
            )
            % {
                "left": format_money(left),
                "held": format_money(held),
                "deducted": format_money(deducted),
            },
        )
    if amount < left:
        raise RuleError(
            _(
                "The refund of %(amount)s and the deductions leave %(rest)s of the %(held)s "
                "held unaccounted for: itemise it as a deduction with its reason."
            )
            % {
                "amount": format_money(amount),
                "rest": format_money(left - amount),
                "held": format_money(held),
            },
            field="amount",
        )
    return amount


def validate_refund_decider(refund: Refund, user) -> None:
    """Separation of duties: who prepared a refund never approves or returns it."""
    refuse_own_work(
        user,
        refund_doers(refund)["decide"],
        _("You prepared this refund: another manager must approve or return it."),
    )


def validate_refund_payer(refund: Refund, user) -> None:
    """Separation of duties: who prepared or approved a refund never pays it."""
    refuse_own_work(
        user,
        refund_doers(refund)["pay"],
        _("You prepared or approved this refund: someone else in finance must pay it."),
    )
