"""Reads of the centre's own records: the register, the volumes and their catalogues,
and a notice's deliveries."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from archives.models import CentreRecord, NoticeDelivery, Occupancy, Unit, Volume


def records_listed() -> QuerySet[CentreRecord]:
    """The register, each record with its volume and, for a notice, its deliveries
    counted (all and signed): one query for a page, whatever its rows."""
    return CentreRecord.objects.select_related("volume").annotate(
        delivered=Count("deliveries"),
        signed=Count("deliveries", filter=Q(deliveries__signed_on__isnull=False)),
    )


def volumes_listed() -> QuerySet[Volume]:
    """The volumes, each with its records and pages counted."""
    return Volume.objects.annotate(record_count=Count("records"), page_count=Sum("records__pages"))


def record_years() -> list[int]:
    """The years the register holds records or volumes of, newest first."""
    records = CentreRecord.objects.order_by().values_list("year", flat=True)
    volumes = Volume.objects.order_by().values_list("year", flat=True)
    return sorted(set(records.union(volumes)), reverse=True)


def open_volumes(year: int | None = None) -> QuerySet[Volume]:
    volumes = Volume.objects.filter(closed_on__isnull=True)
    return volumes.filter(year=year) if year is not None else volumes


@dataclass(frozen=True)
class CatalogueRow:
    """A line of a volume's catalogue (卷内目录): its position, the record, and the pages
    it takes in the volume (页号)."""

    position: int
    record: CentreRecord
    first_page: int
    last_page: int

    @property
    def page_range(self) -> str:
        if self.first_page == self.last_page:
            return str(self.first_page)
        return f"{self.first_page}–{self.last_page}"


def volume_catalogue(volume: Volume) -> list[CatalogueRow]:
    """The records of the volume in the order they are filed (by date, then number), each
    with its pages counted on from the first record's page 1."""
    rows, page = [], 1
    records = volume.records.order_by("date", "kind", "sequence", "pk")
    for position, record in enumerate(records, start=1):
        rows.append(CatalogueRow(position, record, page, page + record.pages - 1))
        page += record.pages
    return rows


def current_tenants(unit_ids) -> dict[int, int]:
    """Unit id -> the id of its current tenant, for the units that have one."""
    return dict(
        Occupancy.objects.filter(unit_id__in=unit_ids, handed_over_on__isnull=True).values_list(
            "unit_id", "tenant_id"
        )
    )


def occupied_units() -> QuerySet[Unit]:
    """The units with a current tenant (a notice to tenants goes to these)."""
    current = Occupancy.objects.filter(unit=OuterRef("pk"), handed_over_on__isnull=True)
    return Unit.objects.filter(Exists(current))


def units_of_block(block: str) -> QuerySet[Unit]:
    """The occupied units of a block."""
    return occupied_units().filter(block=block.strip().upper())


@dataclass(frozen=True)
class Deliveries:
    """A notice's deliveries: signed and not yet signed, each ordered by unit."""

    signed: list[NoticeDelivery]
    unsigned: list[NoticeDelivery]

    @property
    def total(self) -> int:
        return len(self.signed) + len(self.unsigned)


def notice_deliveries(notice: CentreRecord) -> Deliveries:
    deliveries = list(
        NoticeDelivery.objects.filter(notice=notice)
        .select_related("unit", "tenant", "recorded_by")
        .order_by("unit__code")
    )
    return Deliveries(
        signed=[d for d in deliveries if d.is_signed],
        unsigned=[d for d in deliveries if not d.is_signed],
    )
