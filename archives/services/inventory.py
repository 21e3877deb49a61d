"""The month-end inventory check (帐物相符): starting a month's run (every tenant file and
every volume listed as they stand), marking each line present, missing or damaged, and
completing the run, which reads every stored scan again, hashes it and reports each one
whose SHA-256 differs from the one taken at upload, or whose file is gone."""

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archives.models import (
    CentreRecord,
    Document,
    InventoryItem,
    InventoryRun,
    Mark,
    RunState,
    ScanProblem,
    ScanProblemKind,
    TenantFile,
    Volume,
)
from config.permissions import require
from config.states import locked
from config.validators import RuleError

VIEW = "archives.view_inventoryrun"
START = "archives.add_inventoryrun"
MARK = "archives.change_inventoryrun"

# Lines written per INSERT, and scans read between two looks at the database.
BATCH = 1000
SCAN_CHUNK = 200
NOTE_MAX = 200
FOUND = (Mark.PRESENT, Mark.MISSING, Mark.DAMAGED)


def _location(cabinet: str, box: str) -> str:
    return " / ".join(part for part in (cabinet, box) if part)


@transaction.atomic
def inventory_start(*, by, year: int, month: int) -> InventoryRun:
    """Start the check of a month (one run per month, none for a month to come), listing
    every tenant file and every volume of the centre's records to be found."""
    require(by, START)
    today = timezone.localdate()
    if not 1 <= month <= 12:
        raise RuleError(_("Choose a month from 1 to 12."), field="month")
    if (year, month) > (today.year, today.month):
        raise RuleError(_("A month to come cannot be checked yet."), field="month")
    if InventoryRun.objects.filter(year=year, month=month).exists():
        raise RuleError(
            _("The inventory check of %(year)d-%(month)02d was started already.")
            % {"year": year, "month": month},
            field="month",
        )
    try:
        with transaction.atomic():
            run = InventoryRun.objects.create(
                year=year, month=month, started_by=by, started_at=timezone.now()
            )
    except IntegrityError:  # another desk started the same month a moment ago
        raise RuleError(
            _("The inventory check of %(year)d-%(month)02d was started already.")
            % {"year": year, "month": month},
            field="month",
        ) from None
    files = TenantFile.objects.order_by("number").values_list("pk", "number", "cabinet", "box")
    InventoryItem.objects.bulk_create(
        (
            InventoryItem(run=run, file_id=pk, reference=number, location=_location(cab, box))
            for pk, number, cab, box in files.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )
    volumes = Volume.objects.order_by("year", "number").values_list(
        "pk", "year", "number", "cabinet", "box"
    )
    InventoryItem.objects.bulk_create(
        (
            InventoryItem(
                run=run,
                volume_id=pk,
                reference=f"{year_}-{number:03d}",
                location=_location(cab, box),
            )
            for pk, year_, number, cab, box in volumes.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )
    return run


def _open_run(run: InventoryRun) -> InventoryRun:
    run = locked(run)
    if run.state != RunState.OPEN:
        raise RuleError(_("This inventory check is completed: its lines no longer change."))
    return run


@transaction.atomic
def inventory_mark(*, by, item: InventoryItem, mark: str, note: str = "") -> InventoryItem:
    """Record what was found of one line; a missing or damaged one says what in its note.
    A line may be marked again while the run is open."""
    require(by, MARK)
    _open_run(item.run)
    item = locked(item)
    if mark not in FOUND:
        raise RuleError(_("Choose present, missing or damaged."), field="mark")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise RuleError(_("Keep it within %(max)d characters.") % {"max": NOTE_MAX}, field="note")
    if mark != Mark.PRESENT and not note:
        raise RuleError(_("Say what is missing or damaged, and what was done."), field="note")
    item.mark, item.note = mark, note
    item.marked_by, item.marked_at = by, timezone.now()
    item.save(update_fields=["mark", "note", "marked_by", "marked_at"])
    return item


@transaction.atomic
def inventory_mark_present(*, by, run: InventoryRun, item_ids: list[int]) -> int:
    """Mark present, in one step, those of the given lines of the run not marked yet (the
    lines of one page the desk found on the shelf); returns how many."""
    require(by, MARK)
    run = _open_run(run)
    return InventoryItem.objects.filter(run=run, pk__in=item_ids, mark=Mark.UNMARKED).update(
        mark=Mark.PRESENT, marked_by=by, marked_at=timezone.now()
    )


@dataclass(frozen=True)
class ScanFinding:
    document_id: int | None
    record_id: int | None
    kind: str
    reference: str
    stored_name: str
    expected: str
    found: str


def _sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.storage.open(field_file.name, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _check(rows, reference, owner) -> tuple[int, list[ScanFinding]]:
    checked, findings = 0, []
    for row in rows:
        checked += 1
        try:
            found = _sha256(row.scan)
        except FileNotFoundError:
            kind, found = ScanProblemKind.MISSING, ""
        else:
            if found == row.scan_sha256:
                continue
            kind = ScanProblemKind.MISMATCH
        findings.append(
            ScanFinding(
                **owner(row.pk),
                kind=kind,
                reference=reference(row)[:140],
                stored_name=row.scan.name,
                expected=row.scan_sha256,
                found=found,
            )
        )
    return checked, findings


def scans_verify(chunk: int = SCAN_CHUNK) -> tuple[int, list[ScanFinding]]:
    """Read every stored scan (documents' and centre records'), a chunk of rows at a time,
    hash it and compare: (how many were read, what did not match or was gone)."""
    sources = (
        (
            Document.objects.exclude(scan="")
            .select_related("file")
            .only("scan", "scan_sha256", "title", "file__number"),
            lambda d: f"{d.file.number} · {d.title}",
            lambda pk: {"document_id": pk, "record_id": None},
        ),
        (
            CentreRecord.objects.exclude(scan="").only("scan", "scan_sha256", "number", "title"),
            lambda r: f"{r.number} · {r.title}",
            lambda pk: {"document_id": None, "record_id": pk},
        ),
    )
    checked, findings = 0, []
    for queryset, reference, owner in sources:
        last = 0
        while True:
            rows = list(queryset.filter(pk__gt=last).order_by("pk")[:chunk])
            if not rows:
                break
            last = rows[-1].pk
            count, found = _check(rows, reference, owner)
            checked += count
            findings.extend(found)
    return checked, findings


def inventory_complete(*, by, run: InventoryRun) -> InventoryRun:
    """Complete the run once every line is marked: every stored scan is read again and
    hashed (outside the transaction, a chunk at a time), and each mismatch or missing file
    is kept with the run's result."""
    require(by, MARK)
    _refuse_unfinished(run)
    checked, findings = scans_verify()
    with transaction.atomic():
        run = _open_run(run)
        _refuse_unfinished(run)
        ScanProblem.objects.bulk_create(
            ScanProblem(
                run=run,
                document_id=f.document_id,
                record_id=f.record_id,
                kind=f.kind,
                reference=f.reference,
                stored_name=f.stored_name,
                expected_sha256=f.expected,
                found_sha256=f.found,
            )
            for f in findings
        )
        run.state = RunState.COMPLETED
        run.completed_by, run.completed_at = by, timezone.now()
        run.scans_checked = checked
        run.save(update_fields=["state", "completed_by", "completed_at", "scans_checked"])
    return run


def _refuse_unfinished(run: InventoryRun) -> None:
    if run.state != RunState.OPEN:
        raise RuleError(_("This inventory check is completed already."))
    left = InventoryItem.objects.filter(run=run, mark=Mark.UNMARKED).count()
    if left:
        raise RuleError(
            _("%(count)d lines are not marked yet: mark every file and volume first.")
            % {"count": left}
        )
