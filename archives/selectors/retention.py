"""Reads of retention and destruction: what is past its retention period and may go on a
destruction list (no hold on it, on no list still to be decided, not destroyed), a list's
lines, and the destruction register (销毁清册)."""

from datetime import date

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from archives.models import (
    UNDECIDED,
    CentreRecord,
    DestructionItem,
    DestructionList,
    Document,
    Hold,
    ListState,
    Retention,
)
from config.queries import count_of


def _active_hold(owner: str) -> Exists:
    return Exists(Hold.objects.filter(**{owner: OuterRef("pk")}, lifted_at__isnull=True))


def _listed(owner: str) -> Exists:
    return Exists(
        DestructionItem.objects.filter(**{owner: OuterRef("pk")}, list__state__in=UNDECIDED)
    )


def documents_due(today: date) -> QuerySet[Document]:
    """Documents of closed files whose retention ran out before ``today``'s year began
    (kept ``n`` years from the end of the year the file closed), with ``closed_year`` and
    ``ends_year``; never one under a hold, on an undecided list, or destroyed. Read on the
    index of the stored last year of retention (Document.retention_end_year)."""
    return (
        Document.objects.filter(destroyed_on__isnull=True, retention_end_year__lt=today.year)
        .annotate(closed_year=ExtractYear("file__closed_on"), ends_year=F("retention_end_year"))
        .exclude(_active_hold("document"))
        .exclude(_listed("document"))
        .select_related("file", "type")
        .order_by("file__number", "dated_on", "pk")
    )


RECORD_YEARS = Case(
    When(retention=Retention.YEARS_30, then=Value(30)),
    When(retention=Retention.YEARS_10, then=Value(10)),
    output_field=IntegerField(),
)


def records_due(today: date) -> QuerySet[CentreRecord]:
    """Centre records filed in a volume whose retention ran out (counted from the end of the
    volume's year), with ``closed_year``, ``years`` and ``ends_year``; never one under a
    hold, on an undecided list, or destroyed."""
    return (
        CentreRecord.objects.filter(destroyed_on__isnull=True, volume__isnull=False)
        .exclude(retention=Retention.PERMANENT)
        .annotate(closed_year=F("volume__year"), years=RECORD_YEARS)
        .annotate(ends_year=F("closed_year") + F("years"))
        .filter(ends_year__lt=today.year)
        .exclude(_active_hold("record"))
        .exclude(_listed("record"))
        .select_related("volume")
        .order_by("volume__year", "number", "pk")
    )


def lists_listed() -> QuerySet[DestructionList]:
    """The lists with ``item_count``, each list's lines counted in the index of its lines
    (a join of every line, grouped by the list's columns, costs what the lines do)."""
    return DestructionList.objects.select_related(
        "drawn_by", "manager_approved_by", "reviewer_approved_by"
    ).annotate(item_count=count_of(DestructionItem.objects.all(), "list"))


def list_items(destruction_list: DestructionList) -> QuerySet[DestructionItem]:
    """A list's lines, each with ``held`` (a hold placed since it was drawn)."""
    held = Exists(
        Hold.objects.filter(lifted_at__isnull=True).filter(
            Q(document_id=OuterRef("document_id"), document__isnull=False)
            | Q(record_id=OuterRef("record_id"), record__isnull=False)
        )
    )
    return destruction_list.items.annotate(held=held).order_by("pk")


def register_items() -> QuerySet[DestructionItem]:
    """The destruction register (销毁清册): every line of every destroyed list, with its
    list's method, day, approvers and witness."""
    return (
        DestructionItem.objects.filter(list__state=ListState.DESTROYED)
        .select_related(
            "list",
            "list__manager_approved_by",
            "list__reviewer_approved_by",
            "list__destroyed_by",
        )
        .order_by("-list__destroyed_on", "list__number", "pk")
    )


def holds_listed() -> QuerySet[Hold]:
    return Hold.objects.select_related(
        "document", "document__file", "record", "placed_by", "lifted_by"
    )
