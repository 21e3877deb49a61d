"""deposits' answers to the signals fees sends (fees.signals), in fees' own transaction: a
receiver that refuses undoes fees' change with it; and the stored refund gates
(services.gates) and the ledger's stored figures (services.ledger) brought up to date
whenever a record they read is saved, whoever saves it.
Connected in DepositsConfig.ready."""

from django.db.models.signals import post_save
from django.utils.translation import gettext_noop

from deposits.enums import DepositStatus
from deposits.models import (
    ApplicationPermit,
    DecorationApplication,
    Deposit,
    Inspection,
    Violation,
)
from deposits.services.deposits import (
    card_deposit_forfeit,
    card_deposit_release,
    card_deposit_take,
    deposits_end_with_receipt,
)
from deposits.services.gates import sync_gates_for
from deposits.services.ledger import ledger_refresh
from fees import signals
from fees.models import Charge, ChargeOffset, Permit


def on_permit_issued(sender, *, permit, by, **kwargs) -> None:
    card_deposit_take(permit=permit, by=by)


def on_permit_returned(sender, *, permit, by, **kwargs) -> None:
    card_deposit_release(permit=permit, by=by)


def on_permit_lost(sender, *, permit, by, **kwargs) -> None:
    card_deposit_forfeit(permit=permit, by=by)


def on_receipt_voided(sender, *, receipt, by, **kwargs) -> None:
    deposits_end_with_receipt(receipt=receipt, by=by, reason=gettext_noop("receipt voided"))
    # What its lines paid of charges is owed again.
    sync_gates_for(tenants=Charge.objects.filter(settlements__receipt=receipt).values("tenant"))


def on_charges_settled(sender, *, tenants, **kwargs) -> None:
    sync_gates_for(tenants=tenants)


# --- the stored gates follow the records they read -------------------------------------------


def on_deposit_saved(sender, instance: Deposit, **kwargs) -> None:
    """Taken, released, forfeited, cancelled, or a step of its refund (saved last): its
    gate, and the ledger's figures that count it."""
    sync_gates_for(deposits=[instance.pk])
    ledger_refresh([instance.pk])


def on_application_record_saved(sender, instance, **kwargs) -> None:
    """A decoration's status, inspection or permit link; its acceptance dates its held
    deposits' dormancy in the ledger."""
    application = instance.pk if sender is DecorationApplication else instance.application_id
    sync_gates_for(applications=[application])
    if sender is not ApplicationPermit:
        held = Deposit.objects.filter(application=application, status=DepositStatus.HELD)
        ledger_refresh(held.values_list("pk", flat=True))


def on_violation_saved(sender, instance: Violation, **kwargs) -> None:
    if instance.application_id:
        sync_gates_for(applications=[instance.application_id])
    elif instance.tenant_id:
        sync_gates_for(tenants=[instance.tenant_id])
    else:
        sync_gates_for(units=[instance.unit_id])


def on_permit_saved(sender, instance: Permit, **kwargs) -> None:
    linked = ApplicationPermit.objects.filter(permit=instance.pk).values("application")
    sync_gates_for(permits=[instance.pk], applications=linked)


def on_charge_saved(sender, instance, **kwargs) -> None:
    charge = instance if sender is Charge else instance.charge
    sync_gates_for(tenants=[charge.tenant_id])


def on_receipt_reversed(sender, *, receipt, by, **kwargs) -> None:
    deposits_end_with_receipt(receipt=receipt, by=by, reason=gettext_noop("receipt reversed"))


def connect() -> None:
    for signal, receiver in (
        (signals.permit_issued, on_permit_issued),
        (signals.permit_returned, on_permit_returned),
        (signals.permit_lost, on_permit_lost),
        (signals.receipt_voided, on_receipt_voided),
        (signals.receipt_reversed, on_receipt_reversed),
        (signals.charges_settled, on_charges_settled),
    ):
        signal.connect(receiver, dispatch_uid=f"deposits.{receiver.__name__}")
    for model, receiver in (
        (Deposit, on_deposit_saved),
        (DecorationApplication, on_application_record_saved),
        (Inspection, on_application_record_saved),
        (ApplicationPermit, on_application_record_saved),
        (Violation, on_violation_saved),
        (Permit, on_permit_saved),
        (Charge, on_charge_saved),
        (ChargeOffset, on_charge_saved),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"deposits.gates.{model.__name__}")
