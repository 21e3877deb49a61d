"""Reads of a day's counts: the blind count, the recounts, and the cash float (备用金)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from fees.models import DailyClose, DayCount, PaymentMethod


def counts_of(day: DailyClose) -> list[DayCount]:
    """Every count of the day, the blind one first (none for a day without a close row)."""
    if day.pk is None:
        return []
    return list(
        day.counts.select_related("counted_by")
        .prefetch_related("cash", "amounts")
        .order_by("sequence")
    )


def final_counts(day_ids) -> dict[int, DayCount]:
    """{close id: its last count} for the given closes, in two queries."""
    counts = (
        DayCount.objects.filter(day_id__in=list(day_ids))
        .prefetch_related("amounts")
        .order_by("day_id", "sequence")
    )
    return {count.day_id: count for count in counts}  # the last one of each day wins


def float_prefill(business_date: date) -> Decimal:
    """The float a day starts with: what the last count of an earlier day left for the next
    shift, or the configured default before the first count ever."""
    last = (
        DayCount.objects.filter(day__business_date__lt=business_date)
        .order_by("-day__business_date", "-sequence")
        .first()
    )
    return last.float_left if last else settings.CASH_FLOAT_DEFAULT


@dataclass
class CountRecord:
    """A day's counts: the blind one, the final one, and how many recounts came after."""

    counts: list[DayCount]

    def __bool__(self) -> bool:
        return bool(self.counts)

    @property
    def blind(self) -> DayCount | None:
        return self.counts[0] if self.counts else None

    @property
    def final(self) -> DayCount | None:
        return self.counts[-1] if self.counts else None

    @property
    def non_cash_methods(self) -> list[tuple[str, str]]:
        return [(m, label) for m, label in PaymentMethod.choices if m != PaymentMethod.CASH]

    @property
    def recounts(self) -> int:
        return max(len(self.counts) - 1, 0)


def count_record(day: DailyClose) -> CountRecord:
    return CountRecord(counts_of(day))


@dataclass
class CashPosition:
    """The drawer at the close: the float it started with plus the cash takings is what it
    should hold; what stays as the next shift's float is not handed to finance."""

    opening_float: Decimal
    cash_takings: Decimal  # expected, from the receipts (frozen at submission)
    counted: Decimal | None  # all the cash in the drawer, float included
    float_left: Decimal | None

    @property
    def expected_in_drawer(self) -> Decimal:
        return self.opening_float + self.cash_takings

    @property
    def difference(self) -> Decimal | None:
        """Shortage (< 0) or excess of the cash takings; the float is not a difference."""
        return None if self.counted is None else self.counted - self.expected_in_drawer

    @property
    def to_hand_over(self) -> Decimal | None:
        if self.counted is None or self.float_left is None:
            return None
        return self.counted - self.float_left


def cash_position(final: DayCount | None, cash_takings: Decimal, *, prefill: Decimal):
    """The drawer after the final count, or before any count (with the prefilled float)."""
    if final is None:
        return CashPosition(prefill, cash_takings, None, None)
    return CashPosition(final.opening_float, cash_takings, final.cash_counted, final.float_left)
