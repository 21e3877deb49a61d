"""The shift handover's services: the draft, the submission that writes in the other apps'
open work as their own selectors count it (and keeps it so), and the incoming person's
answers line by line."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from archives.selectors import loans_due_on, overdue_loans
from archives.services import loan_lend
from attendance.models import HandoverState, ItemAnswer, ItemKind
from attendance.services.handovers import (
    handover_acknowledge_all,
    handover_item_answer,
    handover_submit,
)
from complaints.enums import CaseStatus
from complaints.selectors.cases import callbacks_due, overdue_cases, unassigned_cases
from config.roles import Role
from deposits.enums import RefundStatus
from deposits.selectors.ledger import refunds_by_step
from fees.enums import DayState
from fees.selectors.days import open_days_with_receipts
from tests.factories.archives import file_document, tenant_file
from tests.factories.attendance_diary import desk, diary_clock, handover_of, member  # noqa: F401
from tests.factories.complaints import case_in
from tests.factories.deposits import RefundFactory
from tests.factories.fees import DailyCloseFactory
from tests.factories.people import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """The outgoing assistant (李娜) and the incoming one (王芳), each with a login."""
    out_user, out_staff = desk("desk-out", "李娜")
    in_user, in_staff = desk("desk-in", "王芳")
    return out_user, out_staff, in_user, in_staff


def _open_work(clock):
    """One of each: a new case, an overdue one, a callback due, a loan due today and an
    overdue one, refunds at three steps, and the day's close submitted."""
    clock.set(2026, 11, 20, 10)
    case_in(CaseStatus.ASSIGNED, visitor_name="赵先生")  # overdue by 2 December
    case_in(CaseStatus.RESOLVED, visitor_name="钱女士")  # callback due by then
    lender = staff(Role.ASSISTANT)
    made = tenant_file(by=lender)
    loan_lend(
        by=lender,
        item=file_document(made, "move_in_form", by=lender),
        borrower=lender,
        due_on=date(2026, 11, 25),
    )
    clock.set(2026, 12, 2, 8)
    loan_lend(
        by=lender,
        item=file_document(tenant_file(by=lender), "move_in_form", by=lender),
        borrower=lender,
        due_on=date(2026, 12, 2),
    )
    case_in(CaseStatus.NEW, visitor_name="孙先生")
    RefundFactory(status=RefundStatus.REQUESTED)
    RefundFactory(status=RefundStatus.APPROVED)
    RefundFactory(status=RefundStatus.RETURNED)
    _day_state(DayState.SUBMITTED)


def _day_state(state: str) -> None:
    """Today's close put in ``state`` directly (the receipts above opened its row)."""
    day = DailyCloseFactory(business_date=date(2026, 12, 2))
    type(day).objects.filter(pk=day.pk).update(state=state)


def _figures(handover) -> dict:
    return {
        item.code: (item.quantity, item.detail)
        for item in handover.items.filter(kind=ItemKind.OPEN_WORK)
    }


def test_draft_lists_the_things_and_matters_with_their_counts(clock, pair):
    out_user, out_staff, _in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, matters=("A-1-05 漏水待回访", " ", "交钥匙给保安"))
    lines = [(i.position, i.kind, i.label, i.quantity) for i in handover.items.all()]
    assert lines == [
        (1, ItemKind.CASH_FLOAT, "cash float", Decimal("500.00")),
        (2, ItemKind.CABINET_KEYS, "archive cabinet keys", Decimal("3.00")),
        (3, ItemKind.PERMIT_CARDS, "permit card stock", Decimal("42.00")),
        (4, ItemKind.MATTER, "A-1-05 漏水待回访", None),
        (5, ItemKind.MATTER, "交钥匙给保安", None),
    ]
    assert handover.state == HandoverState.DRAFT
    assert handover.outgoing == out_staff


def test_submitting_writes_in_the_other_apps_figures_as_their_selectors_count(clock, pair):
    out_user, _out, _in_user, in_staff = pair
    _open_work(clock)
    clock.set(2026, 12, 2, 17)
    handover = handover_of(out_user, in_staff, submit=True)
    figures = _figures(handover)
    today = date(2026, 12, 2)
    steps = refunds_by_step()
    expected = {
        "unassigned_cases": unassigned_cases().count(),
        "overdue_cases": overdue_cases(clock.now).count(),
        "callbacks_due": callbacks_due(today).count(),
        "loans_due_today": loans_due_on(today).count(),
        "overdue_loans": overdue_loans(today).count(),
        "refunds_to_prepare": steps["to_prepare"],
        "refunds_to_approve": steps["requested"],
        "refunds_to_pay": steps["approved"],
        "refunds_returned": steps["returned"],
        "days_not_submitted": open_days_with_receipts(before=today).count(),
    }
    assert {code: q for code, (q, _d) in figures.items() if code != "day_close"} == {
        code: Decimal(n) for code, n in expected.items()
    }
    # The street built above, counted by hand: the selectors count what was made.
    assert expected == {
        "unassigned_cases": 1,
        "overdue_cases": 1,
        "callbacks_due": 1,
        "loans_due_today": 1,
        "overdue_loans": 1,
        "refunds_to_prepare": 0,
        "refunds_to_approve": 1,
        "refunds_to_pay": 1,
        "refunds_returned": 1,
        "days_not_submitted": 0,
    }
    assert figures["day_close"] == (None, "submitted")
    assert figures["unassigned_cases"][1] == f"{unassigned_cases().get().number} · 孙先生"
    assert handover.state == HandoverState.SUBMITTED
    assert handover.notes == "一切正常"
    assert handover.submitted_at == clock.now


def test_the_snapshot_stays_as_handed_over_when_the_records_change(clock, pair):
    out_user, _out, _in_user, in_staff = pair
    _open_work(clock)
    handover = handover_of(out_user, in_staff, submit=True)
    before = _figures(handover)
    case_in(CaseStatus.NEW, visitor_name="周先生")
    _day_state(DayState.OPEN)  # the new refund's receipt goes on today's open day
    RefundFactory(status=RefundStatus.REQUESTED)
    _day_state(DayState.APPROVED)
    assert refunds_by_step()["requested"] == 2
    assert unassigned_cases().count() == 2
    assert _figures(handover) == before
    assert before["unassigned_cases"][0] == Decimal("1")
    assert before["refunds_to_approve"][0] == Decimal("1")
    assert before["day_close"] == (None, "submitted")


def test_the_incoming_acknowledges_every_line(clock, pair):
    out_user, _out, in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    clock.set(2026, 12, 2, 12, 30)
    done = handover_acknowledge_all(handover=handover, by=in_user)
    assert done.state == HandoverState.ACKNOWLEDGED
    assert done.acknowledged_at == clock.now
    answers = set(handover.items.values_list("answer", flat=True))
    assert answers == {ItemAnswer.ACKNOWLEDGED}
    assert handover.items.count() == 15  # 3 things, 1 matter, 11 figures


def test_a_disputed_line_ends_the_handover_disputed(clock, pair):
    out_user, _out, in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    cash = handover.items.get(kind=ItemKind.CASH_FLOAT)
    handover_item_answer(item=cash, by=in_user, disputed=True, note="只点到 450.00 元")
    cash.refresh_from_db()
    assert (cash.answer, cash.answer_note) == (ItemAnswer.DISPUTED, "只点到 450.00 元")
    handover.refresh_from_db()
    assert handover.state == HandoverState.SUBMITTED  # other lines still to answer
    for item in handover.items.filter(answer=ItemAnswer.PENDING):
        handover_item_answer(item=item, by=in_user)
    handover.refresh_from_db()
    assert handover.state == HandoverState.DISPUTED
    assert handover.acknowledged_at == clock.now


def test_a_dispute_needs_a_note_and_a_line_is_answered_once(clock, pair):
    out_user, _out, in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    keys = handover.items.get(kind=ItemKind.CABINET_KEYS)
    with pytest.raises(ValidationError) as refused:
        handover_item_answer(item=keys, by=in_user, disputed=True, note="  ")
    assert refused.value.message_dict == {"note": ["Say what is disputed."]}
    handover_item_answer(item=keys, by=in_user)
    with pytest.raises(ValidationError) as again:
        handover_item_answer(item=keys, by=in_user, disputed=True, note="少一把")
    assert again.value.messages == ["This line was answered already."]
    keys.refresh_from_db()
    assert keys.answer == ItemAnswer.ACKNOWLEDGED


def test_the_outgoing_person_cannot_acknowledge(clock, pair):
    out_user, _out, _in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    with pytest.raises(PermissionDenied) as refused:
        handover_acknowledge_all(handover=handover, by=out_user)
    assert str(refused.value) == "Nobody acknowledges a handover they handed over."
    with pytest.raises(PermissionDenied):
        handover_item_answer(item=handover.items.first(), by=out_user)
    handover.refresh_from_db()
    assert handover.state == HandoverState.SUBMITTED


def test_only_the_incoming_person_acknowledges(clock, pair):
    out_user, _out, _in_user, in_staff = pair
    handover = handover_of(out_user, in_staff, submit=True)
    other, _staff = desk("desk-other", "张伟")
    with pytest.raises(PermissionDenied) as refused:
        handover_acknowledge_all(handover=handover, by=other)
    assert str(refused.value) == "Only the incoming member of staff acknowledges a handover."


def test_a_draft_is_not_acknowledged_and_a_submitted_one_not_submitted_again(clock, pair):
    out_user, _out, in_user, in_staff = pair
    handover = handover_of(out_user, in_staff)
    with pytest.raises(ValidationError) as refused:
        handover_acknowledge_all(handover=handover, by=in_user)
    assert refused.value.messages == ["This handover is not waiting for acknowledgement."]
    handover_submit(handover=handover, by=out_user)
    with pytest.raises(ValidationError) as again:
        handover_submit(handover=handover, by=out_user)
    assert again.value.messages == ["This handover was submitted: it is not changed any more."]


def test_a_handover_goes_to_somebody_else_with_a_login(clock, pair):
    out_user, out_staff, _in_user, _in = pair
    with pytest.raises(ValidationError) as to_self:
        handover_of(out_user, out_staff)
    assert to_self.value.message_dict == {"incoming": ["A handover is given to somebody else."]}
    nobody = member(UserFactory(username="no-login-yet"), "陈静")
    nobody.user = None
    nobody.save()
    with pytest.raises(ValidationError) as no_login:
        handover_of(out_user, nobody)
    assert no_login.value.message_dict == {
        "incoming": ["The incoming member of staff must have a login to acknowledge."]
    }


def test_roles_without_the_permission_are_refused(clock, pair):
    _out_user, _out, _in_user, in_staff = pair
    manager = staff(Role.MANAGER)
    member(manager, "刘经理")
    with pytest.raises(PermissionDenied):
        handover_of(manager, in_staff)
