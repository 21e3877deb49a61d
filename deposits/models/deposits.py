"""Deposits (保证金 / 押金): money taken on a receipt line and held until refunded or
forfeited."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Contractor, Tenant, Unit
from config.money import money_column
from config.permanence import Permanence, PermanentModel
from deposits.enums import DEPOSIT_CLOSED, DepositKind, DepositStatus
from deposits.models.applications import DecorationApplication
from fees.models import Permit, ReceiptLine


class Deposit(PermanentModel):
    """Money held for a decoration, a permit card or another purpose. What it holds now is
    ``amount`` less its decided deductions and paid refunds (selectors.deposits), never a
    stored figure; when it closes that is zero."""

    kind = models.CharField(_("kind"), max_length=12, choices=DepositKind.choices)
    # The receipt line it was taken on; a line of N permit card deposits holds N deposits.
    receipt_line = models.ForeignKey(
        ReceiptLine, models.PROTECT, related_name="deposits", verbose_name=_("receipt line")
    )
    amount = money_column(_("amount taken"))
    application = models.ForeignKey(
        DecorationApplication,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
        verbose_name=_("decoration application"),
    )
    permit = models.OneToOneField(
        Permit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="card_deposit_record",
        verbose_name=_("worker permit"),
    )
    # Whose money it is, as the receipt says: the refund goes back to them.
    tenant = models.ForeignKey(
        Tenant,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
        verbose_name=_("tenant"),
    )
    contractor = models.ForeignKey(
        Contractor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deposits",
        verbose_name=_("contractor"),
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="deposits", verbose_name=_("unit")
    )
    payer_name = models.CharField(_("paid by"), max_length=100)
    taken_at = models.DateTimeField(_("taken at"))
    status = models.CharField(
        _("status"), max_length=16, choices=DepositStatus.choices, default=DepositStatus.HELD
    )
    # A permit card's deposit is released for refund when the card comes back.
    released_on = models.DateField(_("released for refund on"), null=True, blank=True)
    # The day its refund gate opened, empty while an item of the gate is open: the gate as
    # the live records answer it (selectors.ledger.with_gate), kept here by
    # services.gates.sync_gates whenever one of those records changes, so that the ledger and
    # the desk's home list open gates from an index however many deposits are held. Derived,
    # so not in the history; `manage.py deposit_gates` checks it against the records.
    gate_opened_on = models.DateField(_("gate opened on"), null=True, blank=True, editable=False)
    # The unit the ledger files the deposit under: its own, else its decoration's, else its
    # permit's (none for a card of no unit). Fixed when taken (save()), and stored so that
    # the ledger groups and pages by an index rather than by three joins per deposit.
    ledger_unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("unit in the ledger"),
    )

    # As taken, for good; the release is written once; a closed deposit changes no more.
    permanence = Permanence(
        fixed=(
            "kind",
            "receipt_line",
            "amount",
            "application",
            "permit",
            "tenant",
            "contractor",
            "unit",
            "payer_name",
            "taken_at",
            "ledger_unit",
        ),
        filled_once=("released_on",),
        frozen_when="OLD.status IN ('refunded', 'forfeited', 'cancelled')",
    )
    history = HistoricalRecords(excluded_fields=["gate_opened_on", "ledger_unit"])

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["-taken_at", "-pk"]
        permissions = [
            ("take_deposit", _("Can take deposits")),
            ("forfeit_deposit", _("Can forfeit deposits")),
        ]
        indexes = [
            # The ledger's totals by age and its page of units read these indexes alone.
            models.Index(fields=["status", "taken_at", "amount"]),
            models.Index(fields=["status", "ledger_unit", "taken_at", "amount"]),
            models.Index(fields=["status", "gate_opened_on"]),
            models.Index(fields=["status", "application"]),  # dormant deposits
            # The deposit list in its order (the latest taken first): a page reads its rows
            # from the index instead of sorting every deposit with its figures.
            models.Index(fields=["taken_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive"),
            # A card deposit belongs to its permit, a decoration deposit to its application.
            models.CheckConstraint(
                condition=Q(kind=DepositKind.PERMIT_CARD, permit__isnull=False)
                | (~Q(kind=DepositKind.PERMIT_CARD) & Q(permit__isnull=True)),
                name="deposit_card_has_permit",
            ),
            models.CheckConstraint(
                condition=~Q(kind=DepositKind.DECORATION) | Q(application__isnull=False),
                name="deposit_decoration_has_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def filed_unit_id(self) -> int | None:
        """The unit the ledger files this deposit under (ledger_unit)."""
        if self.unit_id is not None:
            return self.unit_id
        if self.application_id is not None:
            return self.application.unit_id
        if self.permit_id is not None:
            return self.permit.unit_id
        return None

    def save(self, *args, **kwargs):
        if self._state.adding and self.ledger_unit_id is None:
            self.ledger_unit_id = self.filed_unit_id()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("deposits:deposit_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in DEPOSIT_CLOSED
