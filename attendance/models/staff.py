"""The centre's staff and their shifts: whom the daily register lists, and the times a
normal day defaults to."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Shift(models.Model):
    """A working shift of the desk (早班 08:30–17:00 ...). A shift never crosses midnight:
    the centre opens by day."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="shift_named"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_in_one_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Staff(models.Model):
    """A member of the centre's staff, whose attendance the desk registers; linked to a
    user where they log in. Nobody is deleted: leaving sets ``left_on``, and the records
    of past months keep naming them."""

    name = models.CharField(_("name"), max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("login"),
    )
    position = models.CharField(_("position"), max_length=50, blank=True)
    shift = models.ForeignKey(
        Shift, models.PROTECT, related_name="staff", verbose_name=_("usual shift")
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member of staff")
        verbose_name_plural = _("staff")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="staff_named"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="staff_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def employed_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)
