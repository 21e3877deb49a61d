"""Date rules shared by every app.

One rule for periods counted in years (a permit's validity, an audit pack's span): the
period that begins on ``start`` ends the day before the same date a year later; a period
that begins on 29 February ends on 28 February, as 《民法典》第二百零二条 counts a period
whose end month has no corresponding day (it ends on that month's last day).
"""

from datetime import date, timedelta


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
