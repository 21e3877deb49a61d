"""The ledger's stored figures (LedgerDay, LedgerUnit) written again from the rows, in the
transaction of the change that moves them, so that the ledger's page reads a row a day and
a row a unit and never disagrees with the deposits' balances.

Each write locks the rows it rewrites (days in order, then units in order) before it reads
the deposits: of two transactions changing deposits of one day, the second waits for the
first and then counts what it committed. Nothing is added or subtracted: each figure is
what selectors.ledger.live_day_figures() and live_unit_counts() answer, so a deposit is
never counted twice, whichever changes reach it.

Who calls: deposits.receivers after any deposit is saved (taken, released, forfeited,
cancelled, each step of its refund: the services save the deposit last) and after a
decoration's record is saved (its acceptance dates dormant deposits); services.gates when a
stored gate changes; sync_all_gates() after a bulk load or a repair."""

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date

from django.utils import timezone

from deposits.models import Deposit, LedgerDay, LedgerUnit
from deposits.selectors.ledger import (
    DayFigures,
    accepted_on_field,
    live_day_figures,
    live_unit_counts,
)

NOTHING = DayFigures()


def _stored_day(row: LedgerDay) -> DayFigures:
    return DayFigures(**{name: getattr(row, name) for name in asdict(NOTHING)})


def _write_days(days: set[date]) -> None:
    LedgerDay.objects.bulk_create([LedgerDay(day=day) for day in days], ignore_conflicts=True)
    stored = list(LedgerDay.objects.select_for_update().filter(day__in=days).order_by("day"))
    live = live_day_figures(days)
    for row in stored:
        figures = live.get(row.day, NOTHING)
        if _stored_day(row) != figures:
            LedgerDay.objects.filter(pk=row.pk).update(**asdict(figures))


def _write_units(units: set[int]) -> None:
    LedgerUnit.objects.bulk_create(
        [LedgerUnit(unit_id=unit) for unit in units], ignore_conflicts=True
    )
    stored = LedgerUnit.objects.select_for_update().filter(unit__in=units).order_by("unit")
    live = live_unit_counts(units)
    for row in list(stored):
        count = live.get(row.unit_id, 0)
        if row.held_count != count:
            LedgerUnit.objects.filter(pk=row.pk).update(held_count=count)


def ledger_refresh(deposits: Iterable[int], *, days: Iterable[date] = ()) -> None:
    """Write again, from the rows, the stored figures that ``deposits`` (ids) count in: the
    day each was taken, the day its decoration was accepted, its unit; and ``days``."""
    found = (
        Deposit.objects.filter(pk__in=list(deposits))
        .annotate(accepted=accepted_on_field())
        .values_list("taken_at", "accepted", "ledger_unit")
    )
    wanted, units = set(days), set()
    for taken_at, accepted, unit in found:
        wanted.add(timezone.localdate(taken_at))
        if accepted is not None:
            wanted.add(accepted)
        if unit is not None:
            units.add(unit)
    if wanted:
        _write_days(wanted)
    if units:
        _write_units(units)


def stale_ledger() -> tuple[dict[date, tuple], dict[int, tuple[int, int]]]:
    """Where the stored figures differ from the rows: day → (stored, rows) as DayFigures,
    unit id → (stored, rows) deposits holding money."""
    live_days = live_day_figures()
    stored_days = {row.day: _stored_day(row) for row in LedgerDay.objects.all()}
    days = {
        day: (stored_days.get(day, NOTHING), live_days.get(day, NOTHING))
        for day in sorted(live_days.keys() | stored_days.keys())
        if stored_days.get(day, NOTHING) != live_days.get(day, NOTHING)
    }
    live_units = live_unit_counts()
    stored_units = dict(LedgerUnit.objects.values_list("unit", "held_count"))
    units = {
        unit: (stored_units.get(unit, 0), live_units.get(unit, 0))
        for unit in sorted(live_units.keys() | stored_units.keys())
        if stored_units.get(unit, 0) != live_units.get(unit, 0)
    }
    return days, units


def ledger_rewrite() -> int:
    """Every stored figure as the rows answer it: after a bulk load (the demo, the
    benchmark), a data migration, or to repair. How many rows were written."""
    days, units = stale_ledger()
    LedgerDay.objects.bulk_create(
        [LedgerDay(day=day, **asdict(live)) for day, (_stored, live) in days.items()],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=list(asdict(NOTHING)),
    )
    LedgerUnit.objects.bulk_create(
        [LedgerUnit(unit_id=unit, held_count=live) for unit, (_stored, live) in units.items()],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["unit"],
        update_fields=["held_count"],
    )
    return len(days) + len(units)
