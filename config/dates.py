"""The range a date typed into a form may take, and the one message that says so.

Every date a person enters lies between the centre's first records and some days after
today; a date outside is a typing slip (2062 for 2026) or a record that cannot be true.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OUT_OF_RANGE = _("Enter a date from %(first)s to %(last)s.")


def earliest_record_date() -> date:
    """The first day the centre has records of; nothing entered may be older."""
    return settings.EARLIEST_RECORD_DATE


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


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
