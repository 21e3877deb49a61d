"""Decoration applications (二次装修申请), their extensions, permits and inspections."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Contractor, Tenant, Unit
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from deposits.enums import ApplicationStatus, InspectionResult
from fees.models import Permit


class DecorationApplication(PermanentModel):
    """A tenant's request to fit out or refit a unit, from submission to its closing."""

    number = models.CharField(_("application number"), max_length=16, unique=True)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="decorations", verbose_name=_("unit")
    )
    tenant = models.ForeignKey(
        Tenant, models.PROTECT, related_name="decorations", verbose_name=_("tenant")
    )
    contractor = models.ForeignKey(
        Contractor, models.PROTECT, related_name="decorations", verbose_name=_("contractor")
    )
    scope = models.TextField(_("scope of works"))
    planned_start = models.DateField(_("planned start"))
    # Moved later by each extension (延期), never earlier; the first plan is in the history
    # and in the extensions' rows.
    planned_end = models.DateField(_("planned end"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_by = person_column(_("registered by"))
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = person_column(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    started_on = models.DateField(_("works started on"), null=True, blank=True)
    closed_by = person_column(_("closed by"), optional=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # What was asked for stays as asked; the decision, the start and the closing are written
    # once; the end moves later only; a rejected or closed application changes no more.
    permanence = Permanence(
        fixed=(
            "number",
            "unit",
            "tenant",
            "contractor",
            "scope",
            "planned_start",
            "submitted_by",
            "submitted_at",
        ),
        filled_once=(
            "decided_by",
            "decided_at",
            "rejection_reason",
            "started_on",
            "closed_by",
            "closed_at",
        ),
        only_up=("planned_end",),
        frozen_when="OLD.status IN ('rejected', 'closed')",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decoration application")
        verbose_name_plural = _("decoration applications")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            (
                "manage_decoration",
                _("Can register decorations and their permits, inspections and violations"),
            ),
            ("approve_decoration", _("Can approve or reject decoration applications")),
        ]
        indexes = [
            models.Index(fields=["status", "planned_end"]),
            # The list in its order (the latest submitted first), whole or by status: a page
            # reads its rows from the index instead of sorting every application.
            models.Index(fields=["submitted_at", "id"]),
            models.Index(fields=["status", "submitted_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="decoration_period_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="decoration_rejection_has_reason",
            ),
            # Who registered an application never decides it (config.duties).
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("submitted_by")),
                name="decoration_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("deposits:application_detail", args=[self.pk])


class ApplicationExtension(PermanentModel):
    """An extension (延期) of a decoration's period: from which end to which, and why."""

    application = models.ForeignKey(
        DecorationApplication,
        models.PROTECT,
        related_name="extensions",
        verbose_name=_("decoration application"),
    )
    previous_end = models.DateField(_("previous end"))
    new_end = models.DateField(_("new end"))
    reason = models.CharField(_("reason"), max_length=200)
    granted_by = person_column(_("recorded by"))
    granted_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("decoration extension")
        verbose_name_plural = _("decoration extensions")
        ordering = ["granted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end__gt=F("previous_end")), name="extension_moves_end_later"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.application.number}: {self.previous_end} → {self.new_end}"


class ApplicationPermit(PermanentModel):
    """A worker permit (fees) that belongs to a decoration. The link is deposits': fees
    knows nothing of decorations."""

    application = models.ForeignKey(
        DecorationApplication,
        models.PROTECT,
        related_name="permit_links",
        verbose_name=_("decoration application"),
    )
    permit = models.OneToOneField(
        Permit, models.PROTECT, related_name="decoration_link", verbose_name=_("worker permit")
    )
    linked_by = person_column(_("linked by"))
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        verbose_name = _("permit of a decoration")
        verbose_name_plural = _("permits of decorations")
        ordering = ["application", "permit"]

    def __str__(self) -> str:
        return f"{self.application.number} · {self.permit.number}"


class Inspection(PermanentModel):
    """An inspection of a decoration's works (验收): passed, or failed with items to fix."""

    application = models.ForeignKey(
        DecorationApplication,
        models.PROTECT,
        related_name="inspections",
        verbose_name=_("decoration application"),
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = person_column(_("inspector"))
    result = models.CharField(_("result"), max_length=4, choices=InspectionResult.choices)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    recorded_by = person_column(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["application", "inspected_on", "pk"]
        get_latest_by = ["inspected_on", "pk"]
        # A decoration's latest passing inspection (its acceptance: dormant deposits).
        indexes = [models.Index(fields=["application", "result", "inspected_on"])]

    def __str__(self) -> str:
        return f"{self.application.number} {self.inspected_on} {self.get_result_display()}"

    @property
    def passed(self) -> bool:
        return self.result == InspectionResult.PASS


class InspectionItem(PermanentModel):
    """One finding of an inspection: on a failed one, an item to fix before re-inspection."""

    inspection = models.ForeignKey(
        Inspection, models.PROTECT, related_name="items", verbose_name=_("inspection")
    )
    position = models.PositiveSmallIntegerField(_("item"))
    description = models.CharField(_("description"), max_length=200)

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "position"], name="inspection_item_position_once"
            ),
            models.CheckConstraint(condition=~Q(description=""), name="inspection_item_said"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"
