"""Long exports built in the background."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.people import person_column
from fees.enums import JobStatus


class ExportJob(models.Model):
    """A long export (an audit pack, a year's statement) built in the background; the page
    shows its progress and offers the file when it is done."""

    kind = models.CharField(_("kind"), max_length=20)
    params = models.JSONField(_("parameters"), default=dict)
    requested_by = person_column(_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
