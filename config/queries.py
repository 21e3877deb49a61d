"""Expressions that lists share."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, link: str) -> Coalesce:
    """How many of ``rows`` point at the outer row through the foreign key ``link`` (0 when
    none): a subquery per row shown, on the link's index. A join of every child grouped by
    the parent's columns would cost what all the children do, however few rows are shown."""
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
