"""The cases' services: every allowed and every refused transition, the roles, the due time
in business hours and the pause, and the timeline each step writes."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.enums import CaseStatus
from complaints.models import Case, CaseAction
from complaints.services import cases as svc
from config.roles import Role
from tests.complaints.conftest import SHANGHAI
from tests.factories.archives import OccupancyFactory
from tests.factories.complaints import DepartmentFactory, case_in, worker
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db

ALL = list(CaseStatus)


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def kinds(case):
    return list(CaseAction.objects.filter(case=case).values_list("kind", "status"))


@pytest.fixture
def engineering():
    return DepartmentFactory(code="engineering", name="工程部")


@pytest.fixture
def member(engineering):
    return worker(engineering)


def test_the_desk_logs_a_visitors_case_due_in_business_hours(clock, assistant):
    clock.set(2026, 11, 27, 17)  # Friday 17:00, high: 8 business hours
    case = svc.case_receive(
        by=assistant,
        kind="complaint",
        channel="walk_in",
        description="  夜间噪音扰民  ",
        priority="high",
        visitor_name="张先生",
        visitor_phone="138 1234 5678",
    )
    assert (case.status, case.description, case.visitor_phone) == (
        "new",
        "夜间噪音扰民",
        "13812345678",
    )
    assert (case.received_by, case.received_at) == (assistant, at(2026, 11, 27, 17))
    assert case.due_at == at(2026, 11, 30, 16)
    assert kinds(case) == [("received", "new")]
    assert case.history.count() == 1


def test_a_unit_names_its_current_tenant(clock, assistant):
    occupancy = OccupancyFactory()
    case = svc.case_receive(
        by=assistant, kind="repair", channel="phone", description="空调漏水", unit=occupancy.unit
    )
    assert (case.unit, case.tenant, case.raised_by) == (
        occupancy.unit,
        occupancy.tenant,
        occupancy.tenant.name,
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"visitor_name": ""}, "visitor_name", "Name the unit or the tenant"),
        ({"visitor_phone": ""}, "visitor_phone", "A visitor's case needs a phone number"),
        ({"visitor_phone": "12812345678"}, "visitor_phone", "starts with 1 followed by 3 to 9"),
        ({"visitor_phone": "057187654"}, "visitor_phone", "area code"),
        ({"description": " "}, "description", "Say what the case is about."),
        ({"priority": "whenever"}, "priority", "Choose one of the listed values."),
    ],
)
def test_a_case_refused_says_why_and_writes_nothing(clock, assistant, fields, field, message):
    data = {
        "kind": "complaint",
        "channel": "phone",
        "description": "噪音",
        "visitor_name": "张先生",
        "visitor_phone": "13812345678",
    } | fields
    with pytest.raises(ValidationError) as refused:
        svc.case_receive(by=assistant, **data)
    assert refused.value.field == field
    assert message in refused.value.messages[0]
    assert Case.objects.count() == 0


def test_a_landline_is_a_phone_too(clock, assistant):
    case = svc.case_receive(
        by=assistant,
        kind="enquiry",
        channel="phone",
        description="营业时间",
        visitor_name="李女士",
        visitor_phone="0571-87654321",
    )
    assert case.visitor_phone == "0571-87654321"


@pytest.mark.parametrize("role", ["department", "finance", "auditor"])
def test_only_the_desk_and_the_manager_log_cases(clock, request, role):
    with pytest.raises(PermissionDenied):
        svc.case_receive(
            by=request.getfixturevalue(role),
            kind="complaint",
            channel="phone",
            description="噪音",
            visitor_name="张先生",
            visitor_phone="13812345678",
        )


def test_the_whole_flow_writes_the_timeline(clock, assistant, manager, engineering, member):
    case = case_in(department=engineering)
    case = svc.case_assign(by=assistant, case=case, department=engineering, note="请尽快")
    clock.set(2026, 11, 30, 11)
    case = svc.case_start(by=member, case=case)
    case = svc.case_update(by=member, case=case, note="已上门查看")
    case = svc.case_resolve(by=member, case=case, resolution="更换水管")
    assert (case.status, case.resolved_by, case.resolved_at) == (
        "resolved",
        member,
        at(2026, 11, 30, 11),
    )
    assert kinds(case) == [
        ("received", "new"),
        ("assigned", "assigned"),
        ("started", "in_progress"),
        ("updated", "in_progress"),
        ("resolved", "resolved"),
    ]
    assert CaseAction.objects.get(case=case, kind="assigned").department == engineering


def test_waiting_on_the_tenant_pauses_the_clock(clock, engineering, member):
    # Received Monday 10:00, normal (24 h): due Wednesday 16:00.
    case = case_in(CaseStatus.IN_PROGRESS, department=engineering)
    assert case.due_at == at(2026, 12, 2, 16)
    clock.set(2026, 12, 1, 11)
    case = svc.case_wait(by=member, case=case, note="等租户开门")
    assert (case.status, case.paused_at) == ("waiting", at(2026, 12, 1, 11))
    assert not case.is_overdue(at(2026, 12, 3, 17))  # paused: never late meanwhile
    clock.set(2026, 12, 3, 11)  # 18 business hours later
    case = svc.case_resume(by=member, case=case)
    assert (case.status, case.paused_at, case.due_at) == ("in_progress", None, at(2026, 12, 4, 16))


def test_a_wait_begun_when_late_moves_nothing(clock, engineering, member):
    case = case_in(CaseStatus.IN_PROGRESS, department=engineering, priority="urgent")
    assert case.due_at == at(2026, 11, 30, 14)
    clock.set(2026, 11, 30, 15)
    svc.case_wait(by=member, case=case, note="等租户")
    clock.set(2026, 12, 1, 15)
    case = svc.case_resolve(by=member, case=case, resolution="修好")
    assert case.due_at == at(2026, 11, 30, 14)


def test_a_member_of_another_department_works_none_of_it(clock, engineering):
    case = case_in(CaseStatus.ASSIGNED, department=engineering)
    security = DepartmentFactory(code="security", name="保安部")
    stranger = worker(security, "guard")
    with pytest.raises(ValidationError, match="not assigned to your department"):
        svc.case_start(by=stranger, case=case)
    assert Case.objects.get(pk=case.pk).status == "assigned"


def test_the_desk_does_not_work_a_case(clock, assistant, engineering):
    case = case_in(CaseStatus.ASSIGNED, department=engineering)
    with pytest.raises(PermissionDenied):
        svc.case_start(by=assistant, case=case)


# (service, the states it may act in, its arguments, who acts) — every other state refuses.
def _calls(assistant, manager, member, security):
    return {
        "assign": (
            {CaseStatus.NEW},
            lambda case: svc.case_assign(by=assistant, case=case, department=security),
        ),
        "reassign": (
            {"assigned", "in_progress", "waiting", "reopened"},
            lambda case: svc.case_reassign(
                by=manager, case=case, department=security, note="属保安职责"
            ),
        ),
        "start": (
            {"assigned", "reopened"},
            lambda case: svc.case_start(by=member, case=case),
        ),
        "wait": ({"in_progress"}, lambda case: svc.case_wait(by=member, case=case, note="等")),
        "resume": ({"waiting"}, lambda case: svc.case_resume(by=member, case=case)),
        "update": (
            {"assigned", "in_progress", "waiting", "reopened"},
            lambda case: svc.case_update(by=member, case=case, note="进展"),
        ),
        "resolve": (
            {"assigned", "in_progress", "waiting", "reopened"},
            lambda case: svc.case_resolve(by=member, case=case, resolution="已处理"),
        ),
        "close": (
            {"resolved"},
            lambda case: svc.case_close(by=manager, case=case, note="联系不上"),
        ),
    }


@pytest.mark.parametrize(
    "action", ["assign", "reassign", "start", "wait", "resume", "update", "resolve", "close"]
)
@pytest.mark.parametrize("status", ALL)
def test_every_transition_allowed_or_refused(
    clock, assistant, manager, engineering, member, action, status
):
    security = DepartmentFactory(code="security", name="保安部")
    allowed, call = _calls(assistant, manager, member, security)[action]
    case = case_in(status, department=engineering)
    before = (case.status, CaseAction.objects.filter(case=case).count())
    clock.set(2026, 11, 30, 15)
    if status in allowed:
        after = call(case)
        assert (
            after.status
            == {
                "assign": "assigned",
                "reassign": "assigned",
                "start": "in_progress",
                "wait": "waiting",
                "resume": "in_progress",
                "update": status,
                "resolve": "resolved",
                "close": "closed",
            }[action]
        )
        assert CaseAction.objects.filter(case=case).count() == before[1] + 1
    else:
        with pytest.raises(ValidationError):
            call(case)
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.status, CaseAction.objects.filter(case=case).count()) == before


def test_reassigning_needs_another_department_and_a_reason(clock, manager, engineering):
    case = case_in(CaseStatus.IN_PROGRESS, department=engineering)
    with pytest.raises(ValidationError, match="with this department already"):
        svc.case_reassign(by=manager, case=case, department=engineering, note="x")
    security = DepartmentFactory(code="security", name="保安部")
    with pytest.raises(ValidationError, match="Say why"):
        svc.case_reassign(by=manager, case=case, department=security, note=" ")
    case = svc.case_reassign(by=manager, case=case, department=security, note="属保安职责")
    assert (case.status, case.department) == ("assigned", security)


def test_only_the_manager_reassigns_and_closes(clock, assistant, engineering):
    case = case_in(CaseStatus.RESOLVED, department=engineering)
    with pytest.raises(PermissionDenied):
        svc.case_close(by=assistant, case=case, note="x")
    with pytest.raises(PermissionDenied):
        svc.case_reassign(by=assistant, case=case, department=engineering, note="x")


def test_the_resolver_does_not_close_without_a_callback(clock, engineering):
    boss = UserFactory(username="boss", roles=[Role.MANAGER, Role.DEPARTMENT])
    engineering.members.add(boss)
    case = case_in(CaseStatus.IN_PROGRESS, department=engineering)
    case = svc.case_resolve(by=boss, case=case, resolution="亲自处理")
    with pytest.raises(ValidationError, match="You resolved this case"):
        svc.case_close(by=boss, case=case, note="不用回访")
    assert Case.objects.get(pk=case.pk).status == "resolved"


def test_closing_without_a_callback_says_why(clock, manager, engineering):
    case = case_in(CaseStatus.RESOLVED, department=engineering)
    with pytest.raises(ValidationError, match="without a callback"):
        svc.case_close(by=manager, case=case)
    case = svc.case_close(by=manager, case=case, note="访客电话停机")
    assert (case.status, case.closed_by) == ("closed", manager)


def test_a_closed_case_has_its_history(clock, engineering):
    case = case_in(CaseStatus.CLOSED, department=engineering)
    reasons = [h.history_change_reason for h in case.history.order_by("history_date", "history_id")]
    assert reasons == ["received", "assigned", "work started", "resolved", "closed"]
