"""The deposit ledger's stored figures: what its page and the home panels read instead of
every deposit held, so that the ledger costs a row a day (and a row a unit) however many
deposits the street holds.

They are copies, never running totals: services.ledger writes each row again from the
deposits' own rows (selectors.ledger) whenever a deposit it counts changes, in that change's
transaction, and `manage.py deposit_gates` compares them with the rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from archives.models import Unit
from config.money import ZERO, money_column


class LedgerDay(models.Model):
    """The ledger's figures of one day. The deposits holding money that were taken that day
    (the age buckets are ranges of days), with what they hold, the refunds under way of
    those deposits and those of them whose gate is open without a request; and the deposits
    still held whose decoration was accepted that day (dormant together). A day keeps its
    row, at zero, once nothing counts under it any more."""

    day = models.DateField(_("day"), unique=True)
    held_count = models.PositiveIntegerField(_("deposits holding money"), default=0)
    held = money_column(_("amount held"), default=ZERO)
    waiting_count = models.PositiveIntegerField(_("refunds under way"), default=0)
    gates_count = models.PositiveIntegerField(_("gates open, refund not requested"), default=0)
    dormant_count = models.PositiveIntegerField(_("held deposits accepted that day"), default=0)
    # Of the deposits holding money taken that day, those filed under no unit (a card of no
    # unit): the ledger's "no unit" row, which no LedgerUnit counts.
    unfiled_count = models.PositiveIntegerField(_("deposits holding money of no unit"), default=0)
    unfiled = money_column(_("amount held of no unit"), default=ZERO)

    class Meta:
        verbose_name = _("ledger's day")
        verbose_name_plural = _("ledger's days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.held_count} {self.held}"


class LedgerUnit(models.Model):
    """How many deposits holding money the ledger files under a unit (Deposit.ledger_unit):
    the ledger counts and pages its units from these rows. A unit keeps its row, at zero,
    once it holds nothing; the deposits of no unit are counted by day (LedgerDay.unfiled)."""

    unit = models.OneToOneField(
        Unit, models.PROTECT, related_name="+", verbose_name=_("unit in the ledger")
    )
    held_count = models.PositiveIntegerField(_("deposits holding money"), default=0)

    class Meta:
        verbose_name = _("ledger's unit")
        verbose_name_plural = _("ledger's units")
        ordering = ["unit"]
        indexes = [models.Index(fields=["held_count", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.held_count}"
