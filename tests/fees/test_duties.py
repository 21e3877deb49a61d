"""Separation of duties: the person who issued a receipt, asked for its void or counted the
day never approves, receives or signs off the same thing, superuser or not; somebody else
with the right may. Each pair is tried through the service and, for the buttons, the page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from config.roles import Role
from fees.enums import DayState, ReceiptStatus
from fees.models import Discrepancy
from fees.selectors.days import day_get
from fees.services import days
from fees.services.receipts import (
    receipt_approve_void,
    receipt_reject_void,
    receipt_request_void,
    receipt_reverse,
)
from tests.factories.finance import close_day, issue, move

pytestmark = pytest.mark.django_db
D = Decimal

OWN_VOID = "You issued this receipt or asked for its void: another manager must decide it."
OWN_REVERSAL = "You issued this receipt: another manager must reverse it."
OWN_DISCOUNT = "You cannot approve a discount on a receipt you issue: another manager must."
OWN_DAY = "You counted or submitted this day: another manager must approve or return it."
OWN_HANDOVER = "You counted or submitted this day: someone else in finance must receive its cash."
OWN_DISCREPANCY = (
    "You counted or submitted this day or received its cash: "
    "another manager must sign off its discrepancy."
)


@pytest.fixture
def boss(make_user):
    """A superuser: holds every permission, and still may not check their own work."""
    return make_user("boss", is_superuser=True)


@pytest.fixture
def desk_manager(make_user):
    """One person holding the desk's role and the manager's (a small centre's deputy)."""
    return make_user("deputy", Role.ASSISTANT, Role.MANAGER)


def refused(message):
    return pytest.raises(ValidationError, match=f"^\\['{message}'\\]$")


# --- voids -------------------------------------------------------------------------------


def test_a_superuser_neither_approves_nor_refuses_the_void_of_their_own_receipt(boss, manager):
    receipt = issue(boss, ("permit_fee", "20", 1))
    receipt_request_void(receipt=receipt, by=boss, reason="开错")
    with refused(OWN_VOID):
        receipt_approve_void(receipt=receipt, by=boss)
    with refused(OWN_VOID):
        receipt_reject_void(receipt=receipt, by=boss)
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.VOID_REQUESTED

    receipt = receipt_approve_void(receipt=receipt, by=manager)
    assert (receipt.status, receipt.voided_by) == (ReceiptStatus.VOID, manager)


def test_who_asked_for_the_void_does_not_decide_it(assistant, desk_manager, manager):
    receipt = issue(assistant, ("permit_fee", "20", 1))
    receipt_request_void(receipt=receipt, by=desk_manager, reason="重复")
    with refused(OWN_VOID):
        receipt_approve_void(receipt=receipt, by=desk_manager)
    receipt = receipt_reject_void(receipt=receipt, by=manager)
    assert receipt.status == ReceiptStatus.ISSUED


def test_who_issued_the_receipt_does_not_decide_its_void(desk_manager, assistant, manager):
    receipt = issue(desk_manager, ("permit_fee", "20", 1))
    receipt_request_void(receipt=receipt, by=assistant, reason="重复")
    with refused(OWN_VOID):
        receipt_approve_void(receipt=receipt, by=desk_manager)
    assert receipt_approve_void(receipt=receipt, by=manager).voided_by == manager


def test_the_receipt_page_offers_the_void_decision_to_another_manager_only(client, boss, manager):
    receipt = issue(boss, ("permit_fee", "20", 1))
    receipt_request_void(receipt=receipt, by=boss, reason="开错")
    approve = reverse("fees:receipt_approve_void", args=[receipt.pk])

    client.force_login(boss)
    page = client.get(receipt.get_absolute_url())
    actions = page.context["actions"]
    assert (actions.can_decide_void, actions.void_by_another) == (False, True)
    html = page.content.decode()
    assert (approve in html, 'id="void-by-another"' in html) == (False, True)
    # The button is not there, and the address refuses too, with the rule's message.
    response = client.post(approve, follow=True)
    assert [str(m) for m in response.context["messages"]] == [OWN_VOID]
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.VOID_REQUESTED

    client.force_login(manager)
    page = client.get(receipt.get_absolute_url())
    assert (page.context["actions"].can_decide_void, approve in page.content.decode()) == (
        True,
        True,
    )
    client.post(approve)
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.VOID


# --- reversals and discounts -------------------------------------------------------------


def submit_today(by, cash=None):
    day = days.day_record_count(
        day=day_get(timezone.localdate()), by=by, cash_count=cash or {D("20"): 1}, non_cash={}
    )
    return days.day_submit(day=day, by=by, explanations={})


def test_who_issued_a_receipt_does_not_reverse_it(boss, manager, client):
    yesterday = timezone.localdate() - timedelta(days=1)
    receipt = move(issue(boss, ("permit_fee", "20", 1)), yesterday)
    close_day(
        yesterday, assistant=boss, manager=None, finance=None, cash={"20": 1}, until="submitted"
    )
    with refused(OWN_REVERSAL):
        receipt_reverse(receipt=receipt, by=boss, reason="退款")

    client.force_login(boss)
    actions = client.get(receipt.get_absolute_url()).context["actions"]
    assert (actions.can_reverse, actions.reversal_by_another) == (False, True)

    reversal = receipt_reverse(receipt=receipt, by=manager, reason="退款")
    assert (reversal.total, reversal.cashier) == (D("-20.00"), manager)


def test_the_cashier_does_not_approve_their_own_discount(boss, manager):
    quarter_off = ("permit_fee", "20", 1, "5", "老客户")
    with refused(OWN_DISCOUNT):
        issue(boss, quarter_off, approver=boss)
    receipt = issue(boss, quarter_off, approver=manager)
    assert (receipt.total, receipt.discount_approved_by) == (D("15.00"), manager)


# --- the day -----------------------------------------------------------------------------


def test_who_counted_and_submitted_the_day_neither_approves_nor_returns_it(boss, manager):
    issue(boss, ("permit_fee", "20", 1))
    day = submit_today(boss)
    with refused(OWN_DAY):
        days.day_approve(day=day, by=boss)
    with refused(OWN_DAY):
        days.day_return(day=day, by=boss, comment="再数一遍")
    day.refresh_from_db()
    assert day.state == DayState.SUBMITTED

    day = days.day_approve(day=day, by=manager)
    assert (day.state, day.approved_by) == (DayState.APPROVED, manager)


def test_who_only_recounted_does_not_approve_either(assistant, desk_manager, manager):
    issue(assistant, ("permit_fee", "20", 1))
    today = day_get(timezone.localdate())
    days.day_record_count(day=today, by=assistant, cash_count={D("10"): 1}, non_cash={})
    days.day_record_count(day=today, by=desk_manager, cash_count={D("20"): 1}, non_cash={})
    day = days.day_submit(day=day_get(today.business_date), by=assistant, explanations={})
    with refused(OWN_DAY):
        days.day_approve(day=day, by=desk_manager)
    assert days.day_return(day=day, by=manager, comment="核对").state == DayState.OPEN


def test_who_submitted_a_day_another_counted_does_not_approve_it(assistant, desk_manager):
    issue(assistant, ("permit_fee", "20", 1))
    day = days.day_record_count(
        day=day_get(timezone.localdate()), by=assistant, cash_count={D("20"): 1}, non_cash={}
    )
    day = days.day_submit(day=day, by=desk_manager, explanations={})
    with refused(OWN_DAY):
        days.day_approve(day=day, by=desk_manager)


def test_who_counted_the_day_does_not_receive_its_cash(boss, manager, finance):
    issue(boss, ("permit_fee", "20", 1))
    day = days.day_approve(day=submit_today(boss), by=manager)
    with refused(OWN_HANDOVER):
        days.handover_confirm(day=day, by=boss, cash_received=D("20"), bag_number="B1")
    day.refresh_from_db()
    assert day.state == DayState.APPROVED

    handover = days.handover_confirm(day=day, by=finance, cash_received=D("20"), bag_number="B1")
    assert (handover.received_by, handover.difference) == (finance, D("0.00"))


def handed_over_short(*, counted_by, approved_by, received_by) -> Discrepancy:
    issue(counted_by, ("permit_fee", "20", 1))
    day = days.day_approve(day=submit_today(counted_by), by=approved_by)
    handover = days.handover_confirm(
        day=day, by=received_by, cash_received=D("15"), bag_number="B1"
    )
    return handover.discrepancy


def test_who_received_the_cash_does_not_sign_off_its_discrepancy(assistant, boss, manager):
    discrepancy = handed_over_short(counted_by=assistant, approved_by=manager, received_by=boss)
    assert discrepancy.amount == D("-5.00")
    with refused(OWN_DISCREPANCY):
        days.discrepancy_sign_off(discrepancy=discrepancy, by=boss, explanation="点错")
    signed = days.discrepancy_sign_off(discrepancy=discrepancy, by=manager, explanation="点错")
    assert (signed.signed_off_by, signed.explanation) == (manager, "点错")


def test_who_counted_the_day_does_not_sign_off_its_discrepancy(desk_manager, manager, finance):
    discrepancy = handed_over_short(
        counted_by=desk_manager, approved_by=manager, received_by=finance
    )
    with refused(OWN_DISCREPANCY):
        days.discrepancy_sign_off(discrepancy=discrepancy, by=desk_manager, explanation="点错")
    assert days.discrepancy_sign_off(
        discrepancy=discrepancy, by=manager, explanation="点错"
    ).signed_off_by == (manager)


def test_the_day_page_offers_each_step_to_someone_who_took_no_part(client, boss, manager, finance):
    issue(boss, ("permit_fee", "20", 1))
    day = submit_today(boss)
    url = day.get_absolute_url()
    approve = reverse("fees:day_approve", args=[day.business_date.isoformat()])

    client.force_login(boss)
    page = client.get(url)
    html = page.content.decode()
    assert (page.context["actions"].can_decide, 'id="approve-day"' in html) == (False, False)
    assert 'id="decide-by-another"' in html
    response = client.post(approve, follow=True)
    assert [str(m) for m in response.context["messages"]] == [OWN_DAY]
    day.refresh_from_db()
    assert day.state == DayState.SUBMITTED

    client.force_login(manager)
    page = client.get(url)
    assert (page.context["actions"].can_decide, 'id="approve-day"' in page.content.decode()) == (
        True,
        True,
    )
    client.post(approve)

    client.force_login(boss)
    html = client.get(url).content.decode()
    assert ('id="handover-form"' in html, 'id="receive-by-another"' in html) == (False, True)
    client.force_login(finance)
    html = client.get(url).content.decode()
    assert ('id="handover-form"' in html, 'id="receive-by-another"' in html) == (True, False)


def test_the_discrepancy_sign_off_is_offered_to_another_manager_only(
    client, assistant, boss, manager
):
    discrepancy = handed_over_short(counted_by=assistant, approved_by=manager, received_by=boss)
    url = discrepancy.handover.day.get_absolute_url()
    sign_off = reverse("fees:discrepancy_sign_off", args=[discrepancy.pk])

    client.force_login(boss)
    html = client.get(url).content.decode()
    assert (sign_off in html, 'id="sign-off-by-another"' in html) == (False, True)
    response = client.post(sign_off, {"explanation": "点错"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [OWN_DISCREPANCY]

    client.force_login(manager)
    html = client.get(url).content.decode()
    assert (sign_off in html, 'id="sign-off-by-another"' in html) == (True, False)
    client.post(sign_off, {"explanation": "点错"})
    discrepancy.refresh_from_db()
    assert (discrepancy.signed_off_by, discrepancy.explanation) == (manager, "点错")
