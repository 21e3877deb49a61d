"""The ledger's stored figures (LedgerDay, LedgerUnit) after every action that moves them:
each is what the rows answer (services.ledger.stale_ledger() finds nothing), with exact
values, and the data migration writes them for deposits that were there before it."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from config.roles import Role
from deposits.enums import ApplicationStatus, DeductionKind, DepositStatus, RefundStatus
from deposits.models import Deposit, LedgerDay, LedgerUnit
from deposits.selectors.ledger import (
    LedgerUnits,
    dormant_count,
    gates_open_count,
    ledger_totals,
    refunds_under_way_count,
)
from deposits.services.deposits import deposit_forfeit
from deposits.services.ledger import ledger_rewrite, stale_ledger
from deposits.services.refunds import refund_approve, refund_pay, refund_return
from deposits.validators import DeductionInput
from fees.services.permits import permit_issue, permit_report_lost, permit_return
from fees.services.receipts import receipt_approve_void, receipt_request_void
from tests.factories.archives import ContractorFactory
from tests.factories.deposits import (
    DepositFactory,
    RefundFactory,
    accepted_deposit,
    advance,
    worker,
)
from tests.factories.people import staff

pytestmark = pytest.mark.django_db
D = Decimal


def figures() -> tuple:
    """Today's stored row (held count, held, waiting, gates, dormant), checked against the
    rows first."""
    assert stale_ledger() == ({}, {})
    row = LedgerDay.objects.filter(day=timezone.localdate()).first()
    if row is None:
        return (0, D("0.00"), 0, 0, 0)
    return (row.held_count, row.held, row.waiting_count, row.gates_count, row.dormant_count)


def unfiled() -> tuple:
    """Today's stored deposits of no unit: how many, what they hold."""
    row = LedgerDay.objects.get(day=timezone.localdate())
    return (row.unfiled_count, row.unfiled)


def unit_count(deposit: Deposit) -> int:
    row = LedgerUnit.objects.filter(unit=deposit.ledger_unit_id).first()
    return 0 if row is None else row.held_count


def test_taking_a_deposit_counts_it_under_its_day_and_its_unit():
    deposit = DepositFactory(amount=D("5000.00"))
    assert figures() == (1, D("5000.00"), 0, 0, 0)
    assert unit_count(deposit) == 1
    DepositFactory(amount=D("1234.56"))
    assert figures() == (2, D("6234.56"), 0, 0, 0)
    assert ledger_totals(timezone.localdate()).totals[0] == D("6234.56")


def test_a_forfeit_in_part_lowers_what_is_held_and_a_whole_one_ends_it(manager):
    deposit = DepositFactory(amount=D("1000.00"))
    deposit_forfeit(
        by=manager,
        deposit=deposit,
        deductions=[DeductionInput(kind=DeductionKind.DAMAGE, reason="损坏", amount=D("0.45"))],
    )
    assert figures() == (1, D("999.55"), 0, 0, 0)
    deposit_forfeit(
        by=manager,
        deposit=Deposit.objects.get(pk=deposit.pk),
        deductions=[DeductionInput(kind=DeductionKind.OTHER, reason="其他", amount=D("999.55"))],
    )
    assert figures() == (0, D("0.00"), 0, 0, 0)
    assert unit_count(deposit) == 0
    assert LedgerUnits(timezone.localdate()).count() == 0


def test_each_step_of_a_refund_moves_the_figures_once():
    deposit = accepted_deposit()  # its gate is open; accepted today: a dormant candidate
    assert figures() == (1, D("5000.00"), 0, 1, 1)
    refund = RefundFactory(deposit=deposit)  # 300.00 itemised, not yet counted
    assert figures() == (1, D("5000.00"), 1, 0, 0)
    assert refunds_under_way_count() == 1
    refund = refund_approve(by=staff(Role.MANAGER), refund=refund)
    assert figures() == (1, D("4700.00"), 1, 0, 0)
    refund_pay(by=staff(Role.FINANCE), refund=refund, method="cash", paid_on=timezone.localdate())
    assert figures() == (0, D("0.00"), 0, 0, 0)
    assert unit_count(deposit) == 0


def test_a_returned_refund_holds_the_deposit_again_without_an_open_gate_listed():
    refund = RefundFactory()
    refund_return(by=staff(Role.MANAGER), refund=refund, comment="扣款依据不足")
    assert Deposit.objects.get(pk=refund.deposit_id).status == DepositStatus.HELD
    # Held again, whole; the returned refund is the desk's to take up, not an open gate.
    assert figures() == (1, D("5000.00"), 0, 0, 1)
    assert (refunds_under_way_count(), gates_open_count()) == (0, 0)
    RefundFactory(deposit=Deposit.objects.get(pk=refund.deposit_id))
    assert figures() == (1, D("5000.00"), 1, 0, 0)


def test_card_deposits_follow_their_cards_through_fees_signals(assistant):
    today = timezone.localdate()
    _receipt, permits, _created = permit_issue(
        by=assistant,
        contractor=ContractorFactory(),
        unit=None,
        workers=[worker("工人甲"), worker("工人乙")],
        valid_from=today,
        valid_to=today + timedelta(days=30),
        method="cash",
        with_card_deposit=True,
    )
    card = Deposit.objects.get(permit=permits[0]).amount
    assert figures() == (2, card * 2, 0, 0, 0)
    assert unfiled() == (2, card * 2)
    # The deposits of no unit: one row, from the stored day.
    units = LedgerUnits(today)
    assert units.count() == 1
    assert [(row.unit, row.buckets[0], row.counts) for row in units[0:50]] == [
        ("", card * 2, [2, 0, 0, 0, 0])
    ]
    permit_return(by=assistant, permit=permits[0])  # released: its gate opens
    assert figures() == (2, card * 2, 0, 1, 0)
    permit_report_lost(by=assistant, permit=permits[1])  # forfeited whole
    assert figures() == (1, card, 0, 1, 0)
    assert unfiled() == (1, card)


def test_a_voided_receipt_takes_its_deposit_out_of_the_ledger(assistant, manager):
    deposit = DepositFactory(amount=D("800.00"))
    assert figures() == (1, D("800.00"), 0, 0, 0)
    receipt = deposit.receipt_line.receipt
    receipt_request_void(receipt=receipt, by=assistant, reason="开错")
    receipt_approve_void(receipt=receipt, by=manager)
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.CANCELLED
    assert figures() == (0, D("0.00"), 0, 0, 0)


def test_dormant_deposits_are_counted_by_the_day_of_acceptance(settings):
    settings.DEPOSIT_DORMANT_DAYS = 90
    deposit = DepositFactory()
    advance(deposit.application, ApplicationStatus.PASSED)
    today = timezone.localdate()
    assert figures() == (1, D("5000.00"), 0, 1, 1)
    assert dormant_count(today) == 0
    assert dormant_count(today + timedelta(days=90)) == 1


def test_the_data_migration_writes_the_figures_of_deposits_already_there(manager):
    accepted_deposit()
    RefundFactory(status=RefundStatus.APPROVED)
    DepositFactory(amount=D("1.00"))
    expected = (
        list(LedgerDay.objects.values_list("day", "held_count", "held", "waiting_count")),
        list(LedgerUnit.objects.values_list("unit", "held_count").order_by("unit")),
    )
    assert expected[0] == [(timezone.localdate(), 3, D("9701.00"), 1)]
    # As before the migration: no stored figures.
    LedgerDay.objects.all().delete()
    LedgerUnit.objects.all().delete()
    migration = importlib.import_module("deposits.migrations.0010_ledger_unfiled")
    migration.fill_ledger(apps, None)
    found = (
        list(LedgerDay.objects.values_list("day", "held_count", "held", "waiting_count")),
        list(LedgerUnit.objects.values_list("unit", "held_count").order_by("unit")),
    )
    assert found == expected
    assert stale_ledger() == ({}, {})


def test_a_repair_writes_what_a_bulk_change_left_stale():
    deposit = DepositFactory(amount=D("10.00"))
    LedgerDay.objects.update(held=D("99.00"))
    days, units = stale_ledger()
    assert [(day, stored.held, live.held) for day, (stored, live) in days.items()] == [
        (timezone.localdate(), D("99.00"), D("10.00"))
    ]
    assert units == {}
    assert ledger_rewrite() == 1
    assert figures() == (1, D("10.00"), 0, 0, 0)
    assert unit_count(deposit) == 1
