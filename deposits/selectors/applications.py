"""Reads about decorations: their permits, inspections and open violations."""

from django.db.models import Q, QuerySet

from deposits.models import DecorationApplication, Inspection, Violation
from fees.enums import PermitStatus
from fees.models import Permit

# A permit whose card is accounted for: back at the desk, charged as lost, or never valid
# (its receipt voided).
PERMIT_ENDED = {PermitStatus.RETURNED, PermitStatus.LOST, PermitStatus.CANCELLED}


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
