"""What a charge still owes, stored (fees.ChargeBalance) for the ageing list: written again
from the receipt lines and offsets by every service that moves it, with exact values; equal
to the rows after random steps of the desk and the manager (a property test); filled by the
migration for charges billed before it; and what the ageing page reads."""

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.permanence import maintenance
from fees.enums import DayState, ReceiptStatus
from fees.models import ChargeBalance, ChargeOffset, DailyClose, Receipt, ReceiptLine
from fees.selectors.charges import ageing, ageing_page
from fees.services.charges import (
    charge_balances_rewrite,
    charge_cancel,
    charge_offset,
    stale_charge_balances,
)
from fees.services.receipts import receipt_reverse
from tests.factories.archives import TenantFactory
from tests.fees.test_charges import bill, pay, void

pytestmark = pytest.mark.django_db
D = Decimal


def owed(charge) -> Decimal:
    """The stored balance, once the stored balances are checked against the rows."""
    assert stale_charge_balances() == {}
    return ChargeBalance.objects.get(charge=charge).owed


def reverse_on_a_closed_day(receipt, manager) -> Receipt:
    """Put the receipt on yesterday, submitted, and reverse it (红冲) today."""
    yesterday = timezone.localdate() - timedelta(days=1)
    with maintenance():  # a receipt's date is fixed once issued
        Receipt.objects.filter(pk=receipt.pk).update(business_date=yesterday)
    DailyClose.objects.get_or_create(
        business_date=yesterday, defaults={"state": DayState.SUBMITTED}
    )
    return receipt_reverse(receipt=receipt, by=manager, reason="退款")


def test_each_service_writes_what_is_owed_once(assistant, manager):
    charge = bill(assistant, TenantFactory(), "1000.00")
    assert owed(charge) == D("1000.00")
    first = pay(assistant, charge, "300.00")
    assert owed(charge) == D("700.00")
    second = pay(assistant, charge, "0.45")
    assert owed(charge) == D("699.55")
    void(second, assistant, manager)
    assert owed(charge) == D("700.00")
    reverse_on_a_closed_day(first, manager)
    assert owed(charge) == D("1000.00")
    charge_offset(by=manager, charge=charge, amount=D("999.99"), source="保证金扣款 D-1")
    assert owed(charge) == D("0.01")
    pay(assistant, charge, "0.01")
    assert owed(charge) == D("0.00")


def test_a_cancelled_charge_owes_nothing(assistant):
    charge = bill(assistant, TenantFactory(), "90.00")
    charge_cancel(by=assistant, charge=charge, reason="开错")
    assert owed(charge) == D("0.00")


def test_a_refused_payment_leaves_the_stored_balance_alone(assistant):
    charge = bill(assistant, TenantFactory(), "50.00")
    with pytest.raises(ValidationError):
        pay(assistant, charge, "50.01")
    assert owed(charge) == D("50.00")


def test_the_ageing_page_reads_the_stored_balances(client, finance, assistant):
    today = timezone.localdate()
    tenant = TenantFactory(name="甲商行")
    charge = bill(assistant, tenant, "120.00", billed_on=today - timedelta(days=40), due_on=today)
    pay(assistant, charge, "20.00")
    # A stored figure out of step with the rows (as a bulk load would leave it) is what the
    # page shows: it reads the stored balance, not the receipt lines.
    ChargeBalance.objects.filter(charge=charge).update(owed=D("77.00"))
    client.force_login(finance)
    page = client.get(reverse("fees:charge_ageing"))
    assert [(r.tenant_name, r.total) for r in page.context["page"]] == [("甲商行", D("77.00"))]
    assert page.context["ageing"].totals == [D("77.00"), D("0"), D("0"), D("0"), D("0")]
    assert stale_charge_balances() == {charge.pk: (D("77.00"), D("100.00"))}
    assert charge_balances_rewrite() == 1
    assert ageing_page(today, None).totals[0] == D("100.00")


def test_the_migration_fills_the_balances_of_charges_billed_before_it(assistant, manager):
    tenant = TenantFactory()
    paid_in_part = bill(assistant, tenant, "500.00")
    pay(assistant, paid_in_part, "123.45")
    voided = bill(assistant, tenant, "80.00")
    void(pay(assistant, voided, "80.00"), assistant, manager)
    offset = bill(assistant, tenant, "300.00")
    charge_offset(by=manager, charge=offset, amount=D("100.00"), source="保证金扣款")
    cancelled = bill(assistant, tenant, "60.00")
    charge_cancel(by=assistant, charge=cancelled, reason="开错")
    ChargeBalance.objects.all().delete()  # as before the migration
    migration = importlib.import_module("fees.migrations.0026_charge_balances")
    migration.fill_balances(apps, None)
    assert dict(ChargeBalance.objects.values_list("charge", "owed")) == {
        paid_in_part.pk: D("376.55"),
        voided.pk: D("80.00"),
        offset.pk: D("200.00"),
        cancelled.pk: D("0.00"),
    }
    assert stale_charge_balances() == {}


def test_the_ageing_of_stored_balances_by_band(assistant):
    today = date(2026, 3, 31)
    tenant = TenantFactory(name="乙餐饮")
    for days, amount in [(0, "1.00"), (1, "2.00"), (31, "4.00"), (61, "8.00"), (91, "16.00")]:
        due = today - timedelta(days=days)
        bill(assistant, tenant, amount, billed_on=due - timedelta(days=1), due_on=due)
    report = ageing(today)
    assert [(r.tenant_name, r.buckets) for r in report.rows] == [
        ("乙餐饮", [D("1.00"), D("2.00"), D("4.00"), D("8.00"), D("16.00")])
    ]
    assert ageing_page(today, "tenant").totals == report.totals


# --- the property: the stored balances always equal the rows --------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 2), st.sampled_from(["0.01", "33.33", "60"])),
        st.tuples(st.just("void"), st.integers(0, 9)),
        st.tuples(st.just("reverse"), st.integers(0, 9)),
        st.tuples(st.just("offset"), st.integers(0, 2), st.sampled_from(["0.05", "25"])),
        st.tuples(st.just("cancel"), st.integers(0, 2)),
    ),
    max_size=12,
)


def _try(action) -> None:
    try:
        with transaction.atomic():
            action()
    except ValidationError:
        pass  # refused as the desk would be: nothing changed


def _expected(charge) -> Decimal:
    """What is owed by DESIGN's rule, from the rows in Python."""
    charge.refresh_from_db()
    if charge.cancelled:
        return D("0.00")
    lines = ReceiptLine.objects.filter(charge=charge).exclude(receipt__status=ReceiptStatus.VOID)
    settled = sum((line.amount for line in lines), D("0"))
    settled += sum((o.amount for o in ChargeOffset.objects.filter(charge=charge)), D("0"))
    return charge.amount - settled


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_stored_balances_equal_the_rows_after_any_steps(assistant, manager, steps):
    with transaction.atomic():
        tenant = TenantFactory()
        charges = [bill(assistant, tenant, amount) for amount in ("100.00", "60.00", "0.50")]
        receipts: list[Receipt] = []
        for step in steps:
            name = step[0]
            if name == "pay":
                charge = charges[step[1]]
                _try(lambda c=charge, a=step[2]: receipts.append(pay(assistant, c, a)))
            elif name == "void" and receipts:
                receipt = receipts[step[1] % len(receipts)]
                _try(lambda r=receipt: void(r, assistant, manager))
            elif name == "reverse" and receipts:
                receipt = receipts[step[1] % len(receipts)]
                _try(lambda r=receipt: reverse_on_a_closed_day(r, manager))
            elif name == "offset":
                charge = charges[step[1]]
                _try(
                    lambda c=charge, a=step[2]: charge_offset(
                        by=manager, charge=c, amount=D(a), source="保证金扣款"
                    )
                )
            elif name == "cancel":
                charge = charges[step[1]]
                _try(lambda c=charge: charge_cancel(by=assistant, charge=c, reason="开错"))
        assert stale_charge_balances() == {}
        for charge in charges:
            assert ChargeBalance.objects.get(charge=charge).owed == _expected(charge)
        transaction.set_rollback(True)


def test_a_page_of_the_biggest_debtors_carries_each_ones_bands(client, finance, assistant):
    today = timezone.localdate()
    for number in range(55):  # 戊00 owes 1.00 due today and 1.00 long overdue, 戊01 2.00 ...
        tenant = TenantFactory(name=f"戊{number:02d}")
        for due in (today, today - timedelta(days=100)):
            bill(
                assistant, tenant, f"{number + 1}.00", billed_on=due - timedelta(days=5), due_on=due
            )
    client.force_login(finance)
    url = reverse("fees:charge_ageing")
    rows = [*client.get(url).context["page"], *client.get(url, {"page": 2}).context["page"]]
    assert [row.tenant_name for row in rows] == [f"戊{n:02d}" for n in reversed(range(55))]
    assert [row.buckets for row in rows[:2]] == [
        [D("55.00"), D("0"), D("0"), D("0"), D("55.00")],
        [D("54.00"), D("0"), D("0"), D("0"), D("54.00")],
    ]
    whole = {row.tenant_name: row.buckets for row in ageing(today).rows}
    assert [row.buckets for row in rows] == [whole[row.tenant_name] for row in rows]
