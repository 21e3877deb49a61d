"""Working days (工作日) as the State Council's yearly notice sets them: public holidays
off, and the weekend days made working days in exchange (调休) on. The rule of the malls
("approved within 1–5 working days") and the refund clock count these.

chinese-calendar knows the years whose notice was published; for a later year (the notice
comes out in the autumn before) Monday to Friday are counted, and ``is_estimate`` says so.
"""

from datetime import date, timedelta

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


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not
    later): a request made on a Friday and answered on Monday took one working day."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def add_working_days(start: date, days: int) -> date:
    """The day on which ``days`` working days after ``start`` have passed."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day
