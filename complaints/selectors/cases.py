"""Reads of cases that the pages, the panels and the work order share. A department's user
sees the cases of its departments only; the desk, the manager and the auditor see all."""

from django.db.models import QuerySet
from django.utils import timezone

from complaints.enums import OPEN, WITH_DEPARTMENT, CaseStatus
from complaints.models import Case, CaseAction

RECEIVE = "complaints.receive_case"
WORK = "complaints.work_case"
MANAGE = "complaints.manage_cases"
CALLBACK = "complaints.record_callback"


def sees_all_cases(user) -> bool:
    return user.has_perm("complaints.view_case") and (
        not user.has_perm(WORK) or user.has_perm(RECEIVE) or user.has_perm(MANAGE)
    )


def case_rows() -> QuerySet[Case]:
    return Case.objects.select_related(
        "unit", "tenant", "department", "category__parent", "received_by"
    )


def visible_cases(user) -> QuerySet[Case]:
    rows = case_rows()
    if sees_all_cases(user):
        return rows
    return rows.filter(department__members=user)


def may_see(user, case: Case) -> bool:
    if sees_all_cases(user):
        return True
    return case.department_id is not None and case.department.members.filter(pk=user.pk).exists()


def open_cases() -> QuerySet[Case]:
    return case_rows().filter(status__in=OPEN)


def overdue_cases(now=None) -> QuerySet[Case]:
    """Open cases past their due time, not waiting on the tenant; the most late first."""
    return (
        open_cases()
        .filter(due_at__lt=now or timezone.now(), paused_at__isnull=True)
        .order_by("due_at", "pk")
    )


def unassigned_cases() -> QuerySet[Case]:
    return case_rows().filter(status=CaseStatus.NEW).order_by("due_at", "pk")


def department_open_cases(user) -> QuerySet[Case]:
    return (
        case_rows()
        .filter(status__in=WITH_DEPARTMENT, department__members=user)
        .order_by("due_at", "pk")
    )


def timeline(case: Case) -> QuerySet[CaseAction]:
    return CaseAction.objects.filter(case=case).select_related("by", "department")


def allowed_actions(case: Case, user) -> set[str]:
    """The actions whose buttons the case page shows to ``user`` (the services decide)."""
    status = case.status
    actions = set()
    if user.has_perm(RECEIVE) and status == CaseStatus.NEW:
        actions.add("assign")
    if user.has_perm(MANAGE):
        if status in WITH_DEPARTMENT:
            actions.add("reassign")
        if status == CaseStatus.RESOLVED and (
            case.resolved_by_id != user.pk
            or case.callbacks.filter(recorded_at__gte=case.resolved_at).exists()
        ):
            actions.add("close")
    if user.has_perm(CALLBACK) and status == CaseStatus.RESOLVED:
        actions.add("callback")
    member = (
        user.has_perm(WORK)
        and case.department_id is not None
        and case.department.members.filter(pk=user.pk).exists()
    )
    if member:
        if status in {CaseStatus.ASSIGNED, CaseStatus.REOPENED}:
            actions.add("start")
        if status == CaseStatus.IN_PROGRESS:
            actions.add("wait")
        if status == CaseStatus.WAITING:
            actions.add("resume")
        if status in WITH_DEPARTMENT:
            actions |= {"update", "resolve"}
    return actions
