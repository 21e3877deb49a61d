"""Reads about months: the latest months with their takings, pending days and lock."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from config.money import ZERO
from fees.enums import DayState
from fees.models import DailyClose, MonthLock
from fees.selectors.days import dates_with_receipts, withheld_dates
from fees.selectors.statements import month_bounds
from fees.selectors.totals import takings_per_day


@dataclass
class LockCheck:
    """Whether a month can be locked (truthy when it can); ``reasons`` say why not."""

    reasons: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.reasons


def month_is_locked(business_date: date) -> bool:
    return MonthLock.objects.filter(year=business_date.year, month=business_date.month).exists()


def days_not_handed_over(year: int, month: int) -> list[date]:
    """Dates of the month still on their way to finance: a date with receipts whose close is
    not handed over (or missing), and any close submitted or approved. A date without
    receipts needs no close, but one that was submitted must be finished."""
    return _pending_dates(*month_bounds(year, month))


def _pending_dates(start: date, end: date) -> list[date]:
    states = dict(
        DailyClose.objects.filter(business_date__range=(start, end)).values_list(
            "business_date", "state"
        )
    )
    # A handed-over day is done whatever its receipts: only the others' are looked for.
    done = {d for d, state in states.items() if state == DayState.HANDED_OVER}
    receipt_dates = dates_with_receipts(start, end, leaving_out=done)
    started = {d for d, state in states.items() if state in (DayState.SUBMITTED, DayState.APPROVED)}
    return sorted(d for d in receipt_dates | started if states.get(d) != DayState.HANDED_OVER)


def month_can_lock(year: int, month: int, *, today: date | None = None) -> LockCheck:
    today = today or timezone.localdate()
    if not 1 <= month <= 12 or not 2000 <= year <= 2999:
        return LockCheck([_("There is no such month.")])
    label = f"{year}-{month:02d}"
    if MonthLock.objects.filter(year=year, month=month).exists():
        return LockCheck([_("%(month)s is locked already.") % {"month": label}])
    start, end = month_bounds(year, month)
    if end >= today:
        return LockCheck(
            [
                _("%(month)s has not ended: it can be locked from %(date)s on.")
                % {"month": label, "date": (end + timedelta(days=1)).isoformat()}
            ]
        )
    pending = days_not_handed_over(year, month)
    if pending:
        return LockCheck(
            [
                _("Every day must be handed over to finance first; not yet: %(days)s.")
                % {"days": ", ".join(d.isoformat() for d in pending)}
            ]
        )
    return LockCheck()


@dataclass
class MonthSummary:
    year: int
    month: int
    total: Decimal
    receipts: int
    pending_days: int
    ended: bool
    lock: MonthLock | None
    withheld: list[date] = field(default_factory=list)  # days left out (the blind count)

    @property
    def lockable(self) -> bool:
        return self.lock is None and self.ended and not self.pending_days


def year_overview(
    year: int, *, today: date | None = None, withheld: frozenset[date] = frozenset()
) -> list[MonthSummary]:
    """Each month of the year up to this one: takings, days still pending, lock. The takings
    and receipts of the ``withheld`` dates (not counted yet, fees.selectors.days) are left out."""
    today = today or timezone.localdate()
    last_month = 12 if year < today.year else (today.month if year == today.year else 0)
    months = [(year, m) for m in range(1, last_month + 1)]
    return _overview(months, today=today, withheld=withheld)


def recent_months(user, *, today: date, count: int = 6) -> list[MonthSummary]:
    """The ``count`` months up to this one, newest first (across the turn of a year), as
    ``user`` may see them: the days it has not counted yet are left out of the takings."""
    months = [_shift(today.year, today.month, -back) for back in range(count)]
    withheld = withheld_dates(user, date(*months[-1], 1), today)
    return list(reversed(_overview(list(reversed(months)), today=today, withheld=withheld)))


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _overview(
    months: list[tuple[int, int]], *, today: date, withheld: frozenset[date]
) -> list[MonthSummary]:
    """The consecutive ``months`` (year, month), oldest first: a few queries for the whole
    span, whether or not it crosses a year, by the same rule as days_not_handed_over; the
    takings of the submitted days are their stored totals (fees.selectors.totals)."""
    if not months:
        return []
    start, end = month_bounds(*months[0])[0], month_bounds(*months[-1])[1]
    per_day = takings_per_day(start, end, withheld=withheld)
    pending = _pending_dates(start, end)
    years = {year for year, _month in months}
    locks = {(lock.year, lock.month): lock for lock in MonthLock.objects.filter(year__in=years)}
    summaries = {
        (year, m): MonthSummary(
            year=year,
            month=m,
            total=ZERO,
            receipts=0,
            pending_days=0,
            ended=month_bounds(year, m)[1] < today,
            lock=locks.get((year, m)),
        )
        for year, m in months
    }
    for day, figures in per_day.items():
        summary = summaries[(day.year, day.month)]
        summary.total += figures.amount
        summary.receipts += figures.receipts
    for d in pending:
        summaries[(d.year, d.month)].pending_days += 1
    for d in sorted(withheld):
        if (d.year, d.month) in summaries:
            summaries[(d.year, d.month)].withheld.append(d)
    return list(summaries.values())
