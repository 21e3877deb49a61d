"""Permit card deposits (出入证押金) follow their cards through fees' permit services: taken
card by card when permits are issued, released when a card comes back, forfeited when it
is reported lost, cancelled with a voided or reversed receipt; all in fees' transaction
(fees sends the signals, deposits receives them). fees keeps its own behaviour."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deposits.enums import DeductionKind, DepositKind, DepositStatus
from deposits.models import Deduction, Deposit
from deposits.receivers import on_permit_issued
from deposits.selectors.deposits import deposit_balance
from fees.enums import DayState, PermitStatus, ReceiptStatus
from fees.models import Permit, Receipt
from fees.services.permits import permit_issue, permit_report_lost, permit_return
from fees.services.receipts import receipt_approve_void, receipt_request_void, receipt_reverse
from fees.signals import permit_issued
from tests.factories.archives import ContractorFactory, UnitFactory
from tests.factories.deposits import RefundFactory, worker
from tests.factories.fees import DailyCloseFactory, PermitFactory, move

pytestmark = pytest.mark.django_db
D = Decimal


def issue(by, count: int = 2, *, with_card_deposit: bool = True):
    today = timezone.localdate()
    receipt, permits, _created = permit_issue(
        by=by,
        contractor=ContractorFactory(),
        unit=UnitFactory(),
        workers=[worker(f"工人{n}") for n in range(count)],
        valid_from=today,
        valid_to=today + timedelta(days=30),
        method="cash",
        with_card_deposit=with_card_deposit,
    )
    return receipt, permits


def test_issuing_permits_takes_one_card_deposit_per_card_on_the_receipt_line(assistant):
    receipt, permits = issue(assistant, 2)
    line = receipt.lines.get(fee_type__code="permit_card_deposit")
    assert (line.quantity, line.amount) == (2, D("100.00"))
    deposits = list(Deposit.objects.order_by("permit__number"))
    assert [
        (d.kind, d.permit, d.receipt_line, d.amount, d.status, d.contractor, d.unit)
        for d in deposits
    ] == [
        (
            DepositKind.PERMIT_CARD,
            permit,
            line,
            D("50.00"),
            DepositStatus.HELD,
            receipt.contractor,
            receipt.unit,
        )
        for permit in permits
    ]
    assert [d.payer_name for d in deposits] == [receipt.payer_name] * 2
    # fees as before: each permit says what its card deposit is.
    assert [p.card_deposit for p in permits] == [D("50.00"), D("50.00")]


def test_permits_without_a_card_deposit_take_none(assistant):
    issue(assistant, 2, with_card_deposit=False)
    assert Deposit.objects.count() == 0


def test_a_returned_card_releases_its_deposit_and_fees_dates_it_as_before(assistant):
    _receipt, (permit, other) = issue(assistant, 2)
    permit = permit_return(by=assistant, permit=permit)
    today = timezone.localdate()
    assert (permit.status, permit.returned_on, permit.deposit_released_on) == (
        PermitStatus.RETURNED,
        today,
        today,
    )
    released = Deposit.objects.get(permit=permit)
    assert (released.status, released.released_on) == (DepositStatus.HELD, today)
    assert Deposit.objects.get(permit=other).released_on is None
    assert released.history.first().history_change_reason == f"card returned: {permit.number}"


def test_a_lost_card_forfeits_its_deposit_whole_and_its_replacement_takes_none(assistant):
    _receipt, (permit, _other) = issue(assistant, 2)
    lost, replacement = permit_report_lost(by=assistant, permit=permit, reissue=True, method="cash")
    forfeited = Deposit.objects.get(permit=lost)
    assert (forfeited.status, deposit_balance(forfeited)) == (DepositStatus.FORFEITED, D("0.00"))
    deduction = Deduction.objects.get(deposit=forfeited)
    assert (deduction.kind, deduction.amount, deduction.reason, deduction.refund) == (
        DeductionKind.LOST_CARD,
        D("50.00"),
        f"出入证 {permit.number} 挂失",
        None,
    )
    # fees as before: the replacement pays a card fee only, and holds no deposit.
    assert (replacement.card_deposit, replacement.replaces) == (D("0.00"), lost)
    assert Deposit.objects.filter(permit=replacement).exists() is False
    assert Permit.objects.get(pk=lost.pk).deposit_released_on is None


def test_a_voided_receipt_cancels_its_card_deposits_with_its_permits(assistant, manager):
    receipt, permits = issue(assistant, 2)
    receipt_request_void(receipt=receipt, by=assistant, reason="开错人数")
    receipt_approve_void(receipt=receipt, by=manager)
    assert [Permit.objects.get(pk=p.pk).status for p in permits] == [PermitStatus.CANCELLED] * 2
    assert set(Deposit.objects.values_list("status", flat=True)) == {DepositStatus.CANCELLED}
    # A deposit never taken holds nothing (its receipt's money went back with the void).
    assert [deposit_balance(d) for d in Deposit.objects.all()] == [D("0.00")] * 2


def test_a_void_is_refused_while_a_deposit_of_the_receipt_has_a_refund(assistant, manager):
    refund = RefundFactory()
    receipt = refund.deposit.receipt_line.receipt
    receipt_request_void(receipt=receipt, by=assistant, reason="开错")
    with pytest.raises(ValidationError) as refused:
        receipt_approve_void(receipt=receipt, by=manager)
    assert refused.value.messages == [
        f"The decoration deposit taken on receipt {receipt.number} has been refunded, "
        "forfeited or has a refund under way: this receipt can no longer be voided or reversed."
    ]
    # The void and everything with it is undone.
    assert Receipt.objects.get(pk=receipt.pk).status == ReceiptStatus.VOID_REQUESTED
    assert Deposit.objects.get(pk=refund.deposit_id).status == DepositStatus.REFUND_REQUESTED


def test_a_reversed_receipt_ends_its_deposits(assistant, manager):
    receipt, _permits = issue(assistant, 1)
    # The receipt's day was yesterday's and is handed over; today is open.
    receipt = move(receipt, timezone.localdate() - timedelta(days=1))
    DailyCloseFactory(business_date=receipt.business_date, state=DayState.HANDED_OVER)
    reversal = receipt_reverse(receipt=receipt, by=manager, reason="重复收取")
    deposit = Deposit.objects.get()
    assert deposit.status == DepositStatus.CANCELLED
    assert deposit.history.first().history_change_reason == f"receipt reversed: {receipt.number}"
    assert reversal.reverses == receipt


def test_a_receiver_that_refuses_undoes_the_whole_issue(assistant, monkeypatch):
    def refuse(sender, **kwargs):
        raise ValidationError("refused by deposits")

    permit_issued.disconnect(dispatch_uid="deposits.on_permit_issued")
    permit_issued.connect(refuse, dispatch_uid="test.refuse")
    try:
        with pytest.raises(ValidationError):
            PermitFactory(issued_by=assistant, with_card_deposit=True)
    finally:
        permit_issued.disconnect(dispatch_uid="test.refuse")
        permit_issued.connect(on_permit_issued, dispatch_uid="deposits.on_permit_issued")
    assert (Permit.objects.count(), Receipt.objects.count(), Deposit.objects.count()) == (0, 0, 0)


def test_the_receipt_is_as_before(assistant):
    """The deposits are taken on the receipt's line: its total is unchanged."""
    receipt, _permits = issue(assistant, 2)
    assert receipt.total == D("160.00")  # 2 × (20.00 + 10.00 + 50.00)


def test_a_returned_card_s_deposit_is_refunded_through_the_procedure(assistant, manager, finance):
    from deposits.services.refunds import refund_approve, refund_pay, refund_prepare

    _receipt, (permit,) = issue(assistant, 1)
    permit_return(by=assistant, permit=permit)
    deposit = Deposit.objects.get(permit=permit)
    refund = refund_prepare(
        by=assistant, deposit=deposit, amount=D("50.00"), deductions=[], receipt_collected=True
    )
    refund_approve(by=manager, refund=refund)
    refund_pay(by=finance, refund=refund, method="cash", paid_on=timezone.localdate())
    deposit.refresh_from_db()
    assert (deposit.status, deposit_balance(deposit), refund.payee) == (
        DepositStatus.REFUNDED,
        D("0.00"),
        permit.contractor.name,
    )
