"""Reads about months: the latest months with their takings, pending days and lock."""

from datetime import date

from fees.selectors.days import withheld_dates
from fees.services.months import MonthSummary, year_overview


def recent_months(user, *, today: date, count: int = 6) -> list[MonthSummary]:
    """The ``count`` months up to this one, newest first (across the turn of a year), as
    ``user`` may see them: the days it has not counted yet are left out of the takings."""
    years = [today.year] if today.month >= count else [today.year - 1, today.year]
    start = date(years[0], 1, 1)
    withheld = withheld_dates(user, start, today)
    months: list[MonthSummary] = []
    for year in years:
        months += year_overview(year, today=today, withheld=withheld)
    return list(reversed(months))[:count]
