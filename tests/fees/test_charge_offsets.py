"""A charge settled from a deposit (fees.services.charges.charge_offset): it counts as
settled like a receipt line, in the balances, the statement and the ageing, never beyond
what is owed, and the charge can no longer be cancelled."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fees.enums import ChargeStatus
from fees.models import Charge
from fees.selectors.charges import (
    charge_actions,
    charge_balances,
    charge_outstanding,
    open_charges,
    tenant_statement,
)
from fees.services.charges import charge_cancel, charge_offset
from fees.services.receipts import LineInput, Payer, receipt_issue
from tests.factories.fees import ChargeFactory, ChargeOffsetFactory

pytestmark = pytest.mark.django_db
D = Decimal


def read(charge) -> Charge:
    return charge_balances(Charge.objects.all()).get(pk=charge.pk)


def test_an_offset_settles_part_of_a_charge_and_then_the_rest(manager):
    charge = ChargeFactory(amount=D("1000.00"))
    offset = charge_offset(by=manager, charge=charge, amount=D("400.00"), source="装修保证金 #3")
    assert (offset.amount, offset.offset_on, offset.offset_by) == (
        D("400.00"),
        timezone.localdate(),
        manager,
    )
    charge = read(charge)
    assert (charge.settled, charge.outstanding) == (D("400.00"), D("600.00"))
    assert ChargeStatus.of(charge) == ChargeStatus.PART_PAID
    assert charge_outstanding(charge) == D("600.00")
    charge_offset(by=manager, charge=charge, amount=D("600.00"), source="装修保证金 #3")
    assert ChargeStatus.of(read(charge)) == ChargeStatus.SETTLED
    assert list(open_charges(charge.tenant)) == []
    reason = charge.history.first().history_change_reason
    assert reason == "settled from a deposit: ¥600.00 装修保证金 #3"


def test_an_offset_never_exceeds_what_is_owed_with_receipts_counted(manager, assistant):
    charge = ChargeFactory(amount=D("1000.00"))
    receipt_issue(
        by=assistant,
        payer=Payer(kind="tenant", tenant=charge.tenant),
        lines=[LineInput(fee_type=charge.fee_type, unit_price=D("700.00"), charge=charge)],
        method="cash",
    )
    with pytest.raises(ValidationError) as refused:
        charge_offset(by=manager, charge=charge, amount=D("300.01"), source="保证金")
    assert refused.value.messages == [
        "Only ¥300.00 is still owed on the charge “垃圾清运费”: ¥300.01 cannot be offset."
    ]
    charge_offset(by=manager, charge=charge, amount=D("300.00"), source="保证金")
    assert read(charge).outstanding == D("0.00")


def test_an_offset_needs_an_amount_a_source_and_a_charge_that_stands(manager, assistant):
    charge = ChargeFactory()
    for amount, source, message in [
        (D("0"), "保证金", "The amount must be more than 0 and at most 1,000,000.00."),
        (D("1.005"), "保证金", "The amount can have at most two decimals."),
        (D("10"), "  ", "Say where the money that settles the charge comes from."),
    ]:
        with pytest.raises(ValidationError) as refused:
            charge_offset(by=manager, charge=charge, amount=amount, source=source)
        assert refused.value.messages == [message]
    charge_cancel(by=assistant, charge=charge, reason="重复开单")
    with pytest.raises(ValidationError) as refused:
        charge_offset(by=manager, charge=charge, amount=D("10"), source="保证金")
    assert refused.value.messages == ["This charge was cancelled: nothing is owed on it."]


def test_only_a_role_with_the_permission_offsets(assistant, finance):
    charge = ChargeFactory()
    for user in (assistant, finance):
        with pytest.raises(PermissionDenied):
            charge_offset(by=user, charge=charge, amount=D("10"), source="保证金")


def test_a_charge_offset_in_part_can_no_longer_be_cancelled(assistant):
    offset = ChargeOffsetFactory()
    with pytest.raises(ValidationError) as refused:
        charge_cancel(by=assistant, charge=offset.charge, reason="开错")
    assert refused.value.messages == [
        "Part of this charge was settled from a deposit: it can no longer be cancelled."
    ]
    assert charge_actions(read(offset.charge), assistant).can_cancel is False


def test_the_statement_shows_the_offset_as_a_credit(assistant):
    offset = ChargeOffsetFactory(charge=ChargeFactory(amount=D("1000.00")), source="装修保证金抵扣")
    statement = tenant_statement(offset.charge.tenant)
    assert [(row.text, row.debit, row.credit, row.balance) for row in statement.rows] == [
        ("Decoration waste removal · 垃圾清运费", D("1000.00"), D("0.00"), D("1000.00")),
        ("装修保证金抵扣", D("0.00"), D("400.00"), D("600.00")),
    ]
    assert statement.closing_balance == D("600.00")
