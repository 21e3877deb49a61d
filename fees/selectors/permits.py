"""Reads of worker permits that lists and home panels share.

A permit past its last day counts as expired here even before the nightly
``expire_permits`` command has written that status.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from fees.enums import PermitStatus
from fees.models import Permit


def permits_with_status(today: date) -> QuerySet[Permit]:
    """All permits, each annotated with ``current_status`` as of today."""
    return Permit.objects.select_related("contractor", "unit").annotate(
        current_status=Case(
            When(status=PermitStatus.ACTIVE, valid_to__lt=today, then=Value(PermitStatus.EXPIRED)),
            default=F("status"),
            output_field=CharField(),
        )
    )


def current_status(permit: Permit, today: date) -> str:
    if permit.status == PermitStatus.ACTIVE and permit.valid_to < today:
        return PermitStatus.EXPIRED
    return permit.status


def permits_expiring_soon(today: date) -> QuerySet[Permit]:
    """Active permits whose last day is within PERMIT_EXPIRY_WARNING_DAYS from today."""
    last = today + timedelta(days=settings.PERMIT_EXPIRY_WARNING_DAYS)
    return (
        permits_with_status(today)
        .filter(status=PermitStatus.ACTIVE, valid_to__gte=today, valid_to__lte=last)
        .order_by("valid_to", "number")
    )


def permits_not_returned(today: date) -> QuerySet[Permit]:
    """Cards past their validity that never came back (neither returned nor reported lost)."""
    return (
        permits_with_status(today)
        .filter(Q(status=PermitStatus.EXPIRED) | Q(status=PermitStatus.ACTIVE, valid_to__lt=today))
        .order_by("valid_to", "number")
    )


def card_printable(status: str) -> bool:
    """Only an active permit's card is printed: any other would open the gate for nothing."""
    return status == PermitStatus.ACTIVE


@dataclass(frozen=True)
class PermitActions:
    """What a user may do with a permit from its page; the services decide again."""

    status: PermitStatus
    can_print: bool
    can_return: bool
    can_report_lost: bool
    # A replacement card is offered only while the permit is still valid.
    reissue_offered: bool


def permit_actions(permit: Permit, user, today: date) -> PermitActions:
    status = PermitStatus(current_status(permit, today))
    may = user.has_perm("fees.issue_permit")
    return PermitActions(
        status=status,
        can_print=may and card_printable(status),
        can_return=may and status.can_become(PermitStatus.RETURNED),
        can_report_lost=may and status.can_become(PermitStatus.LOST),
        reissue_offered=status == PermitStatus.ACTIVE,
    )
