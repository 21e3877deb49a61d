"""The month-end lock: once every day of a month is handed over, finance freezes its statement."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from config.history import set_reason
from config.permissions import require
from fees.exporters import statements
from fees.models import DailyClose, MonthLock
from fees.selectors.chain import chain_at
from fees.selectors.months import month_can_lock
from fees.selectors.statements import month_bounds, month_figures


def _refuse_unless_lockable(year: int, month: int) -> None:
    check = month_can_lock(year, month)
    if not check:
        raise ValidationError(" ".join(check.reasons))


def month_lock(*, by, year: int, month: int) -> MonthLock:
    """Freeze the month's statement as stored Excel and PDF files with their SHA-256, and
    record where the receipt chain stood at the month's end; every later download returns
    exactly these bytes."""
    require(by, "fees.lock_month")
    _refuse_unless_lockable(year, month)
    # The files are built before the transaction: a big month takes seconds, and on SQLite a
    # write transaction would hold up every desk's receipts that long. Nothing can change the
    # figures meanwhile: every day is handed over (a final state), a past date takes no new
    # receipt, and a correction is a reversal dated today, in a later month.
    now = timezone.now()
    start, end = month_bounds(year, month)
    # The month has ended, so no receipt can join it: the chain's last receipt at its end is
    # final, and the frozen statement prints the hash that the lock records.
    head = chain_at(end)
    figures = month_figures(year, month)
    figures.generated_at = timezone.localtime(now)
    figures.status_note = statements.locked_note(by, figures.generated_at)
    figures.chain_note = statements.chain_note(head)
    xlsx = statements.figures_xlsx(figures)
    pdf = statements.figures_pdf(figures)

    lock = MonthLock(
        year=year,
        month=month,
        locked_by=by,
        locked_at=now,
        xlsx_sha256=statements.sha256(xlsx),
        pdf_sha256=statements.sha256(pdf),
        chain_number=head[0] if head else "",
        chain_hash=head[1] if head else "",
    )
    period = f"{year}-{month:02d}"
    try:
        with transaction.atomic():
            # Taken again under the row locks of the month's closes: a second finance clerk
            # locking at the same moment waits here, then finds the month locked.
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
