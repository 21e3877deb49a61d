"""The centre's own records (seed 001 篇5): notices to tenants, letters in and out (收发文
登记) and reports, each registered under a number of its kind and year, filed into a
yearly volume (案卷) whose catalogue (卷内目录) is printed; and a notice's delivery to the
units it was sent to (签收), unit by unit.

Records are kept: the UI deletes nothing (no delete permission exists). Loans, retention
and destruction are later parts; they read ``retention`` and the volume's location.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models.register import Tenant, Unit
from config.people import person_column

# Records are kept: nobody is given a delete permission on them.
KEPT_PERMISSIONS = ("view", "add", "change")


class Retention(models.TextChoices):
    """Retention periods (保管期限) of 国家档案局令第10号 (minimums): permanent, 30 or 10 years."""

    PERMANENT = "permanent", _("Permanent")
    YEARS_30 = "30y", _("30 years")
    YEARS_10 = "10y", _("10 years")


class RecordKind(models.TextChoices):
    NOTICE = "notice", _("Notice to tenants")
    LETTER_IN = "in", _("Letter in")
    LETTER_OUT = "out", _("Letter out")
    REPORT = "report", _("Report")


# The word a registration number starts with, per kind: 通〔2026〕3号, 收〔2026〕12号 ...
NUMBER_PREFIX = {
    RecordKind.NOTICE: "通",
    RecordKind.LETTER_IN: "收",
    RecordKind.LETTER_OUT: "发",
    RecordKind.REPORT: "报",
}

# Retention by kind unless the desk chooses otherwise: the centre's reports are kept for
# ever, letters 30 years, notices to tenants 10 years.
DEFAULT_RETENTION = {
    RecordKind.NOTICE: Retention.YEARS_10,
    RecordKind.LETTER_IN: Retention.YEARS_30,
    RecordKind.LETTER_OUT: Retention.YEARS_30,
    RecordKind.REPORT: Retention.PERMANENT,
}


def record_number(kind: str, year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX[RecordKind(kind)]}〔{year}〕{sequence}号"


def scan_path(instance, filename: str) -> str:
    # The name is the server's (the uploader's may hold ``../`` or a misleading suffix).
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    suffix = suffix if suffix in {"pdf", "png"} else "bin"
    return f"archives/records/{timezone.localdate().year}/{uuid.uuid4().hex}.{suffix}"


class RecordSequence(models.Model):
    """The last number given in a series (a kind of record in a year, the volumes of a
    year), read under a row lock by archives.services.records.next_number. A counter, not a
    record: the numbers it gave are in the records' own histories."""

    key = models.CharField(_("series"), max_length=40, unique=True)
    last_value = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.key}: {self.last_value}"


class Volume(models.Model):
    """A yearly volume (案卷) of the centre's records, on a shelf: its catalogue lists the
    records filed into it in order."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    number = models.PositiveSmallIntegerField(_("volume number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    retention = models.CharField(
        _("retention"), max_length=10, choices=Retention.choices, default=Retention.YEARS_30
    )
    cabinet = models.CharField(_("cabinet"), max_length=30, blank=True)
    box = models.CharField(_("box"), max_length=30, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closed_by = person_column(_("closed by"), optional=True)
    created_by = person_column(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volume")
        verbose_name_plural = _("volumes")
        ordering = ["-year", "number"]
        default_permissions = KEPT_PERMISSIONS
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="volume_number_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("archives:volume_detail", args=[self.pk])

    @property
    def code(self) -> str:
        """The volume's reference (案卷号): year and number, 2026-003."""
        return f"{self.year}-{self.number:03d}"

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def location(self) -> str:
        return " / ".join(part for part in (self.cabinet, self.box) if part)


class CentreRecord(models.Model):
    """A notice, letter or report of the centre, registered (收发文登记) under a number of
    its kind and year that the service gives without gaps."""

    kind = models.CharField(_("kind"), max_length=10, choices=RecordKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("number in the year"), editable=False)
    number = models.CharField(_("registration number"), max_length=30, unique=True, editable=False)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    correspondent = models.CharField(
        _("from / to"),
        max_length=100,
        blank=True,
        help_text=_("Who sent a letter in, or whom a letter or report goes to."),
    )
    summary = models.TextField(_("summary"), blank=True)
    pages = models.PositiveSmallIntegerField(
        _("pages"), default=1, validators=[MinValueValidator(1), MaxValueValidator(9999)]
    )
    handled_by = models.CharField(_("handled by"), max_length=50, blank=True)
    retention = models.CharField(_("retention"), max_length=10, choices=Retention.choices)
    volume = models.ForeignKey(
        Volume,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("volume"),
    )
    scan = models.FileField(_("scan"), upload_to=scan_path, max_length=120, blank=True)
    scan_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    scan_size = models.PositiveIntegerField(_("size of the scan in bytes"), null=True, blank=True)
    registered_by = person_column(_("registered by"))
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    # Set when a destruction list holding it is recorded as destroyed (archives.retention).
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centre record")
        verbose_name_plural = _("centre records")
        ordering = ["-year", "kind", "-sequence"]
        default_permissions = KEPT_PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="centre_record_number_per_kind_year"
            ),
        ]
        indexes = [models.Index(fields=["volume", "date"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("archives:record_detail", args=[self.pk])

    @property
    def is_notice(self) -> bool:
        return self.kind == RecordKind.NOTICE


class NoticeDelivery(models.Model):
    """A notice sent to one unit, and its receipt signed there (签收)."""

    notice = models.ForeignKey(
        CentreRecord,
        models.PROTECT,
        related_name="deliveries",
        verbose_name=_("notice"),
        limit_choices_to={"kind": RecordKind.NOTICE},
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="notice_deliveries", verbose_name=_("unit")
    )
    # The unit's tenant when the notice was sent (none for a vacant unit).
    tenant = models.ForeignKey(
        Tenant,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notice_deliveries",
        verbose_name=_("tenant"),
    )
    sent_by = person_column(_("sent by"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=50, blank=True)
    recorded_by = person_column(_("signature recorded by"), optional=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        ordering = ["notice", "unit__code"]
        default_permissions = KEPT_PERMISSIONS
        constraints = [
            models.UniqueConstraint(fields=["notice", "unit"], name="one_delivery_per_unit"),
            models.CheckConstraint(
                condition=models.Q(signed_on__isnull=True) | ~models.Q(signed_by=""),
                name="signed_delivery_names_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice.number} · {self.unit.code}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None
