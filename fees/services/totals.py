"""Writing the stored totals of submitted days (fees.models.totals).

The day's submission stores them in its transaction, under the lock of the day's row that
every receipt, void and payout of the day also takes: no receipt of the day can move while
they are read. The manager's return of the day drops them (the day is open again and may
take voids); its next submission stores them anew.
"""

from collections.abc import Iterable

from django.db import transaction

from fees.enums import PaymentMethod
from fees.models import DailyClose, DayFeeTotal, DayMethodTotal
from fees.selectors.totals import FeeFigures, MethodFigures, live_by_fee, live_by_method


def day_totals_store(*, day: DailyClose) -> None:
    """Store the day's totals from its receipts, replacing any stored before; the caller
    holds the lock of the day's row, in its transaction."""
    day_totals_drop(day=day)
    day_totals_fill([day])


def day_totals_drop(*, day: DailyClose) -> None:
    """Drop the day's stored totals: it is open again, and read live until it is stored."""
    DayFeeTotal.objects.filter(close=day).delete()
    DayMethodTotal.objects.filter(close=day).delete()


@transaction.atomic
def day_totals_fill(days: Iterable[DailyClose]) -> int:
    """Store the totals of ``days`` (none of which has any yet) in bulk: two aggregations
    over their receipts and two inserts, however many days. Returns the days stored."""
    days = {day.business_date: day for day in days}
    by_method = live_by_method(days)
    by_fee = live_by_fee(days)
    DayMethodTotal.objects.bulk_create(
        [
            _method_row(day, method, by_method.get((business_date, method), MethodFigures()))
            for business_date, day in days.items()
            for method in PaymentMethod.values
        ],
        batch_size=2000,
    )
    DayFeeTotal.objects.bulk_create(
        [
            _fee_row(days[business_date], fee_id, method, figures)
            for (business_date, fee_id, method), figures in by_fee.items()
        ],
        batch_size=2000,
    )
    return len(days)


@transaction.atomic
def day_totals_rewrite(days: Iterable[DailyClose]) -> int:
    """Store the totals of ``days`` anew from their receipts, in bulk: for rows written
    around the services (an import), never needed by the desk's own ways."""
    days = list(days)
    DayFeeTotal.objects.filter(close__in=days).delete()
    DayMethodTotal.objects.filter(close__in=days).delete()
    return day_totals_fill(days)


def _method_row(day: DailyClose, method: str, figures: MethodFigures) -> DayMethodTotal:
    return DayMethodTotal(
        close=day,
        method=method,
        receipts=figures.receipts,
        amount=figures.amount,
        reversals=figures.reversals,
        reversal_amount=figures.reversal_amount,
        voids=figures.voids,
        void_amount=figures.void_amount,
    )


def _fee_row(day: DailyClose, fee_id: int, method: str, figures: FeeFigures) -> DayFeeTotal:
    return DayFeeTotal(
        close=day,
        fee_type_id=fee_id,
        method=method,
        lines=figures.lines,
        amount=figures.amount,
        discount=figures.discount,
        discounted_lines=figures.discounted_lines,
    )
