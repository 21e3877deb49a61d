"""Worker permits (施工人员出入证) and their card deposits."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Contractor, Unit
from config.money import ZERO, money_column
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from config.privacy import mask_id_number
from fees.enums import PermitStatus
from fees.models.receipts import Receipt


def permit_photo_path(instance, filename: str) -> str:
    """A name made here: the uploader's may hold ``../``, a NUL or a lying suffix. The
    service stores JPEGs; an older photo kept as PNG keeps its suffix (it sets the type)."""
    suffix = "png" if filename.lower().endswith(".png") else "jpg"
    return f"permits/{timezone.localdate().year}/{uuid.uuid4().hex}.{suffix}"


class Permit(PermanentModel):
    """A decoration worker's pass (装修人员出入证)."""

    number = models.CharField(_("permit number"), max_length=16, unique=True)
    worker_name = models.CharField(_("worker"), max_length=50)
    id_doc_type = models.CharField(_("ID document"), max_length=12, default="resident_id")
    id_number = models.CharField(_("ID number"), max_length=30)
    phone = models.CharField(_("mobile"), max_length=11)
    photo = models.FileField(_("photo"), upload_to=permit_photo_path, blank=True)
    contractor = models.ForeignKey(
        Contractor, models.PROTECT, related_name="permits", verbose_name=_("contractor")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="permits", verbose_name=_("unit")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"), max_length=10, choices=PermitStatus.choices, default=PermitStatus.ACTIVE
    )
    receipt = models.ForeignKey(
        Receipt, models.PROTECT, related_name="permits", verbose_name=_("receipt")
    )
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces lost permit"),
    )
    card_deposit = money_column(_("card deposit"), default=ZERO)
    # Set when the card comes back: its deposit may then be refunded (deposits app).
    deposit_released_on = models.DateField(_("card deposit released on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    lost_reported_on = models.DateField(_("reported lost on"), null=True, blank=True)
    issued_by = person_column(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"))

    # The holder, the validity and the payment are as issued; the status moves, and the
    # dates of the return, the loss and the deposit's release are written once. A cancelled
    # permit is final.
    permanence = Permanence(
        fixed=(
            "number",
            "worker_name",
            "id_doc_type",
            "id_number",
            "phone",
            "photo",
            "contractor",
            "unit",
            "valid_from",
            "valid_to",
            "receipt",
            "replaces",
            "card_deposit",
            "issued_by",
            "issued_at",
        ),
        filled_once=("returned_on", "lost_reported_on", "deposit_released_on"),
        frozen_when="OLD.status = 'cancelled'",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("worker permit")
        verbose_name_plural = _("worker permits")
        ordering = ["-issued_at", "-pk"]
        permissions = [("issue_permit", _("Can issue, return and replace worker permits"))]
        # The desk's home counts the permits expiring soon and those not returned among
        # years of permits: by state, then by last day.
        indexes = [models.Index(fields=["status", "valid_to"], name="permit_status_valid_to")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="permit_validity_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.worker_name}"

    def get_absolute_url(self) -> str:
        return reverse("fees:permit_detail", args=[self.pk])

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)
