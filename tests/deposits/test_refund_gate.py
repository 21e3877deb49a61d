"""The refund gate: a checklist computed from live records, each open item with the reason
it is open and the records in the way; a refund request is refused while one is open."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deposits.enums import ApplicationStatus, DepositKind, DepositStatus, GateItem
from deposits.models import Deposit, Refund
from deposits.selectors.refunds import refund_gate
from deposits.services.refunds import refund_prepare
from deposits.services.violations import violation_resolve
from fees.models import Permit
from fees.services.charges import charge_cancel
from fees.services.permits import permit_report_lost, permit_return
from tests.factories.deposits import (
    ApplicationPermitFactory,
    DepositFactory,
    ViolationFactory,
    accepted_deposit,
    advance,
    inspect,
    today,
)
from tests.factories.fees import ChargeFactory

pytestmark = pytest.mark.django_db
D = Decimal


def state(gate) -> dict:
    """Each item of the checklist: its reasons (none: done)."""
    return {check.item: check.reasons for check in gate.checks}


def prepare(by, deposit, collected=True) -> Refund:
    return refund_prepare(
        by=by, deposit=deposit, amount=deposit.amount, deductions=[], receipt_collected=collected
    )


def test_an_accepted_decoration_with_nothing_in_the_way_opens_its_gate():
    gate = refund_gate(accepted_deposit(), receipt_collected=True)
    assert [check.item for check in gate.checks] == [
        GateItem.INSPECTION,
        GateItem.VIOLATIONS,
        GateItem.PERMITS,
        GateItem.CHARGES,
        GateItem.RECEIPT,
    ]
    assert (gate.is_open, gate.ready, gate.blocking) == (True, True, [])


def test_before_the_request_the_receipt_item_waits_for_it():
    gate = refund_gate(accepted_deposit())
    receipt = gate.checks[-1]
    assert (receipt.done, receipt.pending, receipt.reasons) == (
        False,
        True,
        ["The payer hands back the original receipt (customer copy) with the request."],
    )
    assert (gate.is_open, gate.ready) == (False, True)


def test_a_request_without_the_original_receipt_is_refused(assistant):
    deposit = accepted_deposit()
    with pytest.raises(ValidationError) as refused:
        prepare(assistant, deposit, collected=False)
    assert refused.value.messages == [
        "The refund cannot be requested yet. Original receipt collected: The original receipt "
        "(customer copy) was not collected."
    ]


def test_the_inspection_item_names_the_state_or_the_failed_inspection(assistant):
    deposit = DepositFactory()  # approved, works not started
    assert state(refund_gate(deposit))[GateItem.INSPECTION] == [
        f"Decoration {deposit.application.number} is approved: its final inspection has not passed."
    ]
    application = advance(deposit.application, ApplicationStatus.IN_PROGRESS)
    inspect(application, passed=False, items=("墙面开裂", "消防喷淋未恢复"))
    deposit.refresh_from_db()
    check = refund_gate(deposit).checks[0]
    assert (check.reasons, check.records) == (
        [f"The inspection of {today()} failed with 2 items to fix."],
        [deposit.application],
    )
    # The re-inspection passes: the item is done.
    inspect(application, passed=True)
    deposit.refresh_from_db()
    assert state(refund_gate(deposit))[GateItem.INSPECTION] == []


def test_the_gate_refuses_while_a_permit_is_still_active_and_opens_when_it_is_returned(
    assistant,
):
    link = ApplicationPermitFactory()
    deposit = DepositFactory(application=link.application)
    advance(link.application, ApplicationStatus.PASSED)
    deposit.refresh_from_db()
    permit = link.permit
    with pytest.raises(ValidationError) as refused:
        prepare(assistant, deposit)
    assert refused.value.messages == [
        "The refund cannot be requested yet. Every permit returned or charged as lost: Permit "
        f"{permit.number} ({permit.worker_name}) is active: its card has not come back."
    ]
    assert (Deposit.objects.get(pk=deposit.pk).status, Refund.objects.count()) == (
        DepositStatus.HELD,
        0,
    )
    assert refund_gate(deposit).checks[2].records == [permit]

    permit_return(by=assistant, permit=permit)
    assert state(refund_gate(deposit, receipt_collected=True))[GateItem.PERMITS] == []
    assert prepare(assistant, deposit).amount == D("5000.00")


def test_a_permit_charged_as_lost_no_longer_stands_in_the_way(assistant):
    link = ApplicationPermitFactory()
    deposit = DepositFactory(application=link.application)
    permit_report_lost(by=assistant, permit=link.permit)
    assert state(refund_gate(deposit))[GateItem.PERMITS] == []


def test_an_expired_card_not_returned_stands_in_the_way(assistant):
    from fees.services.permits import permits_expire

    link = ApplicationPermitFactory()
    deposit = DepositFactory(application=link.application)
    permits_expire(today=link.permit.valid_to + timedelta(days=1))
    permit = Permit.objects.get(pk=link.permit_id)
    assert state(refund_gate(deposit))[GateItem.PERMITS] == [
        f"Permit {permit.number} ({permit.worker_name}) is expired: its card has not come back."
    ]


def test_an_open_violation_closes_the_gate_until_it_is_resolved(assistant):
    deposit = accepted_deposit()
    violation = ViolationFactory(application=deposit.application, penalty=None)
    check = refund_gate(deposit).checks[1]
    assert (check.reasons, check.records) == (
        [f"The violation of {today()} is not resolved: 未按规定时间施工."],
        [violation],
    )
    violation_resolve(by=assistant, violation=violation, resolution="已整改并书面检讨")
    assert state(refund_gate(deposit))[GateItem.VIOLATIONS] == []


def test_violations_of_the_tenant_or_unit_count_but_not_those_of_another_decoration():
    deposit = accepted_deposit()
    application = deposit.application
    ViolationFactory(application=None, tenant=application.tenant, unit=None, penalty=None)
    ViolationFactory(application=None, tenant=None, unit=application.unit, penalty=None)
    other = accepted_deposit()
    ViolationFactory(application=other.application, penalty=None)
    assert len(state(refund_gate(deposit))[GateItem.VIOLATIONS]) == 2


def test_an_unpaid_charge_of_the_tenant_closes_the_gate(assistant):
    deposit = accepted_deposit()
    charge = ChargeFactory(tenant=deposit.application.tenant, amount=D("320.00"))
    check = refund_gate(deposit).checks[3]
    assert (check.reasons, check.records) == (
        ["The charge “垃圾清运费” has ¥320.00 unpaid."],
        [charge],
    )
    # Deducted whole in the request, it is no longer in the way.
    gate = refund_gate(deposit, deducted_charges={charge.pk: D("320.00")})
    assert state(gate)[GateItem.CHARGES] == []
    charge_cancel(by=assistant, charge=charge, reason="开错")
    assert state(refund_gate(deposit))[GateItem.CHARGES] == []


def test_a_violation_s_penalty_is_an_unpaid_charge_too(assistant):
    deposit = accepted_deposit()
    violation = ViolationFactory(application=deposit.application, penalty=D("200.00"))
    violation_resolve(by=assistant, violation=violation, resolution="已整改")
    assert state(refund_gate(deposit))[GateItem.CHARGES] == [
        "The charge “违约金：未按规定时间施工” has ¥200.00 unpaid."
    ]


def test_a_refusal_names_every_open_item(assistant):
    deposit = DepositFactory()
    ChargeFactory(tenant=deposit.application.tenant, amount=D("10.00"))
    with pytest.raises(ValidationError) as refused:
        prepare(assistant, deposit, collected=False)
    assert refused.value.messages == [
        "The refund cannot be requested yet. Final inspection passed: Decoration "
        f"{deposit.application.number} is approved: its final inspection has not passed. "
        "No unpaid charge of the tenant (or deducted here): The charge “垃圾清运费” has "
        "¥10.00 unpaid. Original receipt collected: The original receipt (customer copy) "
        "was not collected."
    ]


def test_a_card_deposit_s_gate_asks_for_the_card_and_the_receipt(assistant):
    link = ApplicationPermitFactory()
    deposit = Deposit.objects.get(permit=link.permit)
    assert deposit.kind == DepositKind.PERMIT_CARD
    gate = refund_gate(deposit, receipt_collected=True)
    assert state(gate) == {
        GateItem.CARD: [
            f"Permit {link.permit.number} ({link.permit.worker_name}) is active: its card has "
            "not come back."
        ],
        GateItem.RECEIPT: [],
    }
    permit_return(by=assistant, permit=link.permit)
    deposit.refresh_from_db()
    assert refund_gate(deposit, receipt_collected=True).is_open is True
