"""Day-one import (导入): a centre's existing Excel list of units and tenants, checked first
(a dry run, row by row) and imported only whole. Each upload is kept with the bytes that
were checked and their SHA-256, so that the confirmation imports exactly that file, and
who checked and who imported it, and when, stay on record."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.people import person_column


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked, not imported")
    REJECTED = "rejected", _("Checked, rows rejected")
    IMPORTED = "imported", _("Imported")


class RegisterImport(models.Model):
    """One uploaded file and its dry run; imported at most once, all rows or none."""

    file_name = models.CharField(_("file name"), max_length=200)
    # The checked file itself, kept server-side: the confirmation never trusts the browser.
    content = models.BinaryField(_("file"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    checked_by = person_column(_("checked by"), related_name="+")
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = person_column(_("imported by"), optional=True, related_name="+")
    rows = models.PositiveIntegerField(_("rows"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    # The row-by-row report of the last run (the dry run, then the import): JSON-ready dicts.
    report = models.JSONField(_("report"), default=list, editable=False)
    # What the import wrote, by kind and action, e.g. {"unit": {"new": 3, "update": 1}}.
    counts = models.JSONField(_("counts"), default=dict, editable=False)

    history = HistoricalRecords(excluded_fields=["content", "report"])

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-checked_at", "-pk"]
        permissions = [("import_register", _("Can import units and tenants from Excel"))]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.checked_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("archives:import_detail", args=[self.pk])
