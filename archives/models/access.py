"""Access to a tenant file as a recorded permission (查阅登记): a user outside the centre
asks to read one file, saying why and for how many days; the centre approves it (never
the one who asked) and names who of its staff accompanies the reader. Until approved, and
outside the days granted, nothing of the file is shown; every read under the permission,
and every refusal, is a line of the access log (archives.models.register.AccessLog)."""

from datetime import date, timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models.files import TenantFile
from config.people import person_column
from config.states import StateChoices

# A permission is for a few days' reading, never an open-ended one.
MAX_ACCESS_DAYS = 30


class AccessStatus(StateChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


# The centre decides once: approved (for the days asked) or refused with its reason.
AccessStatus.describe(
    {
        "pending": ("warning", "待审批", {"approved", "refused"}),
        "approved": ("success", "已批准", set()),
        "refused": ("secondary", "不予批准", set()),
    }
)


class AccessRequest(models.Model):
    """A request to read one tenant file (查阅登记): who, why, for how many days; who
    approved it and who accompanies the reader."""

    file = models.ForeignKey(
        TenantFile, models.PROTECT, related_name="access_requests", verbose_name=_("tenant file")
    )
    requested_by = person_column(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    purpose = models.CharField(_("purpose"), max_length=200)
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ACCESS_DAYS)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AccessStatus.choices, default=AccessStatus.PENDING
    )
    decided_by = person_column(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    accompanied_by = person_column(_("accompanied by"), optional=True)
    # The days the permission runs, both included (set at the approval).
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    refusal = models.CharField(_("reason for the refusal"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-requested_at", "-pk"]
        default_permissions = ("view", "add")
        permissions = [("approve_accessrequest", _("Can approve a request to read a file"))]
        constraints = [
            models.CheckConstraint(condition=~Q(purpose=""), name="access_request_has_purpose"),
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=MAX_ACCESS_DAYS),
                name="access_request_days_in_range",
            ),
            # Nobody approves their own request, whatever the path.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="access_request_not_self_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (
                    Q(accompanied_by__isnull=False)
                    & Q(starts_on__isnull=False)
                    & Q(ends_on__gte=F("starts_on"))
                ),
                name="approved_access_names_companion_and_days",
            ),
        ]
        indexes = [models.Index(fields=["file", "requested_by", "status"])]

    def __str__(self) -> str:
        return f"{self.file.number} · {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("archives:access_request_detail", args=[self.pk])

    @property
    def status_choice(self) -> AccessStatus:
        return AccessStatus(self.status)

    def is_valid_on(self, day: date) -> bool:
        return (
            self.status == AccessStatus.APPROVED
            and self.starts_on is not None
            and self.starts_on <= day <= self.ends_on
        )


def access_period(starts_on: date, days: int) -> tuple[date, date]:
    """The first and last day of a permission of ``days`` days from ``starts_on``."""
    return starts_on, starts_on + timedelta(days=days - 1)
