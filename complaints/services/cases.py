"""Cases: logged at the desk, assigned to a department, worked and resolved by it, given
to another department by the manager, closed by the manager after the callback. Every step
is a timestamped CaseAction written in the same transaction as the case."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from archives.models import Tenant, Unit
from archives.selectors import current_occupancy
from complaints.enums import (
    WITH_DEPARTMENT,
    ActionKind,
    CaseKind,
    CaseStatus,
    Channel,
    Priority,
)
from complaints.models import Callback, Case, CaseAction, Category, Department
from complaints.services.search import case_pieces_write
from complaints.validators import check_phone
from config.business_hours import add_business_hours, add_business_time, business_time_between
from config.permissions import require
from config.states import locked, save_change, transition
from config.validators import RuleError
from config.workdays import add_working_days

RECEIVE = "complaints.receive_case"
WORK = "complaints.work_case"
MANAGE = "complaints.manage_cases"


def service_hours(priority: str) -> float:
    """The priority's service level, in business hours (settings.CASE_SERVICE_HOURS)."""
    return settings.CASE_SERVICE_HOURS[priority]


def due_from(moment: datetime, priority: str) -> datetime:
    return add_business_hours(moment, service_hours(priority))


def _text(value: str, message: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleError(message, field=field)
    return value


def _act(case: Case, kind: str, *, by, at, note: str = "", department=None) -> CaseAction:
    return CaseAction.objects.create(
        case=case, kind=kind, by=by, at=at, note=note, department=department, status=case.status
    )


def _choices(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise RuleError(_("Choose one of the listed values."), field=field)
    return value


@transaction.atomic
def case_receive(
    *,
    by,
    kind: str,
    channel: str,
    description: str,
    priority: str = Priority.NORMAL,
    unit: Unit | None = None,
    tenant: Tenant | None = None,
    visitor_name: str = "",
    visitor_phone: str = "",
    category: Category | None = None,
    department: Department | None = None,
    note: str = "",
) -> Case:
    """Log a case as received now, due after its priority's service level; with a
    department, it is assigned at once. A unit without a tenant names its current one."""
    require(by, RECEIVE)
    _choices(kind, CaseKind, "kind")
    _choices(channel, Channel, "channel")
    _choices(priority, Priority, "priority")
    description = _text(description, _("Say what the case is about."), "description")
    visitor_name = (visitor_name or "").strip()
    visitor_phone = (visitor_phone or "").strip()
    if unit is not None and tenant is None:
        occupancy = current_occupancy(unit)
        tenant = occupancy.tenant if occupancy is not None else None
    if unit is None and tenant is None:
        if not visitor_name:
            raise RuleError(
                _("Name the unit or the tenant, or the visitor who raised the case."),
                field="visitor_name",
            )
        if not visitor_phone:
            raise RuleError(
                _("A visitor's case needs a phone number to call back."), field="visitor_phone"
            )
    if visitor_phone:
        visitor_phone = check_phone(visitor_phone, field="visitor_phone")
    now = timezone.now()
    case = Case(
        kind=kind,
        channel=channel,
        unit=unit,
        tenant=tenant,
        visitor_name=visitor_name,
        visitor_phone=visitor_phone,
        category=category,
        description=description,
        priority=priority,
        received_by=by,
        received_at=now,
        due_at=due_from(now, priority),
        status=CaseStatus.NEW,
    )
    save_change(case, gettext_noop("received"))
    case_pieces_write(case=case)
    _act(case, ActionKind.RECEIVED, by=by, at=now, note=(note or "").strip())
    if department is not None:
        case = case_assign(by=by, case=case, department=department)
    return case


def _department(department: Department | None) -> Department:
    if department is None or not department.active:
        raise RuleError(_("Choose an active department."), field="department")
    return department


@transaction.atomic
def case_assign(*, by, case: Case, department: Department, note: str = "") -> Case:
    """Give a new case to a department (派单)."""
    require(by, RECEIVE)
    case = locked(case)
    if case.status != CaseStatus.NEW:
        raise RuleError(
            _("Only a new case is assigned; the manager gives it to another department.")
        )
    transition(case, "status", CaseStatus.ASSIGNED)
    case.department = _department(department)
    save_change(case, gettext_noop("assigned"))
    _act(case, ActionKind.ASSIGNED, by=by, at=timezone.now(), note=note, department=department)
    return case


def _resume_clock(case: Case, now: datetime) -> None:
    """The case stops waiting: its due time moves on by the business time it waited, when
    it began waiting before it was due (a case already late stays late). The wait is kept
    (case.waited) to leave it out of the time to resolution."""
    if case.paused_at is None:
        return
    waited = business_time_between(case.paused_at, now)
    if case.paused_at < case.due_at:
        case.due_at = add_business_time(case.due_at, waited)
    case.waited += waited
    case.paused_at = None


def _hours(span: timedelta) -> Decimal:
    return (Decimal(span.total_seconds()) / 3600).quantize(Decimal("0.01"))


def _responded(case: Case, now: datetime) -> None:
    """The department's first step on the case (start, update or resolution) is its first
    response: the business hours since receipt are kept for the statistics."""
    if case.response_hours is None:
        case.response_hours = _hours(business_time_between(case.received_at, now))


@transaction.atomic
def case_reassign(*, by, case: Case, department: Department, note: str) -> Case:
    """The manager gives a case a department holds to another department; it is assigned
    there afresh (a wait on the tenant ends: the new department decides)."""
    require(by, MANAGE)
    case = locked(case)
    if case.status not in WITH_DEPARTMENT:
        raise RuleError(_("Only a case a department holds is reassigned."))
    department = _department(department)
    if department.pk == case.department_id:
        raise RuleError(_("The case is with this department already."), field="department")
    note = _text(note, _("Say why the case goes to another department."), "note")
    now = timezone.now()
    _resume_clock(case, now)
    if case.status != CaseStatus.ASSIGNED:
        transition(case, "status", CaseStatus.ASSIGNED)
    case.department = department
    save_change(case, gettext_noop("reassigned"))
    _act(case, ActionKind.REASSIGNED, by=by, at=now, note=note, department=department)
    return case


def _member(by, case: Case) -> None:
    """Only the members of the case's department work it."""
    require(by, WORK)
    if case.department_id is None or not case.department.members.filter(pk=by.pk).exists():
        raise RuleError(
            _("This case is not assigned to your department: only its members work on it.")
        )


@transaction.atomic
def case_start(*, by, case: Case, note: str = "") -> Case:
    """The department starts work on an assigned (or reopened) case."""
    case = locked(case)
    _member(by, case)
    if case.status not in {CaseStatus.ASSIGNED, CaseStatus.REOPENED}:
        raise RuleError(_("Work starts on an assigned or reopened case."))
    transition(case, "status", CaseStatus.IN_PROGRESS)
    now = timezone.now()
    _responded(case, now)
    save_change(case, gettext_noop("work started"))
    _act(case, ActionKind.STARTED, by=by, at=now, note=(note or "").strip())
    return case


@transaction.atomic
def case_wait(*, by, case: Case, note: str) -> Case:
    """The department waits on the tenant (an answer, access to the shop): the clock stops."""
    case = locked(case)
    _member(by, case)
    note = _text(note, _("Say what the case waits for."), "note")
    transition(
        case,
        "status",
        CaseStatus.WAITING,
        refusal=_("Only a case in progress waits on the tenant."),
    )
    now = timezone.now()
    case.paused_at = now
    save_change(case, gettext_noop("waiting on the tenant"))
    _act(case, ActionKind.WAITING, by=by, at=now, note=note)
    return case


@transaction.atomic
def case_resume(*, by, case: Case, note: str = "") -> Case:
    """The tenant answered: work goes on and the due time moves on by the wait."""
    case = locked(case)
    _member(by, case)
    if case.status != CaseStatus.WAITING:
        raise RuleError(_("Only a case waiting on the tenant resumes."))
    now = timezone.now()
    _resume_clock(case, now)
    transition(case, "status", CaseStatus.IN_PROGRESS)
    save_change(case, gettext_noop("resumed"))
    _act(case, ActionKind.RESUMED, by=by, at=now, note=(note or "").strip())
    return case


@transaction.atomic
def case_update(*, by, case: Case, note: str) -> Case:
    """The department says how the work goes (a visit, a part ordered); the state stays."""
    case = locked(case)
    _member(by, case)
    if case.status not in WITH_DEPARTMENT:
        raise RuleError(_("Updates are recorded on a case the department holds."))
    note = _text(note, _("Say what was done."), "note")
    now = timezone.now()
    if case.response_hours is None:
        _responded(case, now)
        save_change(case, gettext_noop("first response"))
    _act(case, ActionKind.UPDATED, by=by, at=now, note=note)
    return case


@transaction.atomic
def case_resolve(*, by, case: Case, resolution: str) -> Case:
    """The department says how it was put right; the desk calls back on the working day
    after (settings.CASE_CALLBACK_AFTER_WORKING_DAYS)."""
    case = locked(case)
    _member(by, case)
    resolution = _text(resolution, _("Say how the case was resolved."), "resolution")
    transition(
        case,
        "status",
        CaseStatus.RESOLVED,
        refusal=_("Only a case the department holds is resolved."),
    )
    now = timezone.now()
    _resume_clock(case, now)
    _responded(case, now)
    case.resolution_hours = _hours(business_time_between(case.received_at, now) - case.waited)
    case.resolution = resolution
    case.resolved_by, case.resolved_at = by, now
    case.callback_due_on = add_working_days(
        timezone.localdate(now), settings.CASE_CALLBACK_AFTER_WORKING_DAYS
    )
    save_change(case, gettext_noop("resolved"))
    _act(case, ActionKind.RESOLVED, by=by, at=now, note=resolution)
    return case


def case_reopen(*, by, case: Case, note: str, at: datetime) -> Case:
    """Back to its department after an unsatisfied callback, due anew from now (called
    inside callback_record, under its lock)."""
    transition(case, "status", CaseStatus.REOPENED)
    case.due_at = due_from(at, case.priority)
    case.resolved_by, case.resolved_at = None, None
    case.resolution_hours = None
    case.callback_due_on = None
    save_change(case, gettext_noop("reopened"))
    _act(case, ActionKind.REOPENED, by=by, at=at, note=note, department=case.department)
    return case


@transaction.atomic
def case_close(*, by, case: Case, note: str = "") -> Case:
    """The manager closes a resolved case after a satisfied callback. Without a callback
    (the visitor cannot be reached), only someone other than the resolver closes it, and
    says why."""
    require(by, MANAGE)
    case = locked(case)
    if case.status != CaseStatus.RESOLVED:
        raise RuleError(_("Only a resolved case is closed."))
    note = (note or "").strip()
    last = Callback.objects.filter(case=case, recorded_at__gte=case.resolved_at).first()
    if last is None:
        if case.resolved_by_id == by.pk:
            raise RuleError(
                _("You resolved this case: it is closed after its callback, or by someone else.")
            )
        note = _text(note, _("Say why the case closes without a callback."), "note")
    transition(case, "status", CaseStatus.CLOSED)
    now = timezone.now()
    case.closed_by, case.closed_at = by, now
    save_change(case, gettext_noop("closed"))
    _act(case, ActionKind.CLOSED, by=by, at=now, note=note)
    return case
