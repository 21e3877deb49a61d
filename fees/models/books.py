"""Paper receipt books and the paper receipts spoiled in them."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.people import person_column
from config.permanence import Permanence, PermanentModel


class ReceiptBook(PermanentModel):
    """A numbered paper receipt book (收据本) for days the system cannot be used."""

    series = models.CharField(_("series"), max_length=8, blank=True)
    first_number = models.PositiveIntegerField(_("first number"))
    last_number = models.PositiveIntegerField(_("last number"))
    issued_to = person_column(_("issued to"))
    issued_on = models.DateField(_("issued on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    # The gap report reads every registered book's range: a book stays, as registered.
    permanence = Permanence(
        fixed=("series", "first_number", "last_number", "issued_to", "issued_on", "notes"),
        filled_once=("returned_on",),
    )
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


class SpoiledPaperReceipt(PermanentModel):
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
