"""Reads of the daily register that the register page, the home panels and the monthly
sheet share; each takes a fixed number of queries whatever the number of staff."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from attendance.models import Amendment, AttendanceRecord, MonthSignoff, Staff
from config.workdays import is_working_day


def employed_on(day: date):
    """The staff employed on ``day`` (joined, not yet left), with their shifts."""
    return (
        Staff.objects.filter(joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .select_related("shift")
        .order_by("shift__starts_at", "name", "pk")
    )


def employed_between(first: date, last: date):
    """The staff employed on any day from ``first`` to ``last``."""
    return (
        Staff.objects.filter(joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .select_related("shift")
        .order_by("shift__starts_at", "name", "pk")
    )


def month_signed(year: int, month: int) -> MonthSignoff | None:
    return MonthSignoff.objects.filter(year=year, month=month).select_related("signed_by").first()


@dataclass
class RegisterLine:
    staff: Staff
    record: AttendanceRecord | None


@dataclass
class RegisterDay:
    day: date
    working: bool
    signoff: MonthSignoff | None
    lines: list[RegisterLine] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(1 for line in self.lines if line.record is None)

    @property
    def taken(self) -> bool:
        return bool(self.lines) and self.missing == 0


def register_day(day: date) -> RegisterDay:
    """The day's register: everyone employed that day with their record, if any."""
    staff = list(employed_on(day))
    records = {record.staff_id: record for record in AttendanceRecord.objects.filter(day=day)}
    amendments = list(
        Amendment.objects.filter(record__day=day)
        .select_related("record__staff", "amended_by")
        .order_by("-amended_at", "-pk")
    )
    return RegisterDay(
        day=day,
        working=is_working_day(day),
        signoff=month_signed(day.year, day.month),
        lines=[RegisterLine(person, records.get(person.pk)) for person in staff],
        amendments=amendments,
    )


def missing_today(day: date) -> int:
    """How many of the staff employed on ``day`` have no record yet (0 on a rest day)."""
    if not is_working_day(day):
        return 0
    employed = employed_on(day)
    return employed.exclude(attendance__day=day).count()
