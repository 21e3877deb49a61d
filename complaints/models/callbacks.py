"""Callbacks (回访): the desk asks whoever raised a resolved case whether it was put right."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from complaints.enums import UNSATISFIED_AT_MOST, CallbackMethod
from complaints.models.cases import Case
from config.people import person_column


class Callback(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="callbacks", verbose_name=_("case"))
    called_on = models.DateField(_("date"))
    by = person_column(_("by"))
    method = models.CharField(_("how"), max_length=10, choices=CallbackMethod.choices)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["-called_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="callback_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.called_on} {self.satisfaction}/5"

    @property
    def satisfied(self) -> bool:
        return self.satisfaction > UNSATISFIED_AT_MOST
