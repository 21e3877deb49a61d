"""The month-end inventory check (帐物相符): a run per month lists every tenant file and
every volume of the centre's records as they stood when it started; the desk marks each
present, missing or damaged, then completes the run, which re-reads every stored scan and
compares its SHA-256 with the one taken at upload. Nothing here is deleted (no delete
permission exists)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models.files import Document, TenantFile
from archives.models.records import CentreRecord, Volume
from config.people import person_column


class RunState(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")


class Mark(models.TextChoices):
    UNMARKED = "unmarked", _("Not marked yet")
    PRESENT = "present", _("Present")
    MISSING = "missing", _("Missing")
    DAMAGED = "damaged", _("Damaged")


MARK_BADGES = {
    Mark.UNMARKED: "light",
    Mark.PRESENT: "success",
    Mark.MISSING: "danger",
    Mark.DAMAGED: "warning",
}


class ScanProblemKind(models.TextChoices):
    MISMATCH = "mismatch", _("Checksum does not match")
    MISSING = "missing", _("Stored file missing")


class InventoryRun(models.Model):
    """One month's inventory check; one run per month."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.OPEN
    )
    started_by = person_column(_("started by"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    completed_by = person_column(_("completed by"), optional=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Filled at completion: how many stored scans were read again and hashed.
    scans_checked = models.PositiveIntegerField(_("scans checked"), default=0)

    class Meta:
        verbose_name = _("inventory check")
        verbose_name_plural = _("inventory checks")
        ordering = ["-year", "-month"]
        default_permissions = ("view", "add", "change")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="one_inventory_run_per_month",
                violation_error_message=_("This month has its inventory check already."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="inventory_month_1_to_12"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def get_absolute_url(self) -> str:
        return reverse("archives:inventory_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == RunState.OPEN


class InventoryItem(models.Model):
    """A tenant file or a volume to be found on its shelf, and what the desk found."""

    run = models.ForeignKey(
        InventoryRun, models.PROTECT, related_name="items", verbose_name=_("inventory check")
    )
    file = models.ForeignKey(
        TenantFile,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tenant file"),
    )
    volume = models.ForeignKey(
        Volume, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("volume")
    )
    # The reference and the place as the run found them (a file moved later keeps its row).
    reference = models.CharField(_("reference"), max_length=30)
    location = models.CharField(_("location"), max_length=70, blank=True)
    mark = models.CharField(_("found"), max_length=10, choices=Mark.choices, default=Mark.UNMARKED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    marked_by = person_column(_("marked by"), optional=True)
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inventory line")
        verbose_name_plural = _("inventory lines")
        ordering = ["run", "pk"]
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=Q(file__isnull=False, volume__isnull=True)
                | Q(file__isnull=True, volume__isnull=False),
                name="inventory_item_file_or_volume",
            ),
            models.UniqueConstraint(fields=["run", "file"], name="inventory_file_once_per_run"),
            models.UniqueConstraint(fields=["run", "volume"], name="inventory_volume_once_per_run"),
        ]
        indexes = [models.Index(fields=["run", "mark"])]

    def __str__(self) -> str:
        return f"{self.run} · {self.reference}"

    @property
    def mark_badge(self) -> str:
        return MARK_BADGES[Mark(self.mark)]


class ScanProblem(models.Model):
    """A stored scan that did not read back as uploaded: its bytes hash otherwise, or the
    file is gone."""

    run = models.ForeignKey(
        InventoryRun,
        models.PROTECT,
        related_name="scan_problems",
        verbose_name=_("inventory check"),
    )
    document = models.ForeignKey(
        Document,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    record = models.ForeignKey(
        CentreRecord,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre record"),
    )
    kind = models.CharField(_("problem"), max_length=10, choices=ScanProblemKind.choices)
    reference = models.CharField(_("reference"), max_length=140)
    stored_name = models.CharField(_("stored file"), max_length=120)
    expected_sha256 = models.CharField(_("SHA-256 at upload"), max_length=64)
    found_sha256 = models.CharField(_("SHA-256 found"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scan problem")
        verbose_name_plural = _("scan problems")
        ordering = ["run", "pk"]
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, record__isnull=True)
                | Q(document__isnull=True, record__isnull=False),
                name="scan_problem_document_or_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.get_kind_display()}"
