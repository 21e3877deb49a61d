"""Reads of cases that the pages, the panels and the work order share. A department's user
sees the cases of its departments only; the desk, the manager and the auditor see all."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from complaints.enums import OPEN, WITH_DEPARTMENT, CaseStatus
from complaints.models import Callback, Case, CaseAction, Department
from config.business_hours import add_business_hours
from config.dates import day_bounds

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


def due_soon_threshold(now=None) -> datetime:
    """Open cases due before this moment (and not yet overdue) are due soon."""
    return add_business_hours(now or timezone.now(), settings.CASE_DUE_SOON_HOURS)


def due_soon_cases(now=None) -> QuerySet[Case]:
    """Open cases not waiting on the tenant, due within the next business hours."""
    now = now or timezone.now()
    return (
        open_cases()
        .filter(paused_at__isnull=True, due_at__gte=now, due_at__lt=due_soon_threshold(now))
        .order_by("due_at", "pk")
    )


def cases_logged_on(day: date) -> QuerySet[Case]:
    start, end = day_bounds(day)
    return case_rows().filter(received_at__gte=start, received_at__lt=end)


@dataclass(frozen=True)
class CasesOfDay:
    logged: int
    resolved: int
    called_back: int


def cases_of_day(day: date) -> CasesOfDay:
    """What the desk's cases came to on ``day`` (the daily report): logged, resolved, and
    the callbacks made."""
    start, end = day_bounds(day)
    return CasesOfDay(
        logged=cases_logged_on(day).count(),
        resolved=Case.objects.filter(resolved_at__gte=start, resolved_at__lt=end).count(),
        called_back=Callback.objects.filter(called_on=day).count(),
    )


def callbacks_due(today: date) -> QuerySet[Case]:
    """Resolved cases whose callback is due today or was due before, the longest due first."""
    return (
        case_rows()
        .filter(status=CaseStatus.RESOLVED, callback_due_on__lte=today)
        .order_by("callback_due_on", "pk")
    )


def callbacks_waiting() -> QuerySet[Case]:
    """Every resolved case still waiting for its callback, the longest due first."""
    return case_rows().filter(status=CaseStatus.RESOLVED).order_by("callback_due_on", "pk")


RECENT_SHOWN = 5


def unit_recent_cases(unit) -> list[Case]:
    """The unit's latest cases, newest first, for the desk logging another."""
    rows = Case.objects.select_related("category__parent").filter(unit=unit)
    return list(rows.order_by("-received_at", "-id")[:RECENT_SHOWN])


def repeats_of(*, unit, category, at: datetime) -> list[Case]:
    """Cases of the same unit and category logged within settings.CASE_REPEAT_DAYS before
    ``at``: a new one is a repeat (重复投诉)."""
    if unit is None or category is None:
        return []
    since = at - timedelta(days=settings.CASE_REPEAT_DAYS)
    rows = Case.objects.filter(unit=unit, category=category, received_at__gte=since)
    return list(rows.order_by("-received_at", "-id")[:RECENT_SHOWN])


def departments_cases(user) -> QuerySet[Case]:
    """The cases given to the departments ``user`` works in. Their keys in a subquery, so that
    the cases are read on the (department, status) index and joined to no member row."""
    departments = Department.objects.filter(members=user).values("pk")
    return case_rows().filter(department__in=departments)


def department_open_cases(user) -> QuerySet[Case]:
    return departments_cases(user).filter(status__in=WITH_DEPARTMENT).order_by("due_at", "pk")


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
