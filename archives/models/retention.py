"""Retention and destruction (国家档案局令第10号; 《会计档案管理办法》 for accounting
documents): holds that keep a document or a centre record off every destruction list, the
destruction lists (销毁清单) drawn by the desk from what is past its period, approved by two
different people (the manager, and a second reviewer who is the auditor), and the
destruction recorded with its method, day and witness (监销). The destroyed lists with their
lines are the destruction register (销毁清册), kept for ever (config.permanence).

Retention counts from the end of the year a file closed: a tenant file at its shop handover
(收铺, TenantFile.closed_on), a centre record with its volume's year. A document kept
``n`` years is past its period from 1 January of (that year + n + 1).
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models.files import Document
from archives.models.records import CentreRecord, Retention
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from config.states import StateChoices

# A centre record's retention in years (None: permanent).
RECORD_RETENTION_YEARS = {
    Retention.PERMANENT: None,
    Retention.YEARS_30: 30,
    Retention.YEARS_10: 10,
}


def retention_ends(closed_year: int, years: int | None) -> date | None:
    """The last day of the period (None: kept for ever): the end of the year closed, plus
    the years kept."""
    if years is None:
        return None
    return date(closed_year + years, 12, 31)


class HoldReason(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    LITIGATION = "litigation", _("Litigation")
    AUDIT = "audit", _("Audit")
    INVESTIGATION = "investigation", _("Investigation")
    OTHER = "other", _("Other")


class Hold(PermanentModel):
    """A hold on a document or a centre record: while it is not lifted, the item goes on no
    destruction list and cannot be destroyed. Lifting keeps the row (who, when, why)."""

    document = models.ForeignKey(
        Document,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("document"),
    )
    record = models.ForeignKey(
        CentreRecord,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("centre record"),
    )
    reason = models.CharField(_("reason"), max_length=15, choices=HoldReason.choices)
    note = models.CharField(_("details"), max_length=200)
    placed_by = person_column(_("placed by"))
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    lifted_by = person_column(_("lifted by"), optional=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_note = models.CharField(_("why lifted"), max_length=200, blank=True)

    # What was held, why and by whom never changes; the lift is written once.
    permanence = Permanence(
        fixed=("document", "record", "reason", "note", "placed_by", "placed_at"),
        filled_once=("lifted_by", "lifted_at", "lift_note"),
    )

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-placed_at", "-pk"]
        default_permissions = ("view", "add", "change")
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, record__isnull=True)
                | Q(document__isnull=True, record__isnull=False),
                name="hold_on_document_or_record",
            ),
            models.CheckConstraint(condition=~Q(note=""), name="hold_has_details"),
        ]
        indexes = [
            models.Index(fields=["document", "lifted_at"]),
            models.Index(fields=["record", "lifted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.note}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ListState(StateChoices):
    DRAWN = "drawn", _("Awaiting approval")
    HALF_APPROVED = "half_approved", _("Approved by one")
    APPROVED = "approved", _("Approved")
    DESTROYED = "destroyed", _("Destroyed")
    REJECTED = "rejected", _("Rejected")


ListState.describe(
    {
        # value: (badge colour, printed label, the states it may become)
        "drawn": ("warning", "待审批", {"half_approved", "rejected"}),
        "half_approved": ("info", "一人已审批", {"approved", "rejected"}),
        "approved": ("primary", "已批准待销毁", {"destroyed"}),
        "destroyed": ("secondary", "已销毁", set()),
        "rejected": ("dark", "未批准", set()),
    }
)

# The lists whose lines are still to be decided: a document on one is on no other.
UNDECIDED = (ListState.DRAWN, ListState.HALF_APPROVED, ListState.APPROVED)


class DestructionMethod(models.TextChoices):
    SHREDDING = "shredding", _("Shredding")
    PULPING = "pulping", _("Pulping")
    INCINERATION = "incineration", _("Incineration")
    ERASURE = "erasure", _("Erasure of electronic records")


class DestructionList(PermanentModel):
    """A destruction list (销毁清单): drawn by the desk with a due date for its review,
    approved by the manager and by a second reviewer (neither of them the person who drew
    it, nor the same person twice), then destroyed before a named witness (监销)."""

    number = models.CharField(_("list number"), max_length=20, unique=True)
    state = models.CharField(
        _("state"), max_length=15, choices=ListState.choices, default=ListState.DRAWN
    )
    drawn_by = person_column(_("drawn up by"))
    drawn_at = models.DateTimeField(_("drawn up at"), default=timezone.now)
    review_due = models.DateField(_("review due by"))
    manager_approved_by = person_column(_("approved by (manager)"), optional=True)
    manager_approved_at = models.DateTimeField(_("approved at (manager)"), null=True, blank=True)
    reviewer_approved_by = person_column(_("approved by (second reviewer)"), optional=True)
    reviewer_approved_at = models.DateTimeField(
        _("approved at (second reviewer)"), null=True, blank=True
    )
    rejected_by = person_column(_("rejected by"), optional=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.CharField(_("why rejected"), max_length=200, blank=True)
    method = models.CharField(
        _("method"), max_length=15, choices=DestructionMethod.choices, blank=True
    )
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    destroyed_by = person_column(_("destroyed by"), optional=True)
    witness = models.CharField(_("witness (监销人)"), max_length=50, blank=True)
    witness_unit = models.CharField(_("witness's unit or department"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    # The list itself never changes; each decision is written once; a destroyed or rejected
    # list is final (the destruction register, kept for ever).
    permanence = Permanence(
        fixed=("number", "drawn_by", "drawn_at", "review_due"),
        filled_once=(
            "manager_approved_by",
            "manager_approved_at",
            "reviewer_approved_by",
            "reviewer_approved_at",
            "rejected_by",
            "rejected_at",
            "rejection_reason",
            "method",
            "destroyed_on",
            "place",
            "destroyed_by",
            "witness",
            "witness_unit",
            "recorded_at",
        ),
        frozen_when="OLD.state IN ('destroyed', 'rejected')",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-drawn_at", "-pk"]
        default_permissions = ("view", "add")
        permissions = [
            ("approve_destructionlist", _("Can approve a destruction list as the manager")),
            ("review_destructionlist", _("Can approve a destruction list as second reviewer")),
            ("record_destruction", _("Can record the destruction of an approved list")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="destroyed", destroyed_on__isnull=False)
                & ~Q(witness="")
                & ~Q(method="")
                | ~Q(state="destroyed"),
                name="destroyed_list_has_method_day_witness",
            ),
            models.CheckConstraint(
                condition=Q(manager_approved_by__isnull=True)
                | Q(reviewer_approved_by__isnull=True)
                | ~Q(manager_approved_by=models.F("reviewer_approved_by")),
                name="destruction_two_different_approvers",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("archives:destruction_detail", args=[self.pk])

    @property
    def status(self) -> ListState:
        return ListState(self.state)


class DestructionItem(PermanentModel):
    """One line of a destruction list: the document or centre record, as it read when the
    list was drawn (its reference, title, type, date, retention and the day it ran out)."""

    list = models.ForeignKey(
        DestructionList, models.PROTECT, related_name="items", verbose_name=_("destruction list")
    )
    document = models.ForeignKey(
        Document,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="destruction_items",
        verbose_name=_("document"),
    )
    record = models.ForeignKey(
        CentreRecord,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="destruction_items",
        verbose_name=_("centre record"),
    )
    reference = models.CharField(_("reference"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=80)
    dated_on = models.DateField(_("date"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"))
    closed_year = models.PositiveSmallIntegerField(_("counted from the end of"))
    expired_on = models.DateField(_("retention ended on"))

    permanence = Permanence()

    class Meta:
        verbose_name = _("destruction list line")
        verbose_name_plural = _("destruction list lines")
        ordering = ["list", "pk"]
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, record__isnull=True)
                | Q(document__isnull=True, record__isnull=False),
                name="destruction_item_document_or_record",
            ),
            models.UniqueConstraint(fields=["list", "document"], name="document_once_per_list"),
            models.UniqueConstraint(fields=["list", "record"], name="record_once_per_list"),
        ]

    def __str__(self) -> str:
        return f"{self.list.number} · {self.reference}"


class DestructionSequence(models.Model):
    """The last list number given in a year (XH-2026-01 ...), locked while one is made."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("destruction list number sequence")
        verbose_name_plural = _("destruction list number sequences")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
