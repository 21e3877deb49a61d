"""Reads of the register that more than one page needs (home panels, search, lists)."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from archives.models import Occupancy, Tenant, Unit, UnitStatus


def tenants_due_for_verification(today: date) -> QuerySet[Tenant]:
    """Tenants whose details were never verified, or last verified over six months ago."""
    cutoff = today - timedelta(days=settings.TENANT_VERIFY_EVERY_DAYS)
    return Tenant.objects.filter(
        Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)
    ).order_by("last_verified_on", "name")


def leases_ending(today: date, within_days: int = 30) -> QuerySet[Occupancy]:
    return (
        Occupancy.objects.filter(
            handed_over_on__isnull=True,
            lease_ends_on__isnull=False,
            lease_ends_on__lte=today + timedelta(days=within_days),
        )
        .select_related("unit", "tenant")
        .order_by("lease_ends_on")
    )


def unit_counts_by_status() -> dict[str, int]:
    counts = dict(Unit.objects.values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in UnitStatus.values}


def current_occupancy(unit: Unit) -> Occupancy | None:
    return unit.occupancies.filter(handed_over_on__isnull=True).select_related("tenant").first()


def search_register(query: str, limit: int = 20) -> dict[str, list]:
    """The header's search box: unit code, tenant or contractor name, phone number."""
    query = query.strip()
    if not query:
        return {"units": [], "tenants": []}
    units = Unit.objects.filter(code__icontains=query).prefetch_related(
        Prefetch(
            "occupancies",
            queryset=Occupancy.objects.filter(handed_over_on__isnull=True).select_related("tenant"),
            to_attr="current_occupancies",
        )
    )[:limit]
    tenants = Tenant.objects.filter(
        Q(name__icontains=query) | Q(phone__contains=query) | Q(contact_name__icontains=query)
    ).prefetch_related("occupancies__unit")[:limit]
    return {"units": list(units), "tenants": list(tenants)}
