"""Working days (工作日) as the State Council's yearly notice sets them: public holidays
off, and the weekend days made working days in exchange (调休) on. The rule of the malls
("approved within 1–5 working days") and the refund clock count these.

chinese-calendar knows the years whose notice was published; for a later year (the notice
comes out in the autumn before) Monday to Friday are counted, and ``is_estimate`` says so.
"""

import calendar
from datetime import date, timedelta
from functools import cache

import chinese_calendar


def _known(day: date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_estimate(day: date) -> bool:
    """True when ``day``'s year has no published notice: weekdays stand in for it."""
    return not _known(day)


def is_working_day(day: date) -> bool:
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


def _since_new_year(day: date) -> int:
    return _counts_of_year(day.year)[day.timetuple().tm_yday - 1]


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    later): a request made on a Friday and answered on Monday took one working day."""
    if end <= start:
        return 0
    whole_years = sum(_counts_of_year(year)[-1] for year in range(start.year, end.year))
    return whole_years + _since_new_year(end) - _since_new_year(start)


def add_working_days(start: date, days: int) -> date:
    """The day on which ``days`` working days after ``start`` have passed."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day
