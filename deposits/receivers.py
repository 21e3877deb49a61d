"""deposits' answers to the signals fees sends (fees.signals), in fees' own transaction: a
receiver that refuses undoes fees' change with it. Connected in DepositsConfig.ready."""

from django.utils.translation import gettext_noop

from deposits.services.deposits import (
    card_deposit_forfeit,
    card_deposit_release,
    card_deposit_take,
    deposits_end_with_receipt,
)
from fees import signals


def on_permit_issued(sender, *, permit, by, **kwargs) -> None:
    card_deposit_take(permit=permit, by=by)


def on_permit_returned(sender, *, permit, by, **kwargs) -> None:
    card_deposit_release(permit=permit, by=by)


def on_permit_lost(sender, *, permit, by, **kwargs) -> None:
    card_deposit_forfeit(permit=permit, by=by)


def on_receipt_voided(sender, *, receipt, by, **kwargs) -> None:
    deposits_end_with_receipt(receipt=receipt, by=by, reason=gettext_noop("receipt voided"))


def on_receipt_reversed(sender, *, receipt, by, **kwargs) -> None:
    deposits_end_with_receipt(receipt=receipt, by=by, reason=gettext_noop("receipt reversed"))


def connect() -> None:
    for signal, receiver in (
        (signals.permit_issued, on_permit_issued),
        (signals.permit_returned, on_permit_returned),
        (signals.permit_lost, on_permit_lost),
        (signals.receipt_voided, on_receipt_voided),
        (signals.receipt_reversed, on_receipt_reversed),
    ):
        signal.connect(receiver, dispatch_uid=f"deposits.{receiver.__name__}")
