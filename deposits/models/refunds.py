"""Refunds (退款程序) of deposits and the deductions (扣款) itemised in them."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.money import money_column
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from deposits.enums import DeductionKind, RefundStatus
from deposits.models.deposits import Deposit
from deposits.models.violations import Violation
from fees.enums import PaymentMethod
from fees.models import Charge, ChargeOffset

HALF_CENT = Decimal("0.005")


class Refund(PermanentModel):
    """A request to give a deposit back, less its itemised deductions: prepared by the desk,
    approved (or returned) by the manager, paid by finance; the payee signs on paper.

    ``held`` is what the deposit held when the request was prepared; ``held = deducted +
    amount`` always (a constraint), so the refund never exceeds what is held and nothing is
    left when it is paid."""

    deposit = models.ForeignKey(
        Deposit, models.PROTECT, related_name="refunds", verbose_name=_("deposit")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    held = money_column(_("held"))
    deducted = money_column(_("deductions"))
    amount = money_column(_("refund amount"))
    payee = models.CharField(_("payee"), max_length=100)
    # The payer hands back the receipt's customer copy (收据客户联原件): checked at the request.
    receipt_collected = models.BooleanField(_("original receipt collected"))
    prepared_by = person_column(_("prepared by"))
    prepared_at = models.DateTimeField(_("prepared at"))
    decided_by = person_column(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_comment = models.CharField(_("why it was returned"), max_length=200, blank=True)
    paid_by = person_column(_("paid by"), optional=True)
    paid_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, blank=True
    )
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)

    # The request stays as prepared; each later step is written once; a paid or returned
    # request changes no more.
    permanence = Permanence(
        fixed=(
            "deposit",
            "held",
            "deducted",
            "amount",
            "payee",
            "receipt_collected",
            "prepared_by",
            "prepared_at",
        ),
        filled_once=(
            "decided_by",
            "decided_at",
            "return_comment",
            "paid_by",
            "paid_at",
            "paid_on",
            "method",
            "reference",
        ),
        frozen_when="OLD.status IN ('paid', 'returned')",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-prepared_at", "-pk"]
        permissions = [
            ("prepare_refund", _("Can prepare deposit refunds")),
            ("approve_refund", _("Can approve or return deposit refunds")),
            ("pay_refund", _("Can pay approved deposit refunds")),
        ]
        indexes = [
            models.Index(fields=["status", "prepared_at"]),
            # The refund list in its order (the latest prepared first).
            models.Index(fields=["prepared_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(deducted__gte=0), name="refund_deducted_not_negative"
            ),
            # Never more than is held; held − deductions − refund = 0. Within half a cent,
            # which for amounts of whole cents is exactly: SQLite compares money as floating
            # point, where 0.10 + 0.20 is not 0.30.
            models.CheckConstraint(
                condition=LessThan(Abs(F("held") - F("deducted") - F("amount")), Value(HALF_CENT)),
                name="refund_adds_up_to_held",
            ),
            # One refund under way per deposit, whoever prepares it at the same moment.
            models.UniqueConstraint(
                fields=["deposit"],
                condition=Q(status__in=["requested", "approved"]),
                name="refund_one_under_way",
            ),
            # Separation of duties (config.duties), in the database too.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("prepared_by")),
                name="refund_decided_by_another",
            ),
            models.CheckConstraint(
                condition=~Q(status=RefundStatus.RETURNED) | ~Q(return_comment=""),
                name="refund_return_has_comment",
            ),
            models.CheckConstraint(
                condition=~Q(status=RefundStatus.PAID)
                | (
                    Q(paid_by__isnull=False, paid_on__isnull=False, decided_by__isnull=False)
                    & ~Q(method="")
                ),
                name="refund_paid_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deposit} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("deposits:refund_detail", args=[self.pk])


class Deduction(PermanentModel):
    """Part of a deposit kept, with its reason: itemised in a refund request (counted once
    the request is approved), or forfeited by the manager outside one. A deduction of an
    unpaid charge settles that charge (a fees ChargeOffset) when it is decided."""

    deposit = models.ForeignKey(
        Deposit, models.PROTECT, related_name="deductions", verbose_name=_("deposit")
    )
    refund = models.ForeignKey(
        Refund,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deductions",
        verbose_name=_("refund request"),
    )
    kind = models.CharField(_("kind"), max_length=14, choices=DeductionKind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    amount = money_column(_("amount"))
    charge = models.ForeignKey(
        Charge,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deposit_deductions",
        verbose_name=_("settles charge"),
    )
    violation = models.ForeignKey(
        Violation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deductions",
        verbose_name=_("violation"),
    )
    offset = models.OneToOneField(
        ChargeOffset,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deduction",
        verbose_name=_("charge offset"),
    )
    recorded_by = person_column(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    # As itemised, for good; the charge's offset is linked once, when the deduction counts.
    permanence = Permanence(
        fixed=(
            "deposit",
            "refund",
            "kind",
            "reason",
            "amount",
            "charge",
            "violation",
            "recorded_by",
            "recorded_at",
        ),
        filled_once=("offset",),
    )

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["deposit", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deduction_amount_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="deduction_has_reason"),
            models.CheckConstraint(
                condition=Q(charge__isnull=True) | Q(kind=DeductionKind.UNPAID_CHARGE),
                name="deduction_charge_is_unpaid_charge",
            ),
            models.CheckConstraint(
                condition=Q(offset__isnull=True) | Q(charge__isnull=False),
                name="deduction_offset_has_charge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


def deduction_photo_path(instance, filename: str) -> str:
    """A name made here, never the uploader's; the service stores JPEGs."""
    return f"deductions/{timezone.localdate().year}/{uuid.uuid4().hex}.jpg"


class DeductionPhoto(PermanentModel):
    """The picture that shows why an amount is kept (the broken tiles), taken when the
    deduction is itemised; decoded and re-encoded by the service, served only through a
    view that checks the reader's role."""

    deduction = models.OneToOneField(
        Deduction, models.PROTECT, related_name="photo", verbose_name=_("deduction")
    )
    image = models.FileField(_("photo"), upload_to=deduction_photo_path)
    taken_by = person_column(_("uploaded by"))
    taken_at = models.DateTimeField(_("uploaded at"))

    permanence = Permanence()

    class Meta:
        verbose_name = _("deduction photo")
        verbose_name_plural = _("deduction photos")
        ordering = ["deduction", "pk"]

    def __str__(self) -> str:
        return f"{self.deduction} · {self.pk}"
