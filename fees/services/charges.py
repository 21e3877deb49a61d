"""Charges (应收): billing a tenant, cancelling a bill, chasing it (催收), and the reads
built on them: balances, the tenant's statement of account, the ageing list.

A charge is settled only by receipt lines that point to it (issued through
``receipt_issue``) and by offsets from deposits; what is settled and what is still owed is
computed from those rows. The ageing list, which reads every open charge, reads what is
owed as stored (ChargeBalance), written again from the rows here in the transaction of
every change that moves it.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import Occupancy, Tenant, Unit
from config.history import set_reason
from config.money import ZERO, format_money
from config.permissions import require
from config.states import locked, save_change
from config.validators import check_amount
from fees.enums import DunningChannel
from fees.models import Charge, ChargeBalance, ChargeOffset, DunningNote, FeeType
from fees.selectors.charges import charge_balances, charge_has_offsets, charge_has_receipts

CENT = Decimal("0.01")
# The history keeps "cancelled: <reason>" in a 100-character column.
CANCEL_REASON_MAX = 80

# --- writes ------------------------------------------------------------------------------


def charge_balances_refresh(charges: Iterable[int]) -> None:
    """Write again, from their receipt lines and offsets, what is still owed on ``charges``
    (ids). Their stored rows are locked first, in order: of two transactions moving one
    charge (two voids of its receipts), the second waits and then reads what the first
    committed. Nothing is added or subtracted, so no change is counted twice."""
    ids = sorted(set(charges))
    if not ids:
        return
    ChargeBalance.objects.bulk_create(
        [ChargeBalance(charge_id=pk) for pk in ids], ignore_conflicts=True
    )
    stored = dict(
        ChargeBalance.objects.select_for_update()
        .filter(charge__in=ids)
        .order_by("charge")
        .values_list("charge", "owed")
    )
    live = charge_balances(Charge.objects.filter(pk__in=ids)).values_list("pk", "outstanding")
    for pk, owed in live:
        if stored.get(pk) != owed:
            ChargeBalance.objects.filter(charge=pk).update(owed=owed)


def stale_charge_balances() -> dict[int, tuple[Decimal, Decimal]]:
    """Where the stored balances differ from the rows: charge id → (stored, rows)."""
    stored = dict(ChargeBalance.objects.values_list("charge", "owed"))
    live = charge_balances(Charge.objects.all()).values_list("pk", "outstanding")
    return {pk: (stored.get(pk), owed) for pk, owed in live if stored.get(pk) != owed}


def charge_balances_rewrite() -> int:
    """Every stored balance as the rows answer it: after a bulk load (the demo, the
    benchmark) or to repair. How many were written."""
    stale = stale_charge_balances()
    ChargeBalance.objects.bulk_create(
        [ChargeBalance(charge_id=pk, owed=owed) for pk, (_stored, owed) in stale.items()],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["charge"],
        update_fields=["owed"],
    )
    return len(stale)


def _money(value, field_name: str) -> Decimal:
    """The amount (config.validators.check_amount), or its message on the field."""
    try:
        return check_amount(value)
    except ValidationError as refusal:
        raise ValidationError({field_name: refusal.messages}) from None


@transaction.atomic
def charge_bill(
    *,
    by,
    tenant: Tenant,
    unit: Unit | None,
    fee_type: FeeType,
    description: str,
    amount,
    billed_on: date,
    due_on: date,
) -> Charge:
    """Bill an amount to a tenant; the unit, if given, is one the tenant holds or held."""
    require(by, "fees.bill_charge")
    amount = _money(amount, "amount")
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say what the charge is for.")})
    if not fee_type.active:
        raise ValidationError({"fee_type": _("This fee is no longer in use.")})
    if due_on < billed_on:
        raise ValidationError({"due_on": _("The due date cannot be before the billing date.")})
    if unit is not None and not Occupancy.objects.filter(tenant=tenant, unit=unit).exists():
        raise ValidationError(
            {
                "unit": _(
                    "%(tenant)s never occupied unit %(unit)s: choose one of the tenant's units."
                )
                % {"tenant": tenant.name, "unit": unit.code}
            }
        )
    charge = Charge(
        tenant=tenant,
        unit=unit,
        fee_type=fee_type,
        description=description,
        amount=amount,
        billed_on=billed_on,
        due_on=due_on,
        created_by=by,
    )
    set_reason(charge, gettext_noop("billed"))
    charge.save()
    charge_balances_refresh([charge.pk])
    return charge


@transaction.atomic
def charge_cancel(*, by, charge: Charge, reason: str) -> Charge:
    """Cancel a bill nothing was paid on; the reason stays in the charge's history."""
    require(by, "fees.bill_charge")
    charge = locked(charge)
    reason = (reason or "").strip()
    if charge.cancelled:
        raise ValidationError(_("This charge was cancelled already."))
    if not reason:
        raise ValidationError(_("A cancellation needs a reason."))
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError(
            _("Keep the reason within %(max)d characters.") % {"max": CANCEL_REASON_MAX}
        )
    if charge_has_receipts(charge):
        raise ValidationError(
            _("Receipts were issued against this charge: it can no longer be cancelled.")
        )
    if charge_has_offsets(charge):
        raise ValidationError(
            _("Part of this charge was settled from a deposit: it can no longer be cancelled.")
        )
    charge.cancelled = True
    charge = save_change(charge, gettext_noop("cancelled"), reason)
    charge_balances_refresh([charge.pk])
    return charge


@transaction.atomic
def charge_offset(*, by, charge: Charge, amount: Decimal, source: str) -> ChargeOffset:
    """Settle ``amount`` of the charge from money held for the tenant (a deposit's
    deduction, which ``source`` names), never more than is still owed; the charge's history
    says so."""
    require(by, "fees.offset_charge")
    charge = locked(charge, queryset=charge_balances(Charge.objects))
    amount = _money(amount, "amount")
    if charge.cancelled:
        raise ValidationError(_("This charge was cancelled: nothing is owed on it."))
    if amount > charge.outstanding:
        raise ValidationError(
            _(
                "Only %(owed)s is still owed on the charge “%(charge)s”: %(amount)s cannot be "
                "offset."
            )
            % {
                "owed": format_money(charge.outstanding),
                "charge": charge.description,
                "amount": format_money(amount),
            }
        )
    source = (source or "").strip()[:100]
    if not source:
        raise ValidationError(_("Say where the money that settles the charge comes from."))
    now = timezone.now()
    offset = ChargeOffset.objects.create(
        charge=charge,
        amount=amount,
        offset_on=timezone.localdate(now),
        source=source,
        offset_by=by,
        offset_at=now,
    )
    # The charge's own row is unchanged; its history says what settled it.
    save_change(charge, gettext_noop("settled from a deposit"), f"{format_money(amount)} {source}")
    charge_balances_refresh([charge.pk])
    return offset


@transaction.atomic
def dunning_note_add(
    *,
    by,
    charge: Charge,
    noted_on: date,
    channel: str,
    contact: str,
    result: str,
    promised_on: date | None = None,
) -> DunningNote:
    """Record one attempt to collect what is still owed on a charge (催收记录)."""
    require(by, "fees.add_dunningnote")
    charge = locked(charge, queryset=charge_balances(Charge.objects))
    if charge.cancelled or charge.outstanding <= ZERO:
        raise ValidationError(_("Nothing is owed on this charge: there is nothing to chase."))
    if noted_on > timezone.localdate():
        raise ValidationError({"noted_on": _("The date cannot be in the future.")})
    if channel not in DunningChannel.values:
        raise ValidationError({"channel": _("Choose how the tenant was contacted.")})
    contact, result = (contact or "").strip(), (result or "").strip()
    if not contact:
        raise ValidationError({"contact": _("Enter who was contacted.")})
    if not result:
        raise ValidationError({"result": _("Enter what the tenant said.")})
    if promised_on is not None and promised_on < noted_on:
        raise ValidationError(
            {"promised_on": _("The promised date cannot be before the date of the note.")}
        )
    return DunningNote.objects.create(
        charge=charge,
        noted_on=noted_on,
        channel=channel,
        contact=contact,
        result=result,
        promised_on=promised_on,
        noted_by=by,
    )


# --- reads -------------------------------------------------------------------------------


# Statement of account ---------------------------------------------------------------------


# Ageing -----------------------------------------------------------------------------------
