"""The stored totals of submitted days: what month and year figures read instead of the
receipts, so that a month costs a few hundred rows however many receipts it had.

The rows are written in the transaction that submits the day (fees.services.totals) and
dropped when the manager returns it to the desk; in between nothing can change the day's
receipts (a submitted day takes no receipt and no void; a correction is a reversal on the
day it is made). ``manage.py check_day_totals`` compares them with the receipts.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.money import money_column
from fees.enums import PaymentMethod
from fees.models.catalogue import FeeType
from fees.models.days import DailyClose


class DayMethodTotal(models.Model):
    """A submitted day's receipts of one payment method: those that count (reversals
    included, negative), the reversals among them, and the void ones (counted nowhere).
    A stored day has one row per payment method, zero when it took nothing that way."""

    close = models.ForeignKey(
        DailyClose, models.PROTECT, related_name="method_totals", verbose_name=_("daily close")
    )
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    receipts = models.PositiveIntegerField(_("receipts"))
    amount = money_column(_("amount"))
    reversals = models.PositiveIntegerField(_("reversals"))
    reversal_amount = money_column(_("amount of the reversals"))
    voids = models.PositiveIntegerField(_("void receipts"))
    void_amount = money_column(_("amount of the void receipts"))

    class Meta:
        verbose_name = _("day's total by payment method")
        verbose_name_plural = _("day's totals by payment method")
        ordering = ["close", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["close", "method"], name="one_day_total_per_method"),
        ]

    def __str__(self) -> str:
        return f"{self.close} {self.get_method_display()} {self.amount}"


class DayFeeTotal(models.Model):
    """A submitted day's receipt lines of one fee type paid by one method, of the receipts
    that count: their amount, and the discounts given (a reversal's, negative: it gives
    its original's discount back) with the number of discounted lines."""

    close = models.ForeignKey(
        DailyClose, models.PROTECT, related_name="fee_totals", verbose_name=_("daily close")
    )
    fee_type = models.ForeignKey(FeeType, models.PROTECT, related_name="+", verbose_name=_("fee"))
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    lines = models.PositiveIntegerField(_("lines"))
    amount = money_column(_("amount"))
    discount = money_column(_("discount"))
    discounted_lines = models.PositiveIntegerField(_("discounted lines"))

    class Meta:
        verbose_name = _("day's total by fee")
        verbose_name_plural = _("day's totals by fee")
        ordering = ["close", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["close", "fee_type", "method"], name="one_day_total_per_fee_and_method"
            ),
            models.CheckConstraint(
                condition=Q(discounted_lines__lte=models.F("lines")),
                name="day_fee_total_discounted_within_lines",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.close} {self.fee_type} {self.amount}"
