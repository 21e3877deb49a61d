"""Business hours of the centre: its opening hours (settings.CENTRE_OPENS to CENTRE_CLOSES)
on each working day of config.workdays, so that China's public holidays are closed and the
调休 weekends open. Service levels (a case due 8 business hours after it came in) are counted
in these hours, not on the wall clock; spans when a case waited on someone outside are left
out by the caller, who subtracts them.

Times are aware datetimes, read and returned in the current time zone.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from config.workdays import is_working_day

# A search for the next opening gives up after this many closed days (a broken calendar).
_MAX_CLOSED_DAYS = 400


def _hours() -> tuple[time, time]:
    return time.fromisoformat(settings.CENTRE_OPENS), time.fromisoformat(settings.CENTRE_CLOSES)


def opening(day: date) -> tuple[datetime, datetime] | None:
    """When the centre opens and closes on ``day``, or None when it is closed all day."""
    if not is_working_day(day):
        return None
    opens, closes = _hours()
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(day, opens), zone),
        timezone.make_aware(datetime.combine(day, closes), zone),
    )


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def business_time_between(start: datetime, end: datetime) -> timedelta:
    """The opening time that passes after ``start`` up to ``end`` (zero if end is earlier)."""
    start, end = _local(start), _local(end)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        hours = opening(day)
        if hours is not None:
            begin, finish = max(hours[0], start), min(hours[1], end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return total


def add_business_time(start: datetime, amount: timedelta) -> datetime:
    """The moment when ``amount`` of opening time has passed since ``start``. A span that
    uses up a day's hours exactly ends at that day's closing, not at the next opening."""
    start = _local(start)
    if amount <= timedelta():
        return start
    left = amount
    day = start.date()
    for _day in range(_MAX_CLOSED_DAYS + int(amount / timedelta(hours=1)) + 1):
        hours = opening(day)
        if hours is not None and max(hours[0], start) < hours[1]:
            begin = max(hours[0], start)
            available = hours[1] - begin
            if left <= available:
                return begin + left
            left -= available
        day += timedelta(days=1)
    raise ValueError("No working day within a year: check the calendar.")


def add_business_hours(start: datetime, hours: float) -> datetime:
    return add_business_time(start, timedelta(hours=hours))


def business_hours_between(start: datetime, end: datetime) -> float:
    return business_time_between(start, end) / timedelta(hours=1)
