"""The month-end lock: once every day of a month is handed over, finance freezes its statement."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from config.history import set_reason
from config.money import to_amount
from config.permissions import require
from fees import statements
from fees.models import ZERO, DailyClose, DayState, MonthLock, Receipt, ReceiptStatus


@dataclass
class LockCheck:
    """Whether a month can be locked (truthy when it can); ``reasons`` say why not."""

    reasons: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.reasons


def month_is_locked(business_date: date) -> bool:
    return MonthLock.objects.filter(year=business_date.year, month=business_date.month).exists()


def refuse_if_month_locked(business_date: date) -> None:
    """The one rule that freezes a locked month: nothing is counted, submitted, approved,
    returned, handed over or transcribed on a day inside it. The day services call it under
    their lock of the day's row; month_lock() takes the same row locks before it locks."""
    if month_is_locked(business_date):
        raise ValidationError(
            _("%(month)s is locked: nothing more can be recorded on %(date)s.")
            % {"month": f"{business_date:%Y-%m}", "date": business_date.isoformat()}
        )


def days_not_handed_over(year: int, month: int) -> list[date]:
    """Dates of the month still on their way to finance: a date with receipts whose close is
    not handed over (or missing), and any close submitted or approved. A date without
    receipts needs no close, but one that was submitted must be finished."""
    return _pending_dates(*statements.month_bounds(year, month))


def _pending_dates(start: date, end: date) -> list[date]:
    states = dict(
        DailyClose.objects.filter(business_date__range=(start, end)).values_list(
            "business_date", "state"
        )
    )
    receipt_dates = set(
        Receipt.objects.filter(business_date__range=(start, end))
        .order_by()
        .values_list("business_date", flat=True)
        .distinct()
    )
    started = {d for d, state in states.items() if state in (DayState.SUBMITTED, DayState.APPROVED)}
    return sorted(d for d in receipt_dates | started if states.get(d) != DayState.HANDED_OVER)


def month_can_lock(year: int, month: int, *, today: date | None = None) -> LockCheck:
    today = today or timezone.localdate()
    if not 1 <= month <= 12 or not 2000 <= year <= 2999:
        return LockCheck([_("There is no such month.")])
    label = f"{year}-{month:02d}"
    if MonthLock.objects.filter(year=year, month=month).exists():
        return LockCheck([_("%(month)s is locked already.") % {"month": label}])
    start, end = statements.month_bounds(year, month)
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


def _refuse_unless_lockable(year: int, month: int) -> None:
    check = month_can_lock(year, month)
    if not check:
        raise ValidationError(" ".join(check.reasons))


def month_lock(*, by, year: int, month: int) -> MonthLock:
    """Freeze the month's statement as stored Excel and PDF files with their SHA-256; every
    later download returns exactly these bytes."""
    require(by, "fees.lock_month")
    _refuse_unless_lockable(year, month)
    # The files are built before the transaction: a big month takes seconds, and on SQLite a
    # write transaction would hold up every desk's receipts that long. Nothing can change the
    # figures meanwhile: every day is handed over (a final state), a past date takes no new
    # receipt, and a correction is a reversal dated today, in a later month.
    now = timezone.now()
    figures = statements.month_figures(year, month)
    figures.generated_at = timezone.localtime(now)
    figures.status_note = statements.locked_note(by, figures.generated_at)
    xlsx = statements.figures_xlsx(figures)
    pdf = statements.figures_pdf(figures)

    lock = MonthLock(
        year=year,
        month=month,
        locked_by=by,
        locked_at=now,
        xlsx_sha256=statements.sha256(xlsx),
        pdf_sha256=statements.sha256(pdf),
    )
    period = f"{year}-{month:02d}"
    try:
        with transaction.atomic():
            # Taken again under the row locks of the month's closes: a second finance clerk
            # locking at the same moment waits here, then finds the month locked.
            start, end = statements.month_bounds(year, month)
            list(DailyClose.objects.select_for_update().filter(business_date__range=(start, end)))
            _refuse_unless_lockable(year, month)
            lock.statement_xlsx.save(f"statement-{period}.xlsx", ContentFile(xlsx), save=False)
            lock.statement_pdf.save(f"statement-{period}.pdf", ContentFile(pdf), save=False)
            set_reason(lock, N_("month locked"))
            lock.save()
    except (ValidationError, IntegrityError) as exc:
        # Don't leave orphan files behind a refused or lost race.
        for stored in (lock.statement_xlsx, lock.statement_pdf):
            if stored:
                stored.delete(save=False)
        if isinstance(exc, IntegrityError):
            raise ValidationError(
                _("%(month)s is locked already.") % {"month": f"{year}-{month:02d}"}
            ) from exc
        raise
    return lock


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
    """Each month of the year up to this one: takings, days still pending, lock. Four queries
    for the whole year, by the same rule as days_not_handed_over. The takings and receipts
    of the ``withheld`` dates (not counted yet, fees.selectors.days) are left out."""
    today = today or timezone.localdate()
    start, end = date(year, 1, 1), date(year, 12, 31)
    per_day = (
        Receipt.objects.filter(business_date__range=(start, end))
        .exclude(status=ReceiptStatus.VOID)
        .exclude(business_date__in=withheld)
        .values("business_date")
        .annotate(total=Sum("total"), receipts=Count("pk"))
        .order_by()
    )
    pending = _pending_dates(start, end)
    locks = {lock.month: lock for lock in MonthLock.objects.filter(year=year)}
    last_month = 12 if year < today.year else (today.month if year == today.year else 0)
    months = {
        m: MonthSummary(
            year=year,
            month=m,
            total=ZERO,
            receipts=0,
            pending_days=0,
            ended=statements.month_bounds(year, m)[1] < today,
            lock=locks.get(m),
        )
        for m in range(1, last_month + 1)
    }
    for row in per_day:
        summary = months.get(row["business_date"].month)
        if summary is not None:
            summary.total += to_amount(row["total"])
            summary.receipts += row["receipts"]
    for d in pending:
        if d.month in months:
            months[d.month].pending_days += 1
    for d in sorted(withheld):
        if d.year == year and d.month in months:
            months[d.month].withheld.append(d)
    return list(months.values())
