"""The month lock that freezes a month's statement."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.people import person_column
from config.permanence import PermanentModel


class MonthLock(PermanentModel):
    """Finance's lock of a month whose every day is handed over: the monthly statement is
    frozen as these files, and every later download returns exactly their bytes."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    locked_by = person_column(_("locked by"))
    locked_at = models.DateTimeField(_("locked at"))
    statement_xlsx = models.FileField(_("statement (Excel)"), upload_to="statements/")
    statement_pdf = models.FileField(_("statement (PDF)"), upload_to="statements/")
    xlsx_sha256 = models.CharField(_("SHA-256 of the Excel file"), max_length=64)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF file"), max_length=64)
    # Where the receipt chain stood at the lock (fees.chain.chain_head at the month's end):
    # rewriting any receipt up to this one, even with the chain recomputed after it, no
    # longer gives this hash. Empty when no receipt had been issued by then.
    chain_number = models.CharField(_("last receipt at the lock"), max_length=12, blank=True)
    chain_hash = models.CharField(_("its receipt hash"), max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("month lock")
        verbose_name_plural = _("month locks")
        ordering = ["-year", "-month"]
        permissions = [
            ("lock_month", _("Can lock a month")),
            ("download_statement", _("Can download statements and audit packs")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_lock_per_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="lock_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"
