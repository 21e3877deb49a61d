"""Charges billed to tenants and the dunning notes that chase them."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Tenant, Unit
from config.money import ZERO, money_column
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from fees.enums import DunningChannel
from fees.models.catalogue import FeeType


class Charge(PermanentModel):
    """An amount billed to a tenant, settled in full or in part by receipt lines."""

    tenant = models.ForeignKey(
        Tenant, models.PROTECT, related_name="charges", verbose_name=_("tenant")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="charges", verbose_name=_("unit")
    )
    fee_type = models.ForeignKey(FeeType, models.PROTECT, related_name="+", verbose_name=_("fee"))
    description = models.CharField(_("description"), max_length=200)
    amount = money_column(_("amount"))
    billed_on = models.DateField(_("billed on"))
    due_on = models.DateField(_("due on"), db_index=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = person_column(_("billed by"))

    # A bill is cancelled (once, for good) rather than changed.
    permanence = Permanence(
        fixed=(
            "tenant",
            "unit",
            "fee_type",
            "description",
            "amount",
            "billed_on",
            "due_on",
            "created_by",
        ),
        frozen_when="OLD.cancelled = TRUE",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["due_on", "pk"]
        permissions = [
            ("bill_charge", _("Can bill charges and record dunning")),
            ("offset_charge", _("Can settle charges from a deposit")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="charge_amount_positive"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("billed_on")), name="charge_due_after_billing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant} · {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("fees:charge_detail", args=[self.pk])


class ChargeBalance(models.Model):
    """What is still owed on a charge, stored for the reads that take every open charge at
    once (the ageing list): the same figure as selectors.charges.charge_balances() computes
    from the charge's receipt lines and offsets, written again from those rows by
    services.charges.charge_balances_refresh() in the transaction of every change that moves
    it (billing, cancelling, a receipt issued, voided or reversed, an offset). The charge
    itself stays as billed: what it was billed is permanent, what is owed is derived."""

    charge = models.OneToOneField(
        Charge,
        models.CASCADE,
        primary_key=True,
        related_name="stored_balance",
        verbose_name=_("charge"),
    )
    owed = money_column(_("still owed"), default=ZERO)

    class Meta:
        verbose_name = _("charge's balance")
        verbose_name_plural = _("charges' balances")
        indexes = [
            # The open charges only: the ageing reads them, however many are settled.
            models.Index(
                fields=["charge", "owed"], condition=Q(owed__gt=0), name="fees_charge_owed_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.charge_id} {self.owed}"


class ChargeOffset(PermanentModel):
    """Part or all of a charge settled from money the centre holds for the tenant (a
    deduction from a deposit, 抵扣) rather than paid at the desk: it counts as settled like
    a receipt line, and is never undone. ``source`` says where the money came from, in the
    words of the app that offset it (fees knows no deposit)."""

    charge = models.ForeignKey(
        Charge, models.PROTECT, related_name="offsets", verbose_name=_("charge")
    )
    amount = money_column(_("amount"))
    offset_on = models.DateField(_("offset on"))
    source = models.CharField(_("settled from"), max_length=100)
    offset_by = person_column(_("offset by"))
    offset_at = models.DateTimeField(_("offset at"))

    class Meta:
        verbose_name = _("charge offset")
        verbose_name_plural = _("charge offsets")
        ordering = ["offset_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="charge_offset_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.charge} · {self.source}"


class DunningNote(PermanentModel):
    """A record of chasing an overdue charge (催收记录)."""

    charge = models.ForeignKey(
        Charge, models.PROTECT, related_name="dunning_notes", verbose_name=_("charge")
    )
    noted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=DunningChannel.choices)
    contact = models.CharField(_("contact"), max_length=60)
    result = models.CharField(_("result"), max_length=200)
    promised_on = models.DateField(_("promised payment date"), null=True, blank=True)
    noted_by = person_column(_("recorded by"))

    class Meta:
        verbose_name = _("dunning note")
        verbose_name_plural = _("dunning notes")
        ordering = ["-noted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.noted_on} {self.get_channel_display()}"
