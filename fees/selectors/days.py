"""The blind count's one rule: who may see a business day's expected takings, and when.

The person who counts the cash must not know beforehand what the system expects, or the
count only confirms the screen. So for the counting role (whoever holds ``fees.submit_day``)
a day's expected figures, and every sum that contains them, stay hidden until that day's
count is saved. The manager, finance and the auditor do not count: they always see them.
Every page, export, chart and home panel asks here; none decides for itself.
"""

from datetime import date

from django.db.models import Q

from fees.models import DailyClose, DayState, Receipt

COUNTING_PERMISSION = "fees.submit_day"


def counts_takings(user) -> bool:
    """Whether the user is one who counts (and so is kept blind until the count is saved)."""
    return user.has_perm(COUNTING_PERMISSION)


def day_is_counted(day: DailyClose | None) -> bool:
    """A day's count is saved (a day past "open" was counted before it could move on)."""
    if day is None:
        return False
    return day.counted_at is not None or day.state != DayState.OPEN


def expected_figures_visible(user, day: DailyClose | date | None) -> bool:
    """Whether ``user`` may see the expected takings of ``day`` (a close, or its date when
    the close may not exist yet; a date without a close is a day not counted)."""
    if not counts_takings(user):
        return True
    if isinstance(day, date):
        day = DailyClose.objects.filter(business_date=day).first()
    return day_is_counted(day)


def _counted(queryset):
    return queryset.filter(Q(counted_at__isnull=False) | ~Q(state=DayState.OPEN))


def withheld_dates(user, start: date, end: date) -> frozenset[date]:
    """The dates from ``start`` to ``end`` whose takings ``user`` may not see yet: for the
    counting role, every date with receipts whose count is not saved. A date without
    receipts has no takings to hide. Two queries, whatever the period."""
    if not counts_takings(user):
        return frozenset()
    with_receipts = set(
        Receipt.objects.filter(business_date__range=(start, end))
        .order_by()
        .values_list("business_date", flat=True)
        .distinct()
    )
    if not with_receipts:
        return frozenset()
    counted = set(
        _counted(DailyClose.objects.filter(business_date__in=with_receipts)).values_list(
            "business_date", flat=True
        )
    )
    return frozenset(with_receipts - counted)
