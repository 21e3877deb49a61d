"""The fee catalogue and the numbering sequences."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.money import ZERO, money_column
from config.permanence import Permanence, PermanentModel
from fees.enums import FeeCategory


class FeeType(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60)
    category = models.CharField(_("category"), max_length=10, choices=FeeCategory.choices)
    default_amount = money_column(_("default amount"), default=ZERO)
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


class NumberSequence(PermanentModel):
    """The next number of a series (receipts of a year, permits...), taken under a row lock
    in the transaction that uses it: a rolled-back issue gives its number back."""

    key = models.CharField(_("series"), max_length=40, unique=True)
    last_value = models.PositiveIntegerField(_("last number"), default=0)

    # Gapless numbers rest on this row: deleting it or turning it back would give a number
    # twice. (It may jump ahead: the demo street continues after its bulk receipts.)
    permanence = Permanence(fixed=("key",), only_up=("last_value",))

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.key}: {self.last_value}"
