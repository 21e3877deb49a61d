"""Paper receipt books and the paper receipts spoiled in them."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.people import person_column


class ReceiptBook(models.Model):
    """A numbered paper receipt book (收据本) for days the system cannot be used."""

    series = models.CharField(_("series"), max_length=8, blank=True)
    first_number = models.PositiveIntegerField(_("first number"))
    last_number = models.PositiveIntegerField(_("last number"))
    issued_to = person_column(_("issued to"))
    issued_on = models.DateField(_("issued on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("receipt book")
        verbose_name_plural = _("receipt books")
        ordering = ["series", "first_number"]
        permissions = [("manage_receipt_book", _("Can register and transcribe receipt books"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_number__gte=F("first_number")), name="book_range_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series}{self.first_number:07d}–{self.series}{self.last_number:07d}"

    def paper_number(self, n: int) -> str:
        return f"{self.series}{n:07d}"


class SpoiledPaperReceipt(models.Model):
    """A paper receipt written wrong or torn, recorded void so the book's numbers add up."""

    book = models.ForeignKey(
        ReceiptBook, models.PROTECT, related_name="spoiled", verbose_name=_("receipt book")
    )
    paper_number = models.CharField(_("paper receipt number"), max_length=20, unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = person_column(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spoiled paper receipt")
        verbose_name_plural = _("spoiled paper receipts")

    def __str__(self) -> str:
        return self.paper_number
