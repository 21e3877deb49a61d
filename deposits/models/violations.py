"""Violations (违规记录) against a tenant, a unit or a decoration."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Tenant, Unit
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from deposits.models.applications import DecorationApplication
from fees.models import Charge


class Violation(PermanentModel):
    """What was done wrong, when, the penalty billed for it (a fees charge) if any, and
    whether it is resolved. An open violation keeps the deposits it concerns from refund."""

    application = models.ForeignKey(
        DecorationApplication,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("decoration application"),
    )
    tenant = models.ForeignKey(
        Tenant,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("tenant"),
    )
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("unit"),
    )
    description = models.CharField(_("what happened"), max_length=200)
    occurred_on = models.DateField(_("occurred on"))
    penalty = models.OneToOneField(
        Charge,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="violation",
        verbose_name=_("penalty charge"),
    )
    recorded_by = person_column(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(_("how it was resolved"), max_length=200, blank=True)
    resolved_by = person_column(_("resolved by"), optional=True)

    # What happened and its penalty stay as recorded; the resolution is written once.
    permanence = Permanence(
        fixed=(
            "application",
            "tenant",
            "unit",
            "description",
            "occurred_on",
            "penalty",
            "recorded_by",
            "recorded_at",
        ),
        filled_once=("resolved_on", "resolution", "resolved_by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(
                fields=["tenant"], condition=Q(resolved_on__isnull=True), name="violation_open"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False)
                | Q(tenant__isnull=False)
                | Q(unit__isnull=False),
                name="violation_against_someone",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="violation_said"),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | ~Q(resolution=""),
                name="violation_resolution_said",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("deposits:violation_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
