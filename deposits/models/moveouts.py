"""Shop handovers (收铺): a tenant gives a unit back, gated like a refund. The keys are
counted, the meters read and billed, the condition recorded and priced, the late days
charged; the manager confirms it complete, and the occupancy ends (archives)."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Occupancy
from config.money import money_column
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from deposits.enums import Meter, MoveOutStatus
from fees.models import Charge


def condition_photo_path(instance, filename: str) -> str:
    """A name made here, never the uploader's (the service stores JPEGs)."""
    return f"moveouts/{timezone.localdate().year}/{uuid.uuid4().hex}.jpg"


class MoveOut(PermanentModel):
    """The shop handover of one occupancy: open while the desk prepares it, complete once
    the manager confirms it (the unit is vacant then), or cancelled with a reason."""

    occupancy = models.ForeignKey(
        Occupancy, models.PROTECT, related_name="moveouts", verbose_name=_("occupancy")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MoveOutStatus.choices, default=MoveOutStatus.OPEN
    )
    started_by = person_column(_("started by"))
    started_at = models.DateTimeField(_("started at"))
    # The day the shop is handed back: the late days count to it, the occupancy ends on it.
    planned_on = models.DateField(_("handover date"))
    keys_issued = models.PositiveSmallIntegerField(_("keys issued"))
    # Counted again while open (the tenant may bring the missing ones later).
    keys_returned = models.PositiveSmallIntegerField(_("keys returned"), null=True, blank=True)
    keys_counted_by = person_column(_("keys counted by"), optional=True)
    # The lease's daily fee for a late handover (0: the lease has none).
    late_daily_fee = money_column(_("late handover fee per day"))
    late_days = models.PositiveIntegerField(_("late days charged"), null=True, blank=True)
    late_charge = models.OneToOneField(
        Charge,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="late_moveout",
        verbose_name=_("late handover charge"),
    )
    condition_confirmed_by = person_column(_("condition confirmed by"), optional=True)
    condition_confirmed_at = models.DateTimeField(
        _("condition confirmed at"), null=True, blank=True
    )
    completed_by = person_column(_("completed by"), optional=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_by = person_column(_("cancelled by"), optional=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=200, blank=True)

    permanence = Permanence(
        fixed=(
            "occupancy",
            "started_by",
            "started_at",
            "planned_on",
            "keys_issued",
            "late_daily_fee",
        ),
        filled_once=(
            "late_days",
            "late_charge",
            "condition_confirmed_by",
            "condition_confirmed_at",
            "completed_by",
            "completed_at",
            "cancelled_by",
            "cancelled_at",
            "cancel_reason",
        ),
        frozen_when="OLD.status IN ('complete', 'cancelled')",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shop handover")
        verbose_name_plural = _("shop handovers")
        ordering = ["-started_at", "-pk"]
        permissions = [
            ("prepare_moveout", _("Can prepare shop handovers")),
            ("complete_moveout", _("Can confirm shop handovers complete")),
        ]
        indexes = [models.Index(fields=["status", "planned_on"])]
        constraints = [
            # One handover under way per occupancy, and an occupancy ends once.
            models.UniqueConstraint(
                fields=["occupancy"],
                condition=Q(status="open"),
                name="moveout_one_open_per_occupancy",
            ),
            models.UniqueConstraint(
                fields=["occupancy"],
                condition=Q(status="complete"),
                name="moveout_one_complete_per_occupancy",
            ),
            models.CheckConstraint(
                condition=Q(late_daily_fee__gte=0), name="moveout_late_fee_not_negative"
            ),
            # Separation of duties (config.duties), in the database too.
            models.CheckConstraint(
                condition=Q(completed_by__isnull=True) | ~Q(completed_by=F("started_by")),
                name="moveout_completed_by_another",
            ),
            models.CheckConstraint(
                condition=~Q(status=MoveOutStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="moveout_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=MoveOutStatus.COMPLETE) | Q(completed_by__isnull=False),
                name="moveout_complete_says_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupancy.unit} · {self.planned_on}"

    def get_absolute_url(self) -> str:
        return reverse("deposits:moveout_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == MoveOutStatus.OPEN


class MoveOutReading(PermanentModel):
    """A meter's final reading at the handover, its price and the charge billed for what
    was used since the previous reading (none when nothing was used)."""

    moveout = models.ForeignKey(
        MoveOut, models.PROTECT, related_name="readings", verbose_name=_("shop handover")
    )
    meter = models.CharField(_("meter"), max_length=12, choices=Meter.choices)
    previous = models.DecimalField(_("previous reading"), max_digits=12, decimal_places=2)
    final = models.DecimalField(_("final reading"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), max_digits=8, decimal_places=4)
    amount = money_column(_("amount"))
    charge = models.OneToOneField(
        Charge,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="moveout_reading",
        verbose_name=_("charge"),
    )
    recorded_by = person_column(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("final meter reading")
        verbose_name_plural = _("final meter readings")
        ordering = ["moveout", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["moveout", "meter"], name="moveout_meter_read_once"),
            models.CheckConstraint(
                condition=Q(final__gte=F("previous")), name="moveout_reading_not_backwards"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0, amount__gte=0), name="moveout_reading_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount=0) | Q(charge__isnull=False), name="moveout_reading_billed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_meter_display()} {self.final}"

    @property
    def used(self):
        return self.final - self.previous


class MoveOutItem(PermanentModel):
    """One item of the unit's condition at the handover (damage, missing fittings), with an
    optional photo; a price is billed to the tenant as a charge, which the refund gate then
    asks to be paid or deducted from a deposit."""

    moveout = models.ForeignKey(
        MoveOut, models.PROTECT, related_name="items", verbose_name=_("shop handover")
    )
    description = models.CharField(_("description"), max_length=200)
    photo = models.FileField(_("photo"), upload_to=condition_photo_path, blank=True)
    price = money_column(_("price"))
    charge = models.OneToOneField(
        Charge,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="moveout_item",
        verbose_name=_("charge"),
    )
    recorded_by = person_column(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("condition item")
        verbose_name_plural = _("condition items")
        ordering = ["moveout", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="moveout_item_said"),
            models.CheckConstraint(condition=Q(price__gte=0), name="moveout_item_not_negative"),
            models.CheckConstraint(
                condition=Q(price=0) | Q(charge__isnull=False), name="moveout_item_billed"
            ),
        ]

    def __str__(self) -> str:
        return self.description
