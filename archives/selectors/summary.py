"""The tenant summary (业户基本情况汇总表): every current occupancy with its unit and tenant."""

from django.db.models import QuerySet

from archives.models import Occupancy


def current_occupancies() -> QuerySet[Occupancy]:
    """One row per unit that is let today, in unit order (one query, whatever the count)."""
    return (
        Occupancy.objects.filter(handed_over_on__isnull=True)
        .select_related("unit", "tenant")
        .order_by("unit__code", "pk")
    )
