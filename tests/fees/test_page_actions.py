"""What a receipt's, a permit's and a charge's page offers to whom: decided by the selectors
(from the state enums' moves and the user's permissions), never by the views."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fees.enums import PayerKind, PermitStatus
from fees.models import Charge, DailyClose, FeeType, Permit
from fees.selectors.charges import charge_actions, charge_balances
from fees.selectors.permits import permit_actions
from fees.selectors.receipts import receipt_actions
from fees.services.charges import charge_bill, charge_cancel
from fees.services.permits import WorkerInput, permit_issue
from fees.services.receipts import LineInput, Payer, receipt_issue, receipt_request_void
from tests.factories.archives import ContractorFactory, TenantFactory, UnitFactory
from tests.factories.finance import issue

pytestmark = pytest.mark.django_db


def flags(actions) -> tuple[bool, ...]:
    return actions.can_request_void, actions.can_decide_void, actions.can_reverse


def test_a_receipt_of_an_open_day_is_voided_by_request_and_decision(assistant, manager):
    receipt = issue(assistant, ("permit_fee", "20.00", 1))
    day = DailyClose.objects.get(business_date=receipt.business_date)
    assert flags(receipt_actions(receipt, assistant, day=day, reversal=None)) == (
        True,
        False,
        False,
    )
    assert flags(receipt_actions(receipt, manager, day=day, reversal=None)) == (
        False,
        False,
        False,
    )
    receipt = receipt_request_void(receipt=receipt, by=assistant, reason="开错")
    assert flags(receipt_actions(receipt, manager, day=day, reversal=None)) == (
        False,
        True,
        False,
    )


def test_a_receipt_of_a_submitted_day_is_reversed_once(assistant, manager):
    receipt = issue(assistant, ("permit_fee", "20.00", 1))
    day = DailyClose.objects.get(business_date=receipt.business_date)
    day.state = "submitted"
    assert flags(receipt_actions(receipt, manager, day=day, reversal=None)) == (
        False,
        False,
        True,
    )
    assert flags(receipt_actions(receipt, manager, day=day, reversal=receipt)) == (
        False,
        False,
        False,
    )
    assert flags(receipt_actions(receipt, assistant, day=day, reversal=None)) == (
        False,
        False,
        False,
    )


def permit_of(assistant, status) -> Permit:
    today = timezone.localdate()
    _receipt, (permit,), _created = permit_issue(
        by=assistant,
        contractor=ContractorFactory(),
        unit=UnitFactory(),
        workers=[WorkerInput("张三", "passport", "E12345678", "13800138000")],
        valid_from=today,
        valid_to=today + timedelta(days=30),
        method="cash",
    )
    Permit.objects.filter(pk=permit.pk).update(status=status)
    permit.refresh_from_db()
    return permit


@pytest.mark.parametrize(
    "status, offered",
    [
        (PermitStatus.ACTIVE, (True, True, True, True)),
        (PermitStatus.EXPIRED, (False, True, True, False)),
        (PermitStatus.RETURNED, (False, False, False, False)),
        (PermitStatus.LOST, (False, False, False, False)),
    ],
)
def test_a_permits_card_is_printed_returned_or_reported_lost_while_in_use(
    assistant, finance, status, offered
):
    permit = permit_of(assistant, status)
    actions = permit_actions(permit, assistant, timezone.localdate())
    assert (
        actions.can_print,
        actions.can_return,
        actions.can_report_lost,
        actions.reissue_offered,
    ) == offered
    reader = permit_actions(permit, finance, timezone.localdate())
    assert (reader.can_print, reader.can_return, reader.can_report_lost) == (False, False, False)


def test_a_permit_past_its_last_day_reads_expired(assistant):
    permit = permit_of(assistant, PermitStatus.ACTIVE)
    later = permit.valid_to + timedelta(days=1)
    assert permit_actions(permit, assistant, later).status == PermitStatus.EXPIRED


def test_a_charge_is_cancelled_only_while_nothing_was_paid_on_it(assistant):
    tenant = TenantFactory()
    charge = charge_bill(
        by=assistant,
        tenant=tenant,
        unit=None,
        fee_type=FeeType.objects.get(code="waste_removal"),
        description="Waste removal, June",
        amount="300.00",
        billed_on=date(2025, 6, 1),
        due_on=date(2025, 7, 1),
    )

    def read():
        actions = charge_actions(charge_balances(Charge.objects).get(pk=charge.pk), assistant)
        return actions.status, actions.is_open, actions.can_cancel

    assert read() == ("open", True, True)
    receipt_issue(
        by=assistant,
        payer=Payer(kind=PayerKind.TENANT, tenant=tenant),
        lines=[LineInput(fee_type=charge.fee_type, unit_price=Decimal("100.00"), charge=charge)],
        method="cash",
    )
    assert read() == ("part_paid", True, False)
    other = charge_bill(
        by=assistant,
        tenant=tenant,
        unit=None,
        fee_type=charge.fee_type,
        description="Waste removal, July",
        amount="300.00",
        billed_on=date(2025, 7, 1),
        due_on=date(2025, 8, 1),
    )
    charge_cancel(by=assistant, charge=other, reason="duplicate")
    charge = other
    assert read() == ("cancelled", False, False)
