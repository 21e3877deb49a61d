"""Working days (工作日) as the State Council's yearly notice sets them: public holidays
off, and the weekend days made working days in exchange (调休) on. The rule of the malls
("approved within 1–5 working days") and the refund clock count these.

chinese-calendar knows the years whose notice was published; for a later year (the notice
comes out in the autumn before) Monday to Friday are counted, and ``is_estimate`` says so,
until the administrator enters that year's holidays and 调休 working days
(config.models.CalendarDay). The administrator's days win over the package in any year.
"""

import calendar
import time
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from django.db import DatabaseError

# The administrator's days are read again after this many seconds (another process may have
# changed them); a change in this process is seen at once (forget_overrides, on save).
OVERRIDES_TTL = 60.0


class _Overrides:
    days: dict[date, bool] = {}
    read_at = float("-inf")


def _read_database() -> dict[date, bool]:
    from config.models import CalendarDay  # config's own model: read once the apps are ready

    try:
        return dict(CalendarDay.objects.values_list("day", "working"))
    except DatabaseError:  # a database not migrated yet has no overrides
        return {}


# Where the overrides come from (the tests pin it, so that no query is added to a page's).
_load = _read_database


def overrides() -> dict[date, bool]:
    """The administrator's days: day -> working (True) or holiday (False)."""
    now = time.monotonic()
    if now - _Overrides.read_at > OVERRIDES_TTL:
        days = _load()
        if days != _Overrides.days:
            _counts_of_year.cache_clear()
        _Overrides.days, _Overrides.read_at = days, now
    return _Overrides.days


def forget_overrides(**kwargs) -> None:
    """Read the administrator's days again on the next question (a receiver of their saves)."""
    _Overrides.read_at = float("-inf")


def _known(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def package_knows(year: int) -> bool:
    """True when chinese-calendar holds the State Council's notice of ``year``."""
    return _known(date(year, 6, 30))


def is_estimate(day: date) -> bool:
    """True when ``day``'s year has no published notice and the administrator has entered
    none of its days: weekdays stand in for it."""
    return not _known(day) and not any(d.year == day.year for d in overrides())


def unknown_years(today: date) -> list[tuple[int, int]]:
    """This year and the next when chinese-calendar does not know them, each with the
    number of days the administrator has entered for it (0: weekdays stand in)."""
    entered = overrides()
    return [
        (year, sum(1 for d in entered if d.year == year))
        for year in (today.year, today.year + 1)
        if not package_knows(year)
    ]


def calendar_warnings(today: date) -> list[str]:
    """What the administrator is told of the years chinese-calendar does not know."""
    from django.utils.translation import gettext as _

    messages = []
    for year, entered in unknown_years(today):
        if entered:
            messages.append(
                _(
                    "The calendar package does not know %(year)s yet: its holidays and "
                    "调休 working days are the %(count)s days entered here, the other days "
                    "Monday to Friday."
                )
                % {"year": year, "count": entered}
            )
        else:
            messages.append(
                _(
                    "The calendar package does not know %(year)s yet: Monday to Friday are "
                    "counted as working days. Enter the year's holidays and 调休 working "
                    "days here once the State Council publishes them, or update the package."
                )
                % {"year": year}
            )
    return messages


def is_working_day(day: date) -> bool:
    entered = overrides().get(day)
    if entered is not None:
        return entered
    if _known(day):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


@cache
def _counts_of_year(year: int) -> tuple[int, ...]:
    """Working days from 1 January up to and including each day of ``year``. A year's
    calendar never changes while the process runs; reading it once (~55 ms) lets every
    list count its rows' working days by subtraction, however long their spans."""
    first, running, counts = date(year, 1, 1), 0, []
    for offset in range(366 if calendar.isleap(year) else 365):
        running += is_working_day(first + timedelta(days=offset))
        counts.append(running)
    return tuple(counts)


def _year_counts(year: int) -> tuple[int, ...]:
    overrides()  # the administrator's days changed: the years' counts are made again
    return _counts_of_year(year)


def _since_new_year(day: date) -> int:
    return _year_counts(day.year)[day.timetuple().tm_yday - 1]


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    later): a request made on a Friday and answered on Monday took one working day."""
    if end <= start:
        return 0
    whole_years = sum(_year_counts(year)[-1] for year in range(start.year, end.year))
    return whole_years + _since_new_year(end) - _since_new_year(start)


def add_working_days(start: date, days: int) -> date:
    """The day on which ``days`` working days after ``start`` have passed."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day
