"""Loans (借阅): a physical document of a tenant file, or a record of the centre, lent to a
named borrower until a due date, and its return checked (intact or damaged, who received
it). Some documents are read at the centre and never lent (文书档案只阅不借): a document
type's ``view_only`` flag says so, and for the centre's records their kind does."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models.files import Document
from archives.models.records import CentreRecord, RecordKind
from config.people import person_column

# The centre's letters in and out (收发文) are official correspondence, read at the centre
# and never lent; its notices and reports may be lent.
RECORD_VIEW_ONLY_KINDS = frozenset({RecordKind.LETTER_IN, RecordKind.LETTER_OUT})
# A loan runs at most this many days.
MAX_LOAN_DAYS = 90


class ReturnCondition(models.TextChoices):
    INTACT = "intact", _("Intact")
    DAMAGED = "damaged", _("Damaged")


class Loan(models.Model):
    """One loan of one item: a document or a centre record, never both."""

    document = models.ForeignKey(
        Document,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("document"),
    )
    record = models.ForeignKey(
        CentreRecord,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("centre record"),
    )
    borrower = person_column(_("borrower"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    lent_on = models.DateField(_("lent on"), default=timezone.localdate)
    due_on = models.DateField(_("due on"))
    lent_by = person_column(_("lent by"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    received_by = person_column(_("received by"), optional=True)
    condition = models.CharField(
        _("condition on return"), max_length=10, choices=ReturnCondition.choices, blank=True
    )
    condition_note = models.CharField(_("note on the condition"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_on", "-pk"]
        default_permissions = ("view", "add", "change")
        constraints = [
            models.CheckConstraint(
                condition=(Q(document__isnull=False) & Q(record__isnull=True))
                | (Q(document__isnull=True) & Q(record__isnull=False)),
                name="loan_of_one_item",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(returned_on__isnull=True, document__isnull=False),
                name="one_open_loan_per_document",
                violation_error_message=_("This document is out on loan already."),
            ),
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(returned_on__isnull=True, record__isnull=False),
                name="one_open_loan_per_record",
                violation_error_message=_("This record is out on loan already."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("lent_on")), name="loan_due_not_before_lent"
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True)
                | (
                    Q(returned_on__gte=F("lent_on"))
                    & Q(received_by__isnull=False)
                    & ~Q(condition="")
                ),
                name="loan_return_checked",
            ),
            models.CheckConstraint(
                condition=~Q(condition="damaged") | ~Q(condition_note=""),
                name="loan_damage_described",
            ),
        ]
        indexes = [
            models.Index(fields=["returned_on", "due_on"]),
            models.Index(fields=["borrower", "returned_on"]),
        ]

    def __str__(self) -> str:
        return str(_("Loan of %(item)s") % {"item": self.item_label})

    def get_absolute_url(self) -> str:
        return reverse("archives:loan_detail", args=[self.pk])

    @property
    def item(self):
        return self.document if self.document_id else self.record

    @property
    def item_label(self) -> str:
        if self.document_id:
            return f"{self.document.file.number} · {self.document.title}"
        return f"{self.record.number} {self.record.title}"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None

    def is_overdue_on(self, day) -> bool:
        return self.is_open and self.due_on < day
