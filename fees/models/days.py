"""The daily close: counts, the handover to finance and discrepancies."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.money import ZERO, money_column
from config.people import person_column
from config.permanence import Permanence, PermanentModel
from fees.enums import DayState, PaymentMethod


class DailyClose(PermanentModel):
    """The count of one business date's takings (日结) and its way to finance."""

    business_date = models.DateField(_("business date"), unique=True)
    state = models.CharField(
        _("state"), max_length=12, choices=DayState.choices, default=DayState.OPEN
    )
    # Every count is kept in DayCount (the first one is the blind count); the last one is
    # the final count, whose figures by payment method are in DailyCloseMethod rows with the
    # expected figures frozen at submission and the explanations of the differences.
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    counted_by = person_column(_("counted by"), optional=True)
    submitted_by = person_column(_("submitted by"), optional=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = person_column(_("approved by"), optional=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_comment = models.CharField(_("manager's comment"), max_length=300, blank=True)

    # The state and its stamps move through the services; a day handed over is final.
    permanence = Permanence(fixed=("business_date",), frozen_when="OLD.state = 'handed_over'")
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

    @property
    def figures(self) -> dict[str, "DailyCloseMethod"]:
        """{payment method: its row of figures}, in the methods' order. Reads the rows
        prefetched with ``prefetch_related("methods")``, or one query."""
        if self.pk is None:
            return {}
        rows = sorted(self.methods.all(), key=lambda row: method_order(row.method))
        return {row.method: row for row in rows}

    def _by_method(self, name: str) -> dict:
        values = ((method, getattr(row, name)) for method, row in self.figures.items())
        return {method: value for method, value in values if value not in (None, "")}

    @property
    def counted_by_method(self) -> dict[str, Decimal]:
        """The final count's takings by method (cash less the opening float); a method
        without a counted figure is left out."""
        return self._by_method("counted")

    @property
    def expected_by_method(self) -> dict[str, Decimal]:
        """The takings frozen at submission; empty while the day is open."""
        return self._by_method("expected")

    @property
    def explanations_by_method(self) -> dict[str, str]:
        """The explanation of each method's difference, for the methods that have one."""
        return self._by_method("explanation")


def method_order(method: str) -> int:
    """A payment method's place in the methods' order (an unknown one comes last)."""
    values = PaymentMethod.values
    return values.index(method) if method in values else len(values)


class DailyCloseMethod(PermanentModel):
    """A close's figures for one payment method: the takings expected (frozen when the day
    is submitted), the takings counted (the final count; for cash, the drawer less the
    opening float) and the explanation of their difference."""

    close = models.ForeignKey(
        DailyClose, models.PROTECT, related_name="methods", verbose_name=_("daily close")
    )
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    # None, not zero: "not frozen yet" (an open day) and "not counted" are not 0.00.
    expected = money_column(_("expected"), null=True, blank=True)
    counted = money_column(_("counted"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)

    # The figures change while the day is counted, submitted or returned to the desk; once
    # the manager approves the day they are the day's for good.
    permanence = Permanence(
        fixed=("close", "method"),
        frozen_when="EXISTS (SELECT 1 FROM fees_dailyclose WHERE fees_dailyclose.id = "
        "OLD.close_id AND fees_dailyclose.state IN ('approved', 'handed_over'))",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("figures by payment method")
        verbose_name_plural = _("figures by payment method")
        ordering = ["close", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["close", "method"], name="one_close_row_per_method"),
        ]

    def __str__(self) -> str:
        return f"{self.close} {self.get_method_display()}"

    @property
    def difference(self) -> Decimal | None:
        """Counted less expected (a shortage is negative); None until both are known.

        Computed, not stored: SQLite keeps decimals as floating point, where a stored
        difference could never be checked equal to counted - expected."""
        if self.counted is None or self.expected is None:
            return None
        return self.counted - self.expected


class DayCount(PermanentModel):
    """One count of a day's cash and platform totals, kept for good. The first is the blind
    count, entered before the expected figures were shown; every later one is a recount."""

    day = models.ForeignKey(
        DailyClose, models.PROTECT, related_name="counts", verbose_name=_("daily close")
    )
    sequence = models.PositiveSmallIntegerField(_("count number"))
    counted_by = person_column(_("person who counted"))
    counted_at = models.DateTimeField(_("counted at"))
    # The change the drawer started the day with (备用金); it is part of the counted cash.
    opening_float = money_column(_("opening float"))
    float_left = money_column(_("float left for the next shift"))

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


class DayCountCash(PermanentModel):
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


class DayCountAmount(PermanentModel):
    """The amount counted for one payment method: the drawer's cash (float included), or a
    platform's statement total."""

    count = models.ForeignKey(
        DayCount, models.PROTECT, related_name="amounts", verbose_name=_("count")
    )
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    amount = money_column(_("amount"))

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


class Handover(PermanentModel):
    """Finance's recount of a day's cash (交款), signed by both sides on the slip."""

    day = models.OneToOneField(
        DailyClose, models.PROTECT, related_name="handover", verbose_name=_("daily close")
    )
    cash_expected = money_column(_("cash handed over"))
    cash_received = money_column(_("cash received by finance"))
    bag_number = models.CharField(_("cash bag / seal number"), max_length=30)
    received_by = person_column(_("received by"))
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


class Discrepancy(PermanentModel):
    """A difference found when finance recounts a day's cash; the manager signs it off."""

    handover = models.OneToOneField(
        Handover, models.PROTECT, related_name="discrepancy", verbose_name=_("handover")
    )
    amount = money_column(_("difference"))
    explanation = models.CharField(_("explanation"), max_length=300, blank=True)
    signed_off_by = person_column(_("signed off by"), optional=True)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    # The manager signs off once, with the explanation.
    permanence = Permanence(
        fixed=("handover", "amount"),
        filled_once=("explanation", "signed_off_by", "signed_off_at"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.handover} {self.amount}"


class Payout(PermanentModel):
    """Money paid out of the desk's drawer on a business date (a deposit refunded in cash,
    for one): the day's expected cash is its cash takings less what was paid out. Written
    once by fees.services.days.payout_record, by whichever app pays; fees knows only the
    text it shows (``purpose``, ``reference``), never the record that paid."""

    business_date = models.DateField(_("business date"))
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    amount = money_column(_("amount paid out"))
    purpose = models.CharField(_("paid out for"), max_length=200)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    paid_by = person_column(_("paid by"))
    paid_at = models.DateTimeField(_("paid at"))

    # As paid, for good: a payout made in error is answered by money taken back on a
    # receipt, never by editing this row.
    permanence = Permanence()

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["business_date", "pk"]
        permissions = [("record_payout", _("Can pay money out of the drawer"))]
        indexes = [models.Index(fields=["business_date", "method"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(condition=~Q(purpose=""), name="payout_has_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.business_date} {self.get_method_display()} {self.amount}"
