"""The desk's money: fee catalogue, receipts, permits, charges, the daily close.

Balances are computed from rows; stored totals (a receipt's total) are written once, in
the transaction that creates the rows they sum, and never edited afterwards.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models import Contractor, Tenant, Unit, mask_identifier
from config.money import MAX_AMOUNT

ZERO = Decimal("0.00")


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


# --- catalogue ---------------------------------------------------------------------------


class FeeCategory(models.TextChoices):
    FEE = "fee", _("Fee")
    DEPOSIT = "deposit", _("Deposit")
    OTHER = "other", _("Other charge")


class FeeType(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60)
    category = models.CharField(_("category"), max_length=10, choices=FeeCategory.choices)
    default_amount = money_field(_("default amount"), default=ZERO)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee type")
        verbose_name_plural = _("fee types")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_amount__gte=0), name="fee_type_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_zh


# --- numbering ---------------------------------------------------------------------------


class NumberSequence(models.Model):
    """The next number of a series (receipts of a year, permits...), taken under a row lock
    in the transaction that uses it: a rolled-back issue gives its number back."""

    key = models.CharField(_("series"), max_length=40, unique=True)
    last_value = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.key}: {self.last_value}"


# --- receipts ----------------------------------------------------------------------------


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Bank card")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    TRANSFER = "transfer", _("Bank transfer")


class PayerKind(models.TextChoices):
    TENANT = "tenant", _("Tenant")
    CONTRACTOR = "contractor", _("Contractor")
    PERSON = "person", _("Named person")


class ReceiptStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    VOID_REQUESTED = "void_requested", _("Void requested")
    VOID = "void", _("Void")


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Receipt(models.Model):
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
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="receipts_issued",
        verbose_name=_("cashier"),
    )
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    total = money_field(_("total"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReceiptStatus.choices, default=ReceiptStatus.ISSUED
    )
    discount_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discount approved by"),
    )

    void_reason = models.CharField(_("void reason"), max_length=200, blank=True)
    void_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("void requested by"),
    )
    void_requested_at = models.DateTimeField(_("void requested at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("void approved by"),
    )
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

    history = HistoricalRecords()

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


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(
        Receipt, models.PROTECT, related_name="lines", verbose_name=_("receipt")
    )
    fee_type = models.ForeignKey(FeeType, models.PROTECT, related_name="+", verbose_name=_("fee"))
    description = models.CharField(_("description"), max_length=100, blank=True)
    quantity = models.IntegerField(_("quantity"), default=1)
    unit_price = money_field(_("unit price"))
    discount = money_field(_("discount"), default=ZERO)
    discount_reason = models.CharField(_("discount reason"), max_length=100, blank=True)
    amount = money_field(_("amount"))
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


class ReceiptPrint(models.Model):
    """One paper copy of a receipt, served by the desk's print button: copy 1 is the
    original, every later copy a reprint (重打) and printed as one."""

    receipt = models.ForeignKey(
        Receipt, models.PROTECT, related_name="prints", verbose_name=_("receipt")
    )
    copy = models.PositiveSmallIntegerField(_("copy"))
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("printed by")
    )
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


# --- paper receipt books -----------------------------------------------------------------


class ReceiptBook(models.Model):
    """A numbered paper receipt book (收据本) for days the system cannot be used."""

    series = models.CharField(_("series"), max_length=8, blank=True)
    first_number = models.PositiveIntegerField(_("first number"))
    last_number = models.PositiveIntegerField(_("last number"))
    issued_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("issued to")
    )
    issued_on = models.DateField(_("issued on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("receipt book")
        verbose_name_plural = _("receipt books")
        ordering = ["series", "first_number"]
        permissions = [("manage_receipt_book", _("Can register and transcribe receipt books"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_number__gte=F("first_number")), name="book_range_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series}{self.first_number:07d}–{self.series}{self.last_number:07d}"

    def paper_number(self, n: int) -> str:
        return f"{self.series}{n:07d}"


class SpoiledPaperReceipt(models.Model):
    """A paper receipt written wrong or torn, recorded void so the book's numbers add up."""

    book = models.ForeignKey(
        ReceiptBook, models.PROTECT, related_name="spoiled", verbose_name=_("receipt book")
    )
    paper_number = models.CharField(_("paper receipt number"), max_length=20, unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spoiled paper receipt")
        verbose_name_plural = _("spoiled paper receipts")

    def __str__(self) -> str:
        return self.paper_number


# --- worker permits ----------------------------------------------------------------------


class PermitStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    RETURNED = "returned", _("Returned")
    LOST = "lost", _("Lost")
    CANCELLED = "cancelled", _("Cancelled (receipt voided)")


class Permit(models.Model):
    """A decoration worker's pass (装修人员出入证)."""

    number = models.CharField(_("permit number"), max_length=16, unique=True)
    worker_name = models.CharField(_("worker"), max_length=50)
    id_doc_type = models.CharField(_("ID document"), max_length=12, default="resident_id")
    id_number = models.CharField(_("ID number"), max_length=30)
    phone = models.CharField(_("mobile"), max_length=11)
    photo = models.FileField(_("photo"), upload_to="permits/%Y/", blank=True)
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
    card_deposit = money_field(_("card deposit"), default=ZERO)
    # Set when the card comes back: its deposit may then be refunded (deposits app).
    deposit_released_on = models.DateField(_("card deposit released on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    lost_reported_on = models.DateField(_("reported lost on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("worker permit")
        verbose_name_plural = _("worker permits")
        ordering = ["-issued_at", "-pk"]
        permissions = [("issue_permit", _("Can issue, return and replace worker permits"))]
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
        return mask_identifier(self.id_number)


# --- charges (应收) ------------------------------------------------------------------------


class Charge(models.Model):
    """An amount billed to a tenant, settled in full or in part by receipt lines."""

    tenant = models.ForeignKey(
        Tenant, models.PROTECT, related_name="charges", verbose_name=_("tenant")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="charges", verbose_name=_("unit")
    )
    fee_type = models.ForeignKey(FeeType, models.PROTECT, related_name="+", verbose_name=_("fee"))
    description = models.CharField(_("description"), max_length=200)
    amount = money_field(_("amount"))
    billed_on = models.DateField(_("billed on"))
    due_on = models.DateField(_("due on"), db_index=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("billed by")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["due_on", "pk"]
        permissions = [("bill_charge", _("Can bill charges and record dunning"))]
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


class DunningChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    NOTICE = "notice", _("Written notice")
    WECHAT = "wechat", _("WeChat")


class DunningNote(models.Model):
    """A record of chasing an overdue charge (催收记录)."""

    charge = models.ForeignKey(
        Charge, models.PROTECT, related_name="dunning_notes", verbose_name=_("charge")
    )
    noted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=DunningChannel.choices)
    contact = models.CharField(_("contact"), max_length=60)
    result = models.CharField(_("result"), max_length=200)
    promised_on = models.DateField(_("promised payment date"), null=True, blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("dunning note")
        verbose_name_plural = _("dunning notes")
        ordering = ["-noted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.noted_on} {self.get_channel_display()}"


# --- the daily close ---------------------------------------------------------------------


class DayState(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    HANDED_OVER = "handed_over", _("Handed over")


# Banknotes and coins counted at the close, in yuan.
DENOMINATIONS = [
    Decimal("100"),
    Decimal("50"),
    Decimal("20"),
    Decimal("10"),
    Decimal("5"),
    Decimal("1"),
    Decimal("0.5"),
    Decimal("0.1"),
]


class DailyClose(models.Model):
    """The count of one business date's takings (日结) and its way to finance."""

    business_date = models.DateField(_("business date"), unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=DayState.choices, default=DayState.OPEN
    )
    # The final count (every count is kept in DayCount; the first one is the blind count).
    # cash_count is the drawer by denomination, float included; counted holds the takings
    # by payment method, so its cash is the counted cash less the opening float, and compares
    # with the expected takings directly.
    cash_count = models.JSONField(_("cash by denomination"), default=dict, blank=True)
    counted = models.JSONField(_("counted by payment method"), default=dict, blank=True)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counted by"),
    )
    # Frozen at submission: expected takings by method, and explanations of differences.
    expected = models.JSONField(_("expected by payment method"), default=dict, blank=True)
    explanations = models.JSONField(_("explanations of differences"), default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_comment = models.CharField(_("manager's comment"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("daily close")
        verbose_name_plural = _("daily closes")
        ordering = ["-business_date"]
        permissions = [
            ("submit_day", _("Can count and submit a day")),
            ("approve_day", _("Can approve or return a submitted day")),
            ("confirm_handover", _("Can confirm the handover of a day's cash")),
            ("sign_off_discrepancy", _("Can sign off a handover discrepancy")),
        ]

    def __str__(self) -> str:
        return str(self.business_date)

    def get_absolute_url(self) -> str:
        return reverse("fees:day_detail", args=[self.business_date.isoformat()])

    @property
    def is_open(self) -> bool:
        return self.state == DayState.OPEN


class DayCount(models.Model):
    """One count of a day's cash and platform totals, kept for good. The first is the blind
    count, entered before the expected figures were shown; every later one is a recount."""

    day = models.ForeignKey(
        DailyClose, models.PROTECT, related_name="counts", verbose_name=_("daily close")
    )
    sequence = models.PositiveSmallIntegerField(_("count number"))
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("person who counted"),
    )
    counted_at = models.DateTimeField(_("counted at"))
    # The change the drawer started the day with (备用金); it is part of the counted cash.
    opening_float = money_field(_("opening float"))
    float_left = money_field(_("float left for the next shift"))

    class Meta:
        verbose_name = _("count")
        verbose_name_plural = _("counts")
        ordering = ["day", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["day", "sequence"], name="one_count_per_number"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="count_number_from_one"),
            models.CheckConstraint(
                condition=Q(opening_float__gte=0, float_left__gte=0),
                name="count_float_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} #{self.sequence}"

    @property
    def is_blind(self) -> bool:
        return self.sequence == 1

    @property
    def is_recount(self) -> bool:
        return self.sequence > 1

    def amount(self, method: str) -> Decimal:
        for row in self.amounts.all():
            if row.method == method:
                return row.amount
        return ZERO

    @property
    def cash_counted(self) -> Decimal:
        """All the cash in the drawer, the opening float included."""
        return self.amount(PaymentMethod.CASH)

    @property
    def cash_takings(self) -> Decimal:
        return self.cash_counted - self.opening_float

    @property
    def non_cash(self) -> list[tuple[str, Decimal]]:
        """(method, amount) of each non-cash payment method, in the methods' order."""
        return [(m, self.amount(m)) for m in PaymentMethod.values if m != PaymentMethod.CASH]

    @property
    def non_cash_total(self) -> Decimal:
        return sum(
            (row.amount for row in self.amounts.all() if row.method != PaymentMethod.CASH), ZERO
        )

    @property
    def cash_to_hand_over(self) -> Decimal:
        return self.cash_counted - self.float_left


class DayCountCash(models.Model):
    """Notes or coins of one denomination in a count."""

    count = models.ForeignKey(
        DayCount, models.PROTECT, related_name="cash", verbose_name=_("count")
    )
    denomination = models.DecimalField(_("denomination"), max_digits=6, decimal_places=2)
    pieces = models.PositiveIntegerField(_("pieces"))

    class Meta:
        verbose_name = _("counted denomination")
        verbose_name_plural = _("counted denominations")
        ordering = ["count", "-denomination"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "denomination"], name="one_row_per_denomination"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.denomination} × {self.pieces}"


class DayCountAmount(models.Model):
    """The amount counted for one payment method: the drawer's cash (float included), or a
    platform's statement total."""

    count = models.ForeignKey(
        DayCount, models.PROTECT, related_name="amounts", verbose_name=_("count")
    )
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    amount = money_field(_("amount"))

    class Meta:
        verbose_name = _("counted amount")
        verbose_name_plural = _("counted amounts")
        ordering = ["count", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["count", "method"], name="one_amount_per_method"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="counted_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class Handover(models.Model):
    """Finance's recount of a day's cash (交款), signed by both sides on the slip."""

    day = models.OneToOneField(
        DailyClose, models.PROTECT, related_name="handover", verbose_name=_("daily close")
    )
    cash_expected = money_field(_("cash handed over"))
    cash_received = money_field(_("cash received by finance"))
    bag_number = models.CharField(_("cash bag / seal number"), max_length=30)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    received_at = models.DateTimeField(_("received at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.CheckConstraint(
                condition=Q(cash_received__gte=0), name="handover_received_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.bag_number}"

    @property
    def difference(self) -> Decimal:
        return self.cash_received - self.cash_expected


class Discrepancy(models.Model):
    """A difference found when finance recounts a day's cash; the manager signs it off."""

    handover = models.OneToOneField(
        Handover, models.PROTECT, related_name="discrepancy", verbose_name=_("handover")
    )
    amount = money_field(_("difference"))
    explanation = models.CharField(_("explanation"), max_length=300, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.handover} {self.amount}"


# --- month-end lock and long exports -----------------------------------------------------


class MonthLock(models.Model):
    """Finance's lock of a month whose every day is handed over: the monthly statement is
    frozen as these files, and every later download returns exactly their bytes."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("locked by")
    )
    locked_at = models.DateTimeField(_("locked at"))
    statement_xlsx = models.FileField(_("statement (Excel)"), upload_to="statements/")
    statement_pdf = models.FileField(_("statement (PDF)"), upload_to="statements/")
    xlsx_sha256 = models.CharField(_("SHA-256 of the Excel file"), max_length=64)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF file"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("month lock")
        verbose_name_plural = _("month locks")
        ordering = ["-year", "-month"]
        permissions = [
            ("lock_month", _("Can lock a month")),
            ("download_statement", _("Can download statements and audit packs")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_lock_per_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="lock_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A long export (an audit pack, a year's statement) built in the background; the page
    shows its progress and offers the file when it is done."""

    kind = models.CharField(_("kind"), max_length=20)
    params = models.JSONField(_("parameters"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
