"""The tenant file (一户一档): one file per unit and tenant, its catalogue of required document
types, the documents filed in it (with an optional scan) and where the paper file is kept.

The catalogue is data (DocumentType, seeded by a migration): which kinds of file need a
type, how long it is kept and whether it is confidential by default. A document's retention
may be longer than its type's, never shorter; it counts from the end of the year the file
closed (a moved-out tenant's file closes at the shop handover, 收铺).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from archives.models.register import Tenant, Unit
from config.people import person_column

# The suffixes a scan is stored under (they set the type a download is served as).
SCAN_CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}
# The retention periods of 国家档案局令第10号 (None: 永久, kept for ever).
RETENTION_CHOICES = [(None, _("Permanent")), (30, _("30 years")), (10, _("10 years"))]


class FileKind(models.TextChoices):
    IN_BUSINESS = "in_business", _("Tenant in business")
    DECORATING = "decorating", _("Decoration in progress")
    MOVED_OUT = "moved_out", _("Moved out")


# The catalogue's flag for each kind of file.
REQUIRED_FLAG = {
    FileKind.IN_BUSINESS: "for_in_business",
    FileKind.DECORATING: "for_decorating",
    FileKind.MOVED_OUT: "for_moved_out",
}


class PaperForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")


def retention_label(years: int | None) -> str:
    if years is None:
        return str(_("Permanent"))
    return str(_("%(years)d years") % {"years": years})


class DocumentType(models.Model):
    """One line of the catalogue: a kind of document a tenant file holds."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80)
    # Which kinds of file must hold one (the catalogue of each kind).
    for_in_business = models.BooleanField(_("required while in business"), default=False)
    for_decorating = models.BooleanField(_("required during a decoration"), default=False)
    for_moved_out = models.BooleanField(_("required once moved out"), default=False)
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"),
        null=True,
        blank=True,
        help_text=_("Empty: kept permanently."),
    )
    confidential = models.BooleanField(_("confidential by default"), default=False)
    view_only = models.BooleanField(
        _("view only (never lent)"),
        default=False,
        help_text=_("文书档案只阅不借: read at the centre, never lent."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language."""
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en

    @property
    def required_for(self) -> list[str]:
        return [kind for kind, flag in REQUIRED_FLAG.items() if getattr(self, flag)]

    @property
    def retention_display(self) -> str:
        return retention_label(self.retention_years)


class FileSequence(models.Model):
    """The last file number given in a year (档号 DA-<year>-<n>), locked while one is made."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("file number sequence")
        verbose_name_plural = _("file number sequences")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class TenantFile(models.Model):
    """A tenant's file for one unit (一户一档). At most one open file per unit and tenant."""

    number = models.CharField(_("file number"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="files", verbose_name=_("unit"))
    tenant = models.ForeignKey(
        Tenant, models.PROTECT, related_name="files", verbose_name=_("tenant")
    )
    kind = models.CharField(_("kind of file"), max_length=12, choices=FileKind.choices)
    opened_on = models.DateField(_("opened on"))
    # Set at the shop handover (收铺): retention counts from the end of its year.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    cabinet = models.CharField(_("cabinet"), max_length=20)
    box = models.CharField(_("box"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    opened_by = person_column(_("opened by"))
    # How many active types the catalogue of its kind requires are not filed in it: written
    # by the services whenever a document is filed, the kind changes or the catalogue
    # changes (archives.services.files.files_missing_refresh), so that the list filters
    # by gaps through an index rather than working out every file's gaps.
    missing = models.PositiveSmallIntegerField(_("missing"), default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tenant file")
        verbose_name_plural = _("tenant files")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "tenant"],
                condition=Q(closed_on__isnull=True),
                name="one_open_file_per_unit_tenant",
                violation_error_message=_("This tenant has an open file for this unit already."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="file_closed_not_before_opened",
            ),
            models.CheckConstraint(condition=~Q(cabinet=""), name="file_has_cabinet"),
        ]
        indexes = [
            models.Index(fields=["kind", "number"]),
            models.Index(fields=["missing", "number"], name="tenantfile_missing_number"),
            # The closed files, whose documents' retention runs (what is due for
            # destruction starts from them rather than from every document).
            models.Index(
                fields=["closed_on"], condition=Q(closed_on__isnull=False), name="tenantfile_closed"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("archives:file_detail", args=[self.pk])

    @property
    def location(self) -> str:
        return f"{self.cabinet} / {self.box}" if self.box else self.cabinet


class FileLocation(models.Model):
    """Where the paper file was put, and when: one row per move (the first: where it was
    opened). The file's own cabinet and box are the last row's."""

    file = models.ForeignKey(
        TenantFile, models.PROTECT, related_name="locations", verbose_name=_("tenant file")
    )
    cabinet = models.CharField(_("cabinet"), max_length=20)
    box = models.CharField(_("box"), max_length=20, blank=True)
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)
    moved_by = person_column(_("moved by"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("file location")
        verbose_name_plural = _("file locations")
        ordering = ["file", "-moved_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.file} · {self.location}"

    @property
    def location(self) -> str:
        return f"{self.cabinet} / {self.box}" if self.box else self.cabinet


def scan_path(instance, filename: str) -> str:
    # The uploader's name is never used; the suffix is the one the check decided on.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = suffix if f".{suffix}" in SCAN_CONTENT_TYPES else "bin"
    return f"archives/scans/{timezone.localdate().year}/{uuid.uuid4().hex}.{suffix}"


class Document(models.Model):
    """A document filed in a tenant file, on paper, with an optional scan."""

    file = models.ForeignKey(
        TenantFile, models.PROTECT, related_name="documents", verbose_name=_("tenant file")
    )
    type = models.ForeignKey(
        DocumentType, models.PROTECT, related_name="documents", verbose_name=_("document type")
    )
    title = models.CharField(_("title"), max_length=100)
    dated_on = models.DateField(_("date"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    paper = models.CharField(
        _("original or copy"), max_length=10, choices=PaperForm.choices, default=PaperForm.ORIGINAL
    )
    # Empty: kept in the file (its cabinet and box).
    cabinet = models.CharField(_("cabinet"), max_length=20, blank=True)
    box = models.CharField(_("box"), max_length=20, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"), null=True, blank=True
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    scan = models.FileField(_("scan"), upload_to=scan_path, max_length=120, blank=True)
    scan_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    scan_size = models.PositiveIntegerField(_("scan size in bytes"), null=True, blank=True)
    added_by = person_column(_("added by"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    # Set when a destruction list holding it is recorded as destroyed (archives.retention):
    # the row stays, as the destruction register's line points to it.
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True, editable=False)
    # The last year of its retention period: the year its file closed plus the years it is
    # kept (empty while the file is open, or when it is kept for ever). Written by
    # archives.services.files.documents_retention_refresh when a document is filed and when
    # its file closes, so that what is past its period is read on an index rather than
    # worked out for every document of every closed file.
    retention_end_year = models.PositiveSmallIntegerField(
        _("retention ends (year)"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["file", "dated_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="file_document_titled"),
            models.CheckConstraint(condition=Q(pages__gte=1), name="file_document_has_pages"),
        ]
        indexes = [
            models.Index(fields=["file", "type"]),
            # The documents still kept whose period ends in a given year or before (what is
            # due for destruction: archives.selectors.retention.documents_due).
            models.Index(
                fields=["retention_end_year"],
                condition=Q(destroyed_on__isnull=True, retention_end_year__isnull=False),
                name="document_retention_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file.number} · {self.title}"

    @property
    def location(self) -> str:
        if not self.cabinet:
            return self.file.location
        return f"{self.cabinet} / {self.box}" if self.box else self.cabinet

    @property
    def retention_display(self) -> str:
        return retention_label(self.retention_years)

    @property
    def scan_suffix(self) -> str:
        name = self.scan.name or ""
        return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
