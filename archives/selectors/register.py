"""Reads of the register that more than one page needs (home panels, search, lists)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet

from archives.models import Contractor, Occupancy, Tenant, Unit, UnitStatus
from config.search import Lookup, any_starts_with, starts_with


def tenants_due_for_verification(today: date) -> QuerySet[Tenant]:
    """Tenants whose details were never verified, or last verified over six months ago."""
    cutoff = today - timedelta(days=settings.TENANT_VERIFY_EVERY_DAYS)
    return (
        Tenant.objects.filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff))
        .select_related("last_verified_by")
        .order_by(F("last_verified_on").asc(nulls_first=True), "name", "pk")
    )


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


@dataclass(frozen=True)
class SearchScope:
    """What a user's search may look through: units, tenants, and tenants by mobile number
    (the view decides from the user's role)."""

    units: bool
    tenants: bool
    by_mobile: bool


@dataclass(frozen=True)
class SearchResults:
    units: list[Unit] = field(default_factory=list)
    tenants: list[Tenant] = field(default_factory=list)


def search_register(query: str, scope: SearchScope, limit: int = 20) -> SearchResults:
    """The header's search box: units by the start of their code; tenants by the start of
    their name, contact person and (within the scope) mobile number, each on its index.
    Nothing outside the scope is even looked up."""
    query = query.strip()
    if not query:
        return SearchResults()
    units, tenants = [], []
    if scope.units:
        units = Unit.objects.filter(starts_with("code", query.upper())).prefetch_related(
            Prefetch(
                "occupancies",
                queryset=Occupancy.objects.filter(handed_over_on__isnull=True).select_related(
                    "tenant"
                ),
                to_attr="current_occupancies",
            )
        )[:limit]
    if scope.tenants:
        tenants = Tenant.objects.filter(tenant_matches(query, by_mobile=scope.by_mobile))
        tenants = tenants.prefetch_related("occupancies__unit")[:limit]
    return SearchResults(units=list(units), tenants=list(tenants))


def tenant_matches(text: str, *, by_mobile: bool) -> Q:
    """Tenants whose name, contact person or (for a user who may read them whole) mobile
    number starts with ``text``: the search box's rule and the tenant list's."""
    fields = ["name", "contact_name"] + (["phone"] if by_mobile else [])
    return any_starts_with(fields, text.strip())


# The register's records typed into a form (config.search.LookupField) rather than chosen
# from a <select> of every row.
CONTRACTORS = Lookup(
    queryset=Contractor.objects.filter(active=True).order_by("name", "pk"),
    names=("name",),
    codes=("credit_code",),
)
TENANTS = Lookup(
    queryset=Tenant.objects.order_by("name", "pk"), names=("name",), codes=("credit_code",)
)
