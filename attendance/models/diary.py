"""The work diary (工作日记): one entry per member of staff, shift and date, written by that
person; every later change is kept in the entry's history."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from attendance.models.staff import Shift, Staff
from config.people import person_column


class WorkDiary(models.Model):
    staff = models.ForeignKey(
        Staff, models.PROTECT, related_name="diary_entries", verbose_name=_("member of staff")
    )
    shift = models.ForeignKey(
        Shift, models.PROTECT, related_name="diary_entries", verbose_name=_("shift")
    )
    date = models.DateField(_("date"))
    happened = models.TextField(_("what happened"))
    visitors = models.TextField(_("visitors"), blank=True)
    calls = models.TextField(_("calls"), blank=True)
    unusual = models.TextField(_("anything unusual"), blank=True)
    written_by = person_column(_("written by"))
    written_at = models.DateTimeField(_("written at"))
    changed_at = models.DateTimeField(_("last changed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work diary entry")
        verbose_name_plural = _("work diary")
        ordering = ["-date", "shift__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "shift", "date"], name="diary_one_per_person_shift_date"
            ),
            models.CheckConstraint(condition=~models.Q(happened=""), name="diary_says_something"),
        ]
        indexes = [models.Index(fields=["date"], name="diary_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.shift.name} {self.staff.name}"

    def get_absolute_url(self) -> str:
        return reverse("attendance:diary_detail", args=[self.pk])
