"""The centre's own details, kept by the administrator in the admin (one row), and the
background jobs that any app's long exports run as (config.jobs).

config also needs a models module for another reason: Django sends post_migrate only to
apps with one, and config's handler (apps.py) keeps the role groups in sync.
"""

import re
import uuid
from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.people import person_column
from config.permanence import PermanentModel
from config.states import StateChoices
from config.uploads import png_data_uri

# Digits with the separators a Chinese office writes: 0571-8765 4321 转 8001, (0571)…, +86 …
TELEPHONE_RE = re.compile(r"^[0-9+()（）\-\s/、,，转]+$")
# Hosts where plain http is accepted, so that a development machine can print receipts.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def validate_telephone(value: str) -> None:
    if not TELEPHONE_RE.match(value) or sum(c.isdigit() for c in value) < 5:
        raise ValidationError(
            _(
                "Write the number with digits and, if needed, spaces, hyphens, brackets "
                "or 转 before an extension, e.g. 0571-8765 4321 转 8001."
            ),
            code="telephone",
        )


def validate_public_url(value: str) -> None:
    """An https origin (scheme and host, no path): receipts' QR codes add the path."""
    URLValidator(schemes=["https", "http"])(value)
    parts = urlsplit(value)
    if parts.scheme != "https" and parts.hostname not in LOCAL_HOSTS:
        raise ValidationError(_("The public address must start with https://."), code="not_https")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValidationError(
            _(
                "Give only the scheme and host, e.g. https://desk.example-street.cn; "
                "the page's path is added for each receipt."
            ),
            code="not_origin",
        )


def centre_image_path(instance, filename: str) -> str:
    # Whatever the upload was called, the stored name is made here.
    return f"centre/{uuid.uuid4().hex}.png"


class Centre(models.Model):
    """The one row of the centre's details; read it through config.centre.current_centre()."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    name = models.CharField(_("name"), max_length=60)
    address = models.CharField(_("address"), max_length=120, blank=True)
    telephone = models.CharField(
        _("telephone"), max_length=40, blank=True, validators=[validate_telephone]
    )
    public_url = models.CharField(
        _("public address"),
        max_length=200,
        validators=[validate_public_url],
        help_text=_(
            "The address the public reaches this system at, e.g. https://desk.example-street.cn. "
            "Receipts' QR codes open their check page there."
        ),
    )
    logo = models.FileField(
        _("logo"),
        upload_to=centre_image_path,
        blank=True,
        help_text=_("Optional. Printed in the heading of every document."),
    )
    seal = models.FileField(
        _("seal"),
        upload_to=centre_image_path,
        blank=True,
        help_text=_(
            "Optional. An image of the centre's seal (a PNG with a transparent background "
            "prints best), printed on receipts where 收款单位（盖章） is."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("centre settings")
        verbose_name_plural = _("centre settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="centre_single_row"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def defaults(cls) -> "Centre":
        """The details before the administrator has saved any (not saved by this)."""
        return cls(name=settings.CENTRE_NAME, public_url=settings.CENTRE_PUBLIC_URL)

    def public_link(self, path: str) -> str:
        """The public address of one of our pages (``path`` from reverse()); "" while the
        centre has no public address."""
        if not self.public_url:
            return ""
        return self.public_url.rstrip("/") + path

    @cached_property
    def logo_uri(self) -> str:
        return png_data_uri(self.logo)

    @cached_property
    def seal_uri(self) -> str:
        return png_data_uri(self.seal)


class JobStatus(StateChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A job runs, then ends done or failed; one whose worker died before it ran is failed too.
# config.jobs moves a job with conditional updates (the status it expects in the WHERE):
# of a worker and the sweep for dead workers acting at once, one wins and the other sees it.
JobStatus.describe(
    {
        "queued": ("primary", "排队中", {"running", "failed"}),
        "running": ("primary", "进行中", {"done", "failed"}),
        "done": ("success", "已完成", set()),
        "failed": ("danger", "失败", set()),
    }
)


class ExportJob(models.Model):
    """A long export (an audit pack, a year's statement) built by the task worker; the page
    shows its progress and offers the file when it is done (config.jobs)."""

    # The name of the exporter (config.exporters) whose file the job builds.
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    requested_by = person_column(_("requested by"))
    # The messages of the job (progress, failure) are written in the language of who asked.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Which queued task and which worker process run the job, and when it last showed a
    # sign of life: a running job whose worker died is told apart by an old heartbeat.
    task_id = models.CharField(_("queued task"), max_length=64, blank=True)
    worker_id = models.CharField(_("task worker"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class RightKind(models.TextChoices):
    """What kind of right a RightsChange gave or took."""

    ROLE = "role", _("role")
    PERMISSION = "permission", _("permission")
    STAFF = "staff", _("staff status (the admin)")
    SUPERUSER = "superuser", _("superuser status")
    # Not a right, but the key to all of a person's: whoever sets another's password can
    # sign in as them until they change it (the admin's "change password" of a user).
    PASSWORD = "password", _("password set by someone else")


class RightsChange(PermanentModel):
    """One right given to or taken from a user (a role, a permission, staff or superuser
    status) or from a role (one of its permissions), by whom and when. Written by
    config.rights whatever the path: the admin, a command, the shell."""

    at = models.DateTimeField(_("when"), db_index=True)
    # Nobody signed in: a command, a migration (config.roles) or the shell.
    by = person_column(_("changed by"), optional=True)
    user = person_column(_("user"), optional=True, related_name="rights_changes")
    # A role whose permissions changed, by its name (config.roles keeps groups by name).
    role = models.CharField(_("role"), max_length=150, blank=True)
    kind = models.CharField(_("right"), max_length=12, choices=RightKind.choices)
    granted = models.BooleanField(_("granted"), help_text=_("False: taken away."))
    # The role's name, or the permission as app_label.codename; empty for a status.
    right = models.CharField(_("which"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("change of rights")
        verbose_name_plural = _("changes of rights")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(role=""), name="rights_change_has_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.right}"


class CalendarDay(models.Model):
    """The administrator's word on one day of the calendar config.workdays counts: a holiday
    (closed) or a working day (a 调休 weekend), for a year the chinese-calendar package does
    not know yet (the State Council's notice comes out in the autumn before), or to correct
    a known one. It wins over the package."""

    day = models.DateField(_("day"), unique=True)
    working = models.BooleanField(
        _("working day"), help_text=_("Ticked: the centre works (调休). Empty: a holiday.")
    )
    note = models.CharField(_("note"), max_length=60, blank=True, help_text=_("e.g. 春节"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.note}".strip()


class WorkerBeat(models.Model):
    """A task worker's sign of life, for /health/ (config.health): each worker process
    (``manage.py db_worker``) writes its row when it starts and every few seconds while it
    runs. Written by the worker only; the health check only reads it."""

    worker_id = models.CharField(_("task worker"), max_length=64, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        indexes = [models.Index(fields=["seen_at"], name="worker_beat_seen_at")]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"
