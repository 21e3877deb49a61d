"""Which business dates can have a daily close."""

from datetime import date

from django.db.models import Min

from config.dates import DateBounds
from fees.models import Receipt


def first_business_date() -> date | None:
    """The business date of the first receipt ever issued, if any."""
    return Receipt.objects.aggregate(first=Min("business_date"))["first"]


def closable_days(today: date) -> DateBounds:
    """A day can be counted and closed from the first receipt's day up to today; before
    the first receipt there is only today, the day the desk starts on."""
    first = first_business_date()
    return DateBounds(first=min(first, today) if first else today, last=today)
