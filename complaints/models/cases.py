"""Cases, their categories and the actions that make their timeline."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from archives.models import Tenant, Unit
from complaints.enums import OPEN, ActionKind, CaseKind, CaseStatus, Channel, Priority
from complaints.models.departments import Department
from config.people import person_column


class Category(models.Model):
    """A category of cases, in two levels (e.g. 设施设备 › 漏水) kept by the manager."""

    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    name = models.CharField(_("name"), max_length=50)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["parent__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="category_named"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class Case(models.Model):
    """What someone raised at the desk, who it concerns, and where it stands. Its due time
    is the priority's service level in the centre's business hours (config.business_hours)
    from its receipt, moved on by the business time it waited on the tenant."""

    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    channel = models.CharField(
        pgettext_lazy("case", "channel"), max_length=10, choices=Channel.choices
    )
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("unit"),
    )
    tenant = models.ForeignKey(
        Tenant,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("tenant"),
    )
    visitor_name = models.CharField(_("visitor's name"), max_length=50, blank=True)
    visitor_phone = models.CharField(_("visitor's phone"), max_length=20, blank=True)
    category = models.ForeignKey(
        Category,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("category"),
    )
    description = models.TextField(_("description"), max_length=2000)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    received_by = person_column(_("received by"))
    received_at = models.DateTimeField(_("received at"))
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("department"),
    )
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    # While it waits on the tenant: since when (the clock is paused).
    paused_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    resolved_by = person_column(_("resolved by"), optional=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    # The day the desk is to call back (回访), set when the case is resolved.
    callback_due_on = models.DateField(_("callback due"), null=True, blank=True)
    closed_by = person_column(_("closed by"), optional=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The monthly statistics' clocks, in the centre's business hours, kept as the case moves
    # (computing them at read time would cost a clock walk per case): from receipt to the
    # department's first response, the business time spent waiting on the tenant, and from
    # receipt to its resolution without those waits (cleared when a callback reopens it).
    response_hours = models.DecimalField(
        _("business hours to first response"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    waited = models.DurationField(_("business time waiting on the tenant"), default=timedelta)
    resolution_hours = models.DecimalField(
        _("business hours to resolution"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("receive_case", "Can receive and assign cases"),
            ("work_case", "Can work the cases of their department"),
            ("manage_cases", "Can reassign and close cases"),
            ("record_callback", "Can record callbacks"),
            ("view_statistics", "Can view the monthly case statistics"),
        ]
        # The list sorts by receipt (newest first) and filters by status, department and
        # kind; the log form reads a unit's recent cases; the desk's callbacks list reads
        # the resolved cases by the day they are due.
        indexes = [
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["department", "status"], name="case_department_status"),
            # The list's order; the monthly statistics take a month's cases by it too.
            models.Index(fields=["-received_at", "-id"], name="case_received"),
            models.Index(fields=["status", "-received_at"], name="case_status_received"),
            models.Index(fields=["department", "-received_at"], name="case_department_received"),
            models.Index(fields=["kind", "-received_at"], name="case_kind_received"),
            models.Index(fields=["unit", "-received_at"], name="case_unit_received"),
            models.Index(fields=["status", "callback_due_on"], name="case_callback_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False)
                | Q(tenant__isnull=False)
                | (~Q(visitor_name="") & ~Q(visitor_phone="")),
                name="case_raised_by_someone",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="case_described"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.NEW) | Q(department__isnull=False),
                name="case_assigned_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:case_detail", args=[self.pk])

    @property
    def number(self) -> str:
        """The case's number as printed on its work order, e.g. 2026-00042."""
        return f"{timezone.localtime(self.received_at).year}-{self.pk:05d}"

    @property
    def status_enum(self) -> CaseStatus:
        return CaseStatus(self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def is_overdue(self, now=None) -> bool:
        return self.is_open and not self.is_paused and self.due_at < (now or timezone.now())

    @property
    def raised_by(self) -> str:
        if self.tenant_id:
            return self.tenant.name
        return self.visitor_name


class CaseAction(models.Model):
    """One step of a case's timeline: who did what, when, with a note. Written once."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="actions", verbose_name=_("case"))
    kind = models.CharField(_("action"), max_length=12, choices=ActionKind.choices)
    by = person_column(_("by"))
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    status = models.CharField(_("status after"), max_length=12, choices=CaseStatus.choices)

    class Meta:
        verbose_name = _("case action")
        verbose_name_plural = _("case actions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="case_action_timeline")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
