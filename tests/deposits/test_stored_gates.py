"""The refund gate stored on each deposit (Deposit.gate_opened_on) follows every record it
reads, through whichever service changes it, and the check command finds and repairs a
stored gate that was written around the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from config.permanence import maintenance
from deposits.models import Deposit
from deposits.selectors.ledger import gate_opened_on
from deposits.services.gates import stale_gates
from deposits.services.violations import violation_resolve
from fees.models import Charge
from fees.services.charges import charge_cancel
from fees.services.permits import permit_issue, permit_return
from fees.services.receipts import (
    LineInput,
    Payer,
    receipt_approve_void,
    receipt_issue,
    receipt_request_void,
)
from tests.factories.archives import ContractorFactory
from tests.factories.deposits import ViolationFactory, accepted_deposit, worker
from tests.factories.fees import ChargeFactory

pytestmark = pytest.mark.django_db
D = Decimal


def stored(deposit: Deposit):
    return Deposit.objects.values_list("gate_opened_on", flat=True).get(pk=deposit.pk)


def assert_all_agree() -> None:
    assert stale_gates(Deposit.objects.all()) == {}


def test_a_charge_closes_the_stored_gate_its_payment_opens_it_and_a_void_closes_it(
    assistant, manager
):
    deposit = accepted_deposit()
    opened_on = stored(deposit)
    assert opened_on == timezone.localdate()  # accepted today
    charge = ChargeFactory(tenant=deposit.application.tenant, amount=D("80.00"))
    assert stored(deposit) is None
    receipt, _created = receipt_issue(
        by=assistant,
        payer=Payer(kind="tenant", tenant=charge.tenant),
        lines=[LineInput(fee_type=charge.fee_type, unit_price=D("80.00"), charge=charge)],
        method="cash",
    )
    assert stored(deposit) == opened_on
    receipt_request_void(receipt=receipt, by=assistant, reason="收错了")
    receipt_approve_void(receipt=receipt, by=manager)
    assert stored(deposit) is None
    charge_cancel(by=assistant, charge=Charge.objects.get(pk=charge.pk), reason="重复开单")
    assert stored(deposit) == opened_on
    assert_all_agree()


def test_a_violation_of_the_unit_closes_the_gate_and_its_resolution_dates_it(assistant):
    deposit = accepted_deposit()
    other = accepted_deposit()
    violation = ViolationFactory(application=None, unit=deposit.application.unit, penalty=None)
    assert (stored(deposit), stored(other)) == (None, timezone.localdate())
    violation_resolve(by=assistant, violation=violation, resolution="已整改")
    assert stored(deposit) == gate_opened_on(deposit) == timezone.localdate()
    assert_all_agree()


def test_a_card_deposit_opens_on_the_day_its_card_comes_back(assistant):
    today = timezone.localdate()
    _receipt, [permit], _created = permit_issue(
        by=assistant,
        contractor=ContractorFactory(),
        unit=None,
        workers=[worker("工人甲")],
        valid_from=today,
        valid_to=today + timedelta(days=30),
        method="cash",
        with_card_deposit=True,
    )
    card = Deposit.objects.get(permit=permit)
    assert stored(card) is None
    permit_return(by=assistant, permit=permit)
    assert stored(card) == today
    assert_all_agree()


def test_the_check_command_lists_a_stale_gate_and_fix_writes_it(capsys):
    deposit = accepted_deposit()
    with maintenance():  # written around the services
        Deposit.objects.filter(pk=deposit.pk).update(gate_opened_on=None)
    with pytest.raises(CommandError, match="1 stored gate"):
        call_command("deposit_gates")
    assert f"deposit {deposit.pk}\tstored None\trecords {timezone.localdate()}" in (
        capsys.readouterr().out
    )
    call_command("deposit_gates", "--fix")
    assert stored(deposit) == timezone.localdate()
    call_command("deposit_gates")
    assert "Every stored gate agrees" in capsys.readouterr().out
