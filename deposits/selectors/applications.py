"""Reads about decorations: their permits, inspections and open violations."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from config.workdays import is_estimate, working_days_between
from deposits.enums import EXTENDABLE, FINISHED, TAKING, WORKING, ApplicationStatus
from deposits.models import DecorationApplication, Inspection, Violation
from fees.enums import PermitStatus
from fees.models import Permit

# A permit whose card is accounted for: back at the desk, charged as lost, or never valid
# (its receipt voided).
PERMIT_ENDED = {PermitStatus.RETURNED, PermitStatus.LOST, PermitStatus.CANCELLED}

MANAGE = "deposits.manage_decoration"
APPROVE = "deposits.approve_decoration"
TAKE = "deposits.take_deposit"


def application_permits(application: DecorationApplication) -> QuerySet[Permit]:
    """The worker permits linked to the decoration, in number order."""
    return Permit.objects.filter(decoration_link__application=application).order_by("number")


def permits_not_ended(application: DecorationApplication) -> QuerySet[Permit]:
    """The decoration's permits whose card is still out (active, or expired and not back)."""
    return application_permits(application).exclude(status__in=PERMIT_ENDED)


def last_inspection(application: DecorationApplication) -> Inspection | None:
    return application.inspections.order_by("-inspected_on", "-pk").first()


def open_violations(
    *, application: DecorationApplication | None = None, tenant=None
) -> QuerySet[Violation]:
    """Unresolved violations that concern a decoration (recorded against it, or against its
    tenant or unit and no other decoration), or else a tenant; oldest first."""
    rows = Violation.objects.filter(resolved_on__isnull=True)
    if application is not None:
        loose = Q(application__isnull=True) & (
            Q(tenant=application.tenant) | Q(tenant__isnull=True, unit=application.unit)
        )
        rows = rows.filter(Q(application=application) | loose)
    elif tenant is not None:
        rows = rows.filter(tenant=tenant)
    else:
        return Violation.objects.none()
    return rows.order_by("occurred_on", "pk")


# --- the application's page ---------------------------------------------------------------

# The malls' rule: a decoration application is answered within 1–5 working days.
APPROVAL_TARGET_DAYS = 5


@dataclass
class ApprovalTime:
    """Working days from the submission to the decision (or to today, while it waits)."""

    days: int
    decided: bool
    estimate: bool  # a year without the State Council's notice: weekdays stand in

    @property
    def over_target(self) -> bool:
        return self.days > APPROVAL_TARGET_DAYS

    @property
    def target(self) -> int:
        return APPROVAL_TARGET_DAYS


def approval_time(application: DecorationApplication, today: date) -> ApprovalTime:
    submitted = timezone.localdate(application.submitted_at)
    decided = application.decided_at is not None
    end = timezone.localdate(application.decided_at) if decided else today
    years = range(submitted.year, end.year + 1)
    return ApprovalTime(
        days=working_days_between(submitted, end),
        decided=decided,
        estimate=any(is_estimate(date(year, 1, 1)) for year in years),
    )


@dataclass
class ApplicationActions:
    """What ``user`` may do to the application now (the services check again)."""

    decide: bool = False
    own_work: bool = False  # a manager who registered it: another must decide it
    start: bool = False
    extend: bool = False
    inspect: bool = False
    close: bool = False
    permits: bool = False
    take_deposit: bool = False
    add_document: bool = False
    record_violation: bool = False

    @property
    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__ if name != "own_work")


def application_actions(application: DecorationApplication, user, *, holds_deposit: bool):
    status = ApplicationStatus(application.status)
    manage = user.has_perm(MANAGE)
    actions = ApplicationActions()
    if status == ApplicationStatus.SUBMITTED and user.has_perm(APPROVE):
        actions.own_work = application.submitted_by_id == user.pk
        actions.decide = not actions.own_work
    if manage:
        actions.start = status.can_become(ApplicationStatus.IN_PROGRESS)
        actions.extend = status in EXTENDABLE
        actions.inspect = status.can_become(ApplicationStatus.PASSED)
        actions.close = status.can_become(ApplicationStatus.CLOSED)
        actions.permits = status in WORKING
        actions.add_document = status not in FINISHED
        actions.record_violation = status not in FINISHED
    actions.take_deposit = user.has_perm(TAKE) and status in TAKING and not holds_deposit
    return actions
