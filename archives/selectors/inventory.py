"""Reads of the month-end inventory check: the runs with their counts, a run's lines page
by page, and its result (the counts, the missing and damaged lines, the scans that did not
read back as uploaded)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from archives.models import InventoryItem, InventoryRun, Mark, ScanProblem

MARKS = (Mark.UNMARKED, Mark.PRESENT, Mark.MISSING, Mark.DAMAGED)


def _counts() -> dict:
    return {
        f"count_{mark}": Count("items", filter=Q(items__mark=mark), distinct=True) for mark in MARKS
    }


def runs_listed() -> QuerySet[InventoryRun]:
    return InventoryRun.objects.select_related("started_by", "completed_by").annotate(
        count_all=Count("items", distinct=True),
        problem_count=Count("scan_problems", distinct=True),
        **_counts(),
    )


def mark_counts(run: InventoryRun) -> dict[str, int]:
    """{mark: how many lines} of the run, every mark present, and ``all``."""
    rows = InventoryItem.objects.filter(run=run).values("mark").annotate(n=Count("pk"))
    counts = dict.fromkeys(MARKS, 0) | {row["mark"]: row["n"] for row in rows}
    return {str(mark): counts[mark] for mark in MARKS} | {"all": sum(counts.values())}


def run_items(run: InventoryRun, mark: str = "") -> QuerySet[InventoryItem]:
    items = InventoryItem.objects.filter(run=run).select_related("marked_by")
    if mark in Mark.values:
        items = items.filter(mark=mark)
    return items.order_by("pk")


@dataclass
class RunResult:
    run: InventoryRun
    counts: dict[str, int]
    missing: list[InventoryItem]
    damaged: list[InventoryItem]
    scan_problems: list[ScanProblem]


def run_result(run: InventoryRun) -> RunResult:
    exceptions = list(
        InventoryItem.objects.filter(run=run, mark__in=[Mark.MISSING, Mark.DAMAGED])
        .select_related("marked_by")
        .order_by("reference", "pk")
    )
    return RunResult(
        run=run,
        counts=mark_counts(run),
        missing=[item for item in exceptions if item.mark == Mark.MISSING],
        damaged=[item for item in exceptions if item.mark == Mark.DAMAGED],
        scan_problems=list(ScanProblem.objects.filter(run=run).order_by("pk")),
    )
