"""The daily register of attendance (考勤), its amendments and the manager's signature of a
month. Attendance is kept at least three years (DESIGN.md): every row here is permanent."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from attendance.enums import (
    ABSENT_SYMBOL,
    EARLY_SYMBOL,
    LATE_SYMBOL,
    LEAVE_SYMBOLS,
    PRESENT_SYMBOL,
    REST_SYMBOL,
    LeaveKind,
    Presence,
)
from attendance.models.staff import Staff
from config.people import person_column, person_name
from config.permanence import ALL, Permanence, PermanentModel


class AttendanceRecord(PermanentModel):
    """One member of staff on one day: present (with the times and the minutes late or
    early, counted from the shift planned that day), absent, on leave or resting. The
    planned times are copied from the shift when the day is registered, so that a later
    change of shift leaves past days as they were. A correction after the day is an
    ``Amendment`` (with its reason), and the history keeps every version."""

    staff = models.ForeignKey(
        Staff, models.PROTECT, related_name="attendance", verbose_name=_("member of staff")
    )
    day = models.DateField(_("day"))
    presence = models.CharField(_("presence"), max_length=12, choices=Presence.choices)
    leave_kind = models.CharField(
        _("kind of leave"), max_length=12, choices=LeaveKind.choices, blank=True
    )
    planned_start = models.TimeField(_("shift starts"))
    planned_end = models.TimeField(_("shift ends"))
    working_day = models.BooleanField(_("working day"))
    time_in = models.TimeField(_("in"), null=True, blank=True)
    time_out = models.TimeField(_("out"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)
    early_minutes = models.PositiveIntegerField(_("minutes left early"), default=0)
    overtime_minutes = models.PositiveIntegerField(_("overtime minutes"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = person_column(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    permanence = Permanence(fixed=("staff", "day", "recorded_by", "recorded_at"))

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["day", "staff__name", "pk"]
        # The register reads a day, the sheet a month, of everyone.
        indexes = [models.Index(fields=["day"], name="attendance_record_day")]
        permissions = [
            ("register_attendance", _("Can register and amend attendance")),
            ("amend_signed_month", _("Can amend attendance of a signed month")),
            # The daily report (attendance.selectors.report) reads every app, this one too.
            ("view_daily_report", _("Can read the daily report")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["staff", "day"], name="one_record_per_day"),
            models.CheckConstraint(
                condition=(Q(presence=Presence.LEAVE) & ~Q(leave_kind=""))
                | (~Q(presence=Presence.LEAVE) & Q(leave_kind="")),
                name="leave_has_its_kind",
            ),
            models.CheckConstraint(
                condition=Q(presence=Presence.PRESENT)
                | Q(time_in__isnull=True, time_out__isnull=True),
                name="times_only_when_present",
            ),
            models.CheckConstraint(
                condition=Q(time_in__isnull=True)
                | Q(time_out__isnull=True)
                | Q(time_out__gt=models.F("time_in")),
                name="out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.day:%Y-%m-%d}"

    @property
    def symbol(self) -> str:
        """The sheet's symbol (迟早 for a person both late and early)."""
        if self.presence == Presence.PRESENT:
            marks = (LATE_SYMBOL if self.late_minutes else "") + (
                EARLY_SYMBOL if self.early_minutes else ""
            )
            return marks or PRESENT_SYMBOL
        if self.presence == Presence.ABSENT:
            return ABSENT_SYMBOL
        if self.presence == Presence.LEAVE:
            return LEAVE_SYMBOLS[LeaveKind(self.leave_kind)]
        return REST_SYMBOL

    @property
    def described(self) -> str:
        """The record as an amendment shows it: the symbol, the times when present."""
        text = self.symbol
        if self.presence == Presence.PRESENT and self.time_in and self.time_out:
            text += f" {self.time_in:%H:%M}–{self.time_out:%H:%M}"
        if self.note:
            text += f" ({self.note})"
        return text[:200]


class Amendment(PermanentModel):
    """A correction of a day already past, with its reason: who, when, what it was and
    what it became (as the sheet's symbols and times)."""

    record = models.ForeignKey(
        AttendanceRecord, models.PROTECT, related_name="amendments", verbose_name=_("record")
    )
    reason = models.CharField(_("reason"), max_length=200)
    before = models.CharField(_("before"), max_length=200)
    after = models.CharField(_("after"), max_length=200)
    amended_by = person_column(_("amended by"))
    amended_at = models.DateTimeField(_("amended at"))

    permanence = Permanence(fixed=ALL)

    class Meta:
        verbose_name = _("amendment of attendance")
        verbose_name_plural = _("amendments of attendance")
        ordering = ["-amended_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason")]

    def __str__(self) -> str:
        return f"{self.record} {self.reason}"

    @property
    def amended_by_name(self) -> str:
        return person_name(self.amended_by)


class MonthSignoff(PermanentModel):
    """The manager's signature of a month's sheet: the month is locked from then on."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    signed_by = person_column(_("signed by"))
    signed_at = models.DateTimeField(_("signed at"))

    permanence = Permanence(fixed=ALL)

    class Meta:
        verbose_name = _("signed attendance month")
        verbose_name_plural = _("signed attendance months")
        ordering = ["-year", "-month"]
        permissions = [("sign_month", _("Can sign a month of attendance"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_signoff_per_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="signoff_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def signer_name(self) -> str:
        return person_name(self.signed_by)
