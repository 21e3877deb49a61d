"""What a receipt's, a permit's and a charge's page offers to whom: decided by the selectors
(from the state enums' moves and the user's permissions), never by the views."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fees.enums import DayState, PayerKind, PermitStatus
from fees.models import Charge, DailyClose, Permit
from fees.selectors.charges import charge_actions, charge_balances
from fees.selectors.permits import permit_actions
from fees.selectors.receipts import receipt_actions
from fees.services.charges import charge_cancel
from fees.services.permits import WorkerInput, permit_issue
from fees.services.receipts import LineInput, Payer, receipt_issue, receipt_request_void
from tests.factories.archives import ContractorFactory, TenantFactory, UnitFactory
from tests.factories.finance import billed_charge, issue

pytestmark = pytest.mark.django_db


# (request a void, decide a void, reverse)
NOTHING, REQUEST_VOID = (False, False, False), (True, False, False)
DECIDE_VOID, REVERSE = (False, True, False), (False, False, True)


def offered(receipt, user, day, reversal=None) -> tuple[bool, bool, bool]:
    actions = receipt_actions(receipt, user, day=day, reversal=reversal)
    return actions.can_request_void, actions.can_decide_void, actions.can_reverse


def test_a_receipt_of_an_open_day_is_voided_by_request_and_decision(assistant, manager):
    receipt = issue(assistant, ("permit_fee", "20.00", 1))
    day = DailyClose.objects.get(business_date=receipt.business_date)
    assert (offered(receipt, assistant, day), offered(receipt, manager, day)) == (
        REQUEST_VOID,
        NOTHING,
    )
    receipt = receipt_request_void(receipt=receipt, by=assistant, reason="开错")
    assert offered(receipt, manager, day) == DECIDE_VOID


def test_a_receipt_of_a_submitted_day_is_reversed_once(assistant, manager):
    receipt = issue(assistant, ("permit_fee", "20.00", 1))
    day = DailyClose(business_date=receipt.business_date, state=DayState.SUBMITTED)
    assert offered(receipt, manager, day) == REVERSE
    assert offered(receipt, manager, day, reversal=receipt) == NOTHING
    assert offered(receipt, assistant, day) == NOTHING


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
    charge, other = billed_charge(assistant, tenant), billed_charge(assistant, tenant, month=7)

    def read(charge):
        actions = charge_actions(charge_balances(Charge.objects).get(pk=charge.pk), assistant)
        return actions.status, actions.is_open, actions.can_cancel

    assert read(charge) == ("open", True, True)
    receipt_issue(
        by=assistant,
        payer=Payer(kind=PayerKind.TENANT, tenant=tenant),
        lines=[LineInput(fee_type=charge.fee_type, unit_price=Decimal("100.00"), charge=charge)],
        method="cash",
    )
    assert read(charge) == ("part_paid", True, False)
    charge_cancel(by=assistant, charge=other, reason="duplicate")
    assert read(other) == ("cancelled", False, False)
