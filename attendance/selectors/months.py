"""The monthly sheet (考勤表): staff × days with the sheet's symbols, each person's totals,
and the breaches of 《劳动法》 it flags: a calendar week (Monday to Sunday) worked on all
seven days (Art. 38: at least one day of rest a week), and more than 36 hours of overtime
in the month (Art. 41). Four queries whatever the number of staff or days."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import TruncMonth

from attendance.enums import REST_SYMBOL, LeaveKind, Presence
from attendance.models import AttendanceRecord, MonthSignoff, Staff
from attendance.selectors.register import employed_between, month_signed
from config.workdays import is_working_day

OVERTIME_LIMIT_MINUTES = 36 * 60
HOUR = Decimal("0.01")


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(HOUR)


def month_days(year: int, month: int) -> list[date]:
    last = calendar.monthrange(year, month)[1]
    return [date(year, month, number) for number in range(1, last + 1)]


@dataclass
class Day:
    day: date
    working: bool

    @property
    def weekday_symbol(self) -> str:
        return "一二三四五六日"[self.day.weekday()]


@dataclass
class Cell:
    symbol: str  # "" when nothing is recorded on a working day
    working: bool
    employed: bool


@dataclass
class Totals:
    present_days: int = 0
    rest_days_worked: int = 0
    late_count: int = 0
    late_minutes: int = 0
    early_count: int = 0
    early_minutes: int = 0
    absent_days: int = 0
    leave_days: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LeaveKind, 0))
    overtime_minutes: int = 0
    unrecorded_days: int = 0

    @property
    def overtime_hours(self) -> Decimal:
        return hours(self.overtime_minutes)

    @property
    def leave_total(self) -> int:
        return sum(self.leave_days.values())


@dataclass
class SheetRow:
    staff: Staff
    cells: list[Cell]
    totals: Totals
    weeks_without_rest: list[date]  # the Mondays of the weeks worked on all seven days

    @property
    def overtime_over_limit(self) -> bool:
        return self.totals.overtime_minutes > OVERTIME_LIMIT_MINUTES

    @property
    def breaches(self) -> list[str]:
        """The flags, as the sheet and its exports print them (in Chinese, as the law)."""
        found = [
            f"{monday:%m-%d}–{monday + timedelta(days=6):%m-%d} 连续7天无休息"
            for monday in self.weeks_without_rest
        ]
        if self.overtime_over_limit:
            found.append(f"加班{self.totals.overtime_hours}小时，超过36小时")
        return found


@dataclass
class MonthSheet:
    year: int
    month: int
    days: list[Day]
    rows: list[SheetRow]
    signoff: MonthSignoff | None

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月考勤表"

    @property
    def unrecorded(self) -> int:
        return sum(row.totals.unrecorded_days for row in self.rows)

    @property
    def breach_count(self) -> int:
        return sum(1 for row in self.rows if row.breaches)


def _weeks_without_rest(worked: set[date], days: list[date]) -> list[date]:
    """Mondays of the calendar weeks touching the month in which every day was worked."""
    first_monday = days[0] - timedelta(days=days[0].weekday())
    mondays = []
    monday = first_monday
    while monday <= days[-1]:
        if all(monday + timedelta(days=offset) in worked for offset in range(7)):
            mondays.append(monday)
        monday += timedelta(days=7)
    return mondays


def month_sheet(year: int, month: int) -> MonthSheet:
    days = month_days(year, month)
    first, last = days[0], days[-1]
    # The weeks that straddle the month's ends are read whole, for the weekly rest.
    wide_first = first - timedelta(days=first.weekday())
    wide_last = last + timedelta(days=6 - last.weekday())
    working = {day: is_working_day(day) for day in days}
    staff = list(employed_between(first, last))
    by_person: dict[int, dict[date, AttendanceRecord]] = defaultdict(dict)
    rows_read = AttendanceRecord.objects.filter(
        day__gte=wide_first, day__lte=wide_last, staff__in=[person.pk for person in staff]
    ).only(
        "staff_id",
        "day",
        "presence",
        "leave_kind",
        "time_in",
        "time_out",
        "late_minutes",
        "early_minutes",
        "overtime_minutes",
        "working_day",
        "note",
    )
    for record in rows_read:
        by_person[record.staff_id][record.day] = record
    rows = []
    for person in staff:
        records = by_person[person.pk]
        totals, cells = Totals(), []
        for day in days:
            employed = person.employed_on(day)
            record = records.get(day)
            if record is None:
                missing = employed and working[day]
                totals.unrecorded_days += missing
                cells.append(
                    Cell("" if missing or not employed else REST_SYMBOL, working[day], employed)
                )
                continue
            cells.append(Cell(record.symbol, record.working_day, employed))
            if record.presence == Presence.PRESENT:
                if record.working_day:
                    totals.present_days += 1
                else:
                    totals.rest_days_worked += 1
                totals.late_count += record.late_minutes > 0
                totals.late_minutes += record.late_minutes
                totals.early_count += record.early_minutes > 0
                totals.early_minutes += record.early_minutes
                totals.overtime_minutes += record.overtime_minutes
            elif record.presence == Presence.ABSENT:
                totals.absent_days += 1
            elif record.presence == Presence.LEAVE:
                totals.leave_days[LeaveKind(record.leave_kind)] += 1
        worked = {day for day, record in records.items() if record.presence == Presence.PRESENT}
        rows.append(SheetRow(person, cells, totals, _weeks_without_rest(worked, days)))
    return MonthSheet(
        year=year,
        month=month,
        days=[Day(day, working[day]) for day in days],
        rows=rows,
        signoff=month_signed(year, month),
    )


def months_to_sign(today: date, *, back: int = 12) -> list[tuple[int, int, int]]:
    """The past months (up to ``back``) with attendance recorded and no signature yet, the
    latest first, each with its number of records: (year, month, records)."""
    year, month = today.year, today.month
    months = []
    for _step in range(back):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month))
    oldest = date(*months[-1], 1)
    # The signatures first: only the months without one are counted, from the oldest of
    # them, so a centre that signs every month counts nothing however long its history.
    signed = set(MonthSignoff.objects.filter(year__gte=oldest.year).values_list("year", "month"))
    unsigned = [m for m in months if m not in signed]
    start_of_this = date(today.year, today.month, 1)
    # Every month signed: an empty range, still one query (the count does not vary).
    first = date(*unsigned[-1], 1) if unsigned else start_of_this
    counts: dict[tuple[int, int], int] = defaultdict(int)
    per_month = (
        AttendanceRecord.objects.filter(day__gte=first, day__lt=start_of_this)
        .annotate(first=TruncMonth("day"))
        .values("first")
        .annotate(records=Count("id"))
        .order_by("first")
    )
    for row in per_month:
        counts[(row["first"].year, row["first"].month)] = row["records"]
    return [
        (year, month, counts[(year, month)]) for year, month in unsigned if counts[(year, month)]
    ]


def recent_months(today: date, *, count: int = 24) -> list[tuple[int, int, MonthSignoff | None]]:
    """This month and the ``count`` - 1 before it, the latest first, with their signature."""
    year, month = today.year, today.month
    months = []
    for _step in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    signed = {
        (signoff.year, signoff.month): signoff
        for signoff in MonthSignoff.objects.filter(year__gte=months[-1][0]).select_related(
            "signed_by"
        )
    }
    return [(year, month, signed.get((year, month))) for year, month in months]
