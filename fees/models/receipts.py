"""Receipts, their lines, every printed copy and the original PDF kept of each."""

import secrets
import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Contractor, Tenant, Unit
from config.money import MAX_AMOUNT, ZERO, money_column
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from config.search import prefix_index
from fees.enums import ApprovalOutcome, PayerKind, PaymentMethod, ReceiptStatus
from fees.models.catalogue import FeeType


def new_token() -> str:
    return secrets.token_urlsafe(18)


def receipt_series(year: int) -> str:
    """The numbering series of a year's receipts: the NumberSequence key its numbers are
    taken from, and the receipt chain they form (fees.chain)."""
    return f"receipt-{year}"


def receipt_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def receipt_sequence(number: str) -> int:
    """The place of a receipt in its series: 2026-000123 is the 123rd receipt of 2026."""
    return int(number.rpartition("-")[2])


class Receipt(PermanentModel):
    number = models.CharField(_("number"), max_length=12, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    # The QR code carries this random token, not the number, so receipts can't be enumerated.
    token = models.CharField(
        _("verification token"), max_length=32, unique=True, default=new_token, editable=False
    )
    # The form's one-time key: a second POST of the same form finds this receipt instead
    # of issuing another (double click, browser retry).
    request_key = models.UUIDField(_("form key"), unique=True, null=True, editable=False)

    payer_kind = models.CharField(_("payer is"), max_length=12, choices=PayerKind.choices)
    tenant = models.ForeignKey(
        Tenant,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("tenant"),
    )
    contractor = models.ForeignKey(
        Contractor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("contractor"),
    )
    payer_name = models.CharField(_("payer"), max_length=100)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="receipts", verbose_name=_("unit")
    )
    business_date = models.DateField(_("business date"), db_index=True)
    issued_at = models.DateTimeField(_("issued at"))
    cashier = person_column(_("cashier"), related_name="receipts_issued")
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    total = money_column(_("total"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReceiptStatus.choices, default=ReceiptStatus.ISSUED
    )
    discount_approved_by = person_column(_("discount approved by"), optional=True)

    void_reason = models.CharField(_("void reason"), max_length=200, blank=True)
    void_requested_by = person_column(_("void requested by"), optional=True)
    void_requested_at = models.DateTimeField(_("void requested at"), null=True, blank=True)
    voided_by = person_column(_("void approved by"), optional=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    # A reversal (红冲) is a negative receipt on a later, open day pointing to its original.
    reverses = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reversal_reason = models.CharField(_("reversal reason"), max_length=200, blank=True)

    # A receipt transcribed from a paper receipt book (收据本) on a day the system was down.
    book = models.ForeignKey(
        "ReceiptBook",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("receipt book"),
    )
    paper_number = models.CharField(
        _("paper receipt number"), max_length=20, null=True, blank=True, unique=True
    )

    # The receipt chain (fees.chain): the hash of the receipt before this one in its series,
    # and this receipt's own, written with the row when it is issued and never after.
    chain_previous = models.CharField(
        _("previous receipt's hash"), max_length=64, default="", editable=False
    )
    chain_hash = models.CharField(_("receipt hash"), max_length=64, default="", editable=False)

    # Once issued, a receipt says for good who paid what, how and when, with its place in the
    # chain; only its state moves (a void asked, refused or approved). A transcribed receipt
    # is written with its paper number. A void receipt changes no more.
    permanence = Permanence(
        fixed=(
            "number",
            "year",
            "token",
            "request_key",
            "payer_kind",
            "tenant",
            "contractor",
            "payer_name",
            "unit",
            "business_date",
            "issued_at",
            "cashier",
            "method",
            "reference",
            "total",
            "note",
            "discount_approved_by",
            "reverses",
            "reversal_reason",
            "book",
            "paper_number",
            "chain_previous",
            "chain_hash",
        ),
        frozen_when="OLD.status = 'void'",
    )
    # The chain's hashes never change once written: nothing for the history to tell.
    history = HistoricalRecords(excluded_fields=["chain_previous", "chain_hash"])

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at", "-pk"]
        permissions = [
            ("issue_receipt", _("Can issue receipts")),
            ("approve_discount", _("Can approve discounts over the limit")),
            ("request_void", _("Can request a receipt's void")),
            ("approve_void", _("Can approve a receipt's void")),
            ("reverse_receipt", _("Can issue a reversal")),
            ("verify_receipts", _("Can verify the receipt chain")),
        ]
        indexes = [
            models.Index(fields=["-issued_at", "-id"], name="receipt_newest_first"),
            # The manager's home page looks for pending voids among years of receipts.
            models.Index(
                fields=["issued_at"],
                condition=Q(status="void_requested"),
                name="receipt_void_requested",
            ),
            models.Index(fields=["business_date", "status"]),
            models.Index(fields=["cashier", "business_date"]),
            # The register's payer filter matches the start of the name (config.search).
            prefix_index("payer_name", "receipt_payer_prefix"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, total__gte=0)
                | Q(reverses__isnull=False, total__lte=0),
                name="receipt_total_sign",
            ),
            models.CheckConstraint(
                condition=Q(total__gt=-MAX_AMOUNT) & Q(total__lt=MAX_AMOUNT * 100),
                name="receipt_total_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("fees:receipt_detail", args=[self.pk])

    @property
    def is_void(self) -> bool:
        return self.status == ReceiptStatus.VOID

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def counts(self) -> bool:
        """Whether the receipt counts in takings (a void one stays listed but does not)."""
        return self.status != ReceiptStatus.VOID


class ReceiptLine(PermanentModel):
    receipt = models.ForeignKey(
        Receipt, models.PROTECT, related_name="lines", verbose_name=_("receipt")
    )
    fee_type = models.ForeignKey(FeeType, models.PROTECT, related_name="+", verbose_name=_("fee"))
    description = models.CharField(_("description"), max_length=100, blank=True)
    quantity = models.IntegerField(_("quantity"), default=1)
    unit_price = money_column(_("unit price"))
    discount = money_column(_("discount"), default=ZERO)
    discount_reason = models.CharField(_("discount reason"), max_length=100, blank=True)
    amount = money_column(_("amount"))
    charge = models.ForeignKey(
        "Charge",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="settlements",
        verbose_name=_("settles charge"),
    )

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        ordering = ["pk"]
        indexes = [
            # A day's discounts (the daily close, the statement's list): without it
            # PostgreSQL, seeing few discounted lines, reads every line ever to find them.
            models.Index(
                fields=["receipt"], condition=Q(discount__gt=0), name="receiptline_discounted"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="line_price_not_negative"),
            models.CheckConstraint(condition=Q(discount__gte=0), name="line_discount_not_negative"),
            # Reversal lines carry a negative quantity and amount.
            models.CheckConstraint(
                condition=Q(amount=F("quantity") * F("unit_price") - F("discount"))
                | Q(amount=F("quantity") * F("unit_price") + F("discount")),
                name="line_amount_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(discount=0) | ~Q(discount_reason=""), name="line_discount_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fee_type} × {self.quantity}"

    @property
    def gross(self) -> Decimal:
        return self.quantity * self.unit_price


class ReceiptPrint(PermanentModel):
    """One paper copy of a receipt, served by the desk's print button: copy 1 is the
    original, every later copy a reprint (重打) and printed as one."""

    receipt = models.ForeignKey(
        Receipt, models.PROTECT, related_name="prints", verbose_name=_("receipt")
    )
    copy = models.PositiveSmallIntegerField(_("copy"))
    printed_by = person_column(_("printed by"))
    printed_at = models.DateTimeField(_("printed at"))

    class Meta:
        verbose_name = _("receipt print")
        verbose_name_plural = _("receipt prints")
        ordering = ["receipt", "copy"]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "copy"], name="receipt_print_copy_once"),
            models.CheckConstraint(condition=Q(copy__gte=1), name="receipt_print_copy_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt} #{self.copy}"

    @property
    def is_reprint(self) -> bool:
        return self.copy > 1


def receipt_original_path(instance, filename: str) -> str:
    """A name made here, under MEDIA_ROOT/receipts/<year>/<month>/ of the business date."""
    return f"receipts/{instance.receipt.business_date:%Y/%m}/{uuid.uuid4().hex}.pdf"


class ReceiptOriginal(PermanentModel):
    """A receipt's PDF as first printed (or first put in an audit pack), kept as a file with
    its SHA-256 and never rewritten: every later copy and the audit pack's page are these
    bytes, with a reprint's or a void's marks drawn on top (fees.originals)."""

    receipt = models.OneToOneField(
        Receipt, models.PROTECT, related_name="original", verbose_name=_("receipt")
    )
    file = models.FileField(_("file"), upload_to=receipt_original_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("receipt original")
        verbose_name_plural = _("receipt originals")

    def __str__(self) -> str:
        return f"{self.receipt} ({self.sha256[:12]})"


class DiscountApproval(PermanentModel):
    """One try of the manager's on-the-spot approval of a discount at the desk, approved or
    refused, and the receipt it led to. Kept for every try: the throttle counts the wrong
    passwords here (never the manager's login attempts), and the auditor reads who approved
    what for whom."""

    asked_at = models.DateTimeField(_("asked at"))
    asked_by = person_column(_("asked by"))
    # The desk's address, as the web server saw it.
    terminal = models.GenericIPAddressField(_("terminal"), null=True, blank=True)
    approver_username = models.CharField(_("manager's user name"), max_length=150)
    approver = person_column(_("approver"), optional=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ApprovalOutcome.choices)
    receipt = models.OneToOneField(
        Receipt,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="discount_approval",
        verbose_name=_("receipt"),
    )

    # A try is kept as it was made; a granted one is linked once to the receipt it allowed.
    permanence = Permanence(
        fixed=(
            "asked_at",
            "asked_by",
            "terminal",
            "approver_username",
            "approver",
            "outcome",
        ),
        filled_once=("receipt",),
    )

    class Meta:
        verbose_name = _("discount approval")
        verbose_name_plural = _("discount approvals")
        ordering = ["-asked_at", "-pk"]
        indexes = [
            # The throttle's two questions: this desk's, and this approver's, recent failures.
            models.Index(fields=["asked_by", "asked_at"], name="approval_by_desk"),
            models.Index(fields=["approver_username", "asked_at"], name="approval_by_approver"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(receipt__isnull=True) | Q(outcome=ApprovalOutcome.GRANTED),
                name="approval_receipt_only_when_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.approver_username} {self.asked_at:%Y-%m-%d %H:%M}"

    @property
    def granted(self) -> bool:
        return self.outcome == ApprovalOutcome.GRANTED
