"""Date rules shared by every app.

The range a date typed into a form may take: every date a person enters lies between the
centre's first records and some days after today; a date outside is a typing slip (2062 for
2026) or a record that cannot be true.

One rule for periods counted in years (a permit's validity, an audit pack's span, a lease):
the period that begins on ``start`` ends the day before the same date a year later; a period
that begins on 29 February ends on 28 February, as 《民法典》第二百零二条 counts a period
whose end month has no corresponding day (it ends on that month's last day).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

OUT_OF_RANGE = _("Enter a date from %(first)s to %(last)s.")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of ``day`` in the centre's time zone and of the day after: the
    bounds of a local day for a query on a timestamp."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time()), zone)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time()), zone)


def date_runs(dates: Iterable[date]) -> list[tuple[date, date]]:
    """The dates as runs of consecutive days, (first, last) each, in order."""
    runs: list[list[date]] = []
    for day in sorted(set(dates)):
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def on_dates(field: str, dates: Iterable[date]) -> Q | None:
    """A filter of ``field`` on exactly ``dates`` (None for no date), as a few ranges, one a
    run of consecutive days: an index on the date serves each, where a list of hundreds of
    dates would make a long query."""
    runs = date_runs(dates)
    if not runs:
        return None
    return reduce(or_, (Q(**{f"{field}__range": run}) for run in runs))


def earliest_record_date() -> date:
    """The first day the centre has records of; nothing entered may be older."""
    return settings.EARLIEST_RECORD_DATE


@dataclass(frozen=True)
class DateBounds:
    """The first and the last acceptable day, both included."""

    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last

    def check(self, day: date) -> None:
        if day not in self:
            raise ValidationError(
                OUT_OF_RANGE,
                code="date_out_of_range",
                params={"first": self.first.isoformat(), "last": self.last.isoformat()},
            )


def date_bounds(
    today: date,
    *,
    days_back: int | None = None,
    days_ahead: int = 0,
    not_before: date | None = None,
) -> DateBounds:
    """From ``days_back`` before today (default: the first records), or ``not_before`` if
    later, to ``days_ahead`` after today. Never before the first records."""
    first = earliest_record_date()
    if days_back is not None:
        first = max(first, today - timedelta(days=days_back))
    if not_before is not None:
        first = max(first, not_before)
    return DateBounds(first=first, last=today + timedelta(days=days_ahead))


def years_later(day: date, years: int = 1) -> date:
    """The same date ``years`` later (or earlier); 29 February becomes 1 March, the day after
    the month's last day, so that a year counted from it ends on 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


def year_end_from(start: date) -> date:
    """The last day of the year that begins on ``start``."""
    return years_later(start) - timedelta(days=1)


class DateColumn(tables.Column):
    """A list's column of days, or of moments shown in the centre's time, in ``format``
    (Django's date format). Formatted here: django-tables2's own date columns compile a
    template for every cell, which made a list's dates a quarter of its time."""

    def __init__(self, *, format: str = "Y-m-d", **kwargs):
        self.format = format
        super().__init__(**kwargs)

    def render(self, value):
        if isinstance(value, datetime):
            value = timezone.localtime(value)
        return dateformat.format(value, self.format)
