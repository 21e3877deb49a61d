"""Files kept with decorations and violations: the application's drawings and documents,
the photos of an inspection's items and of a violation's evidence.

Each file is stored under a name made here (the uploader's may hold ``../``, a NUL or a
misleading suffix), with the SHA-256 of the bytes stored, so that a later check can tell a
file that changed on disk. The rows are permanent: a file once filed stays filed.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.people import person_column
from config.permanence import PermanentModel
from deposits.enums import DocumentKind
from deposits.models.applications import DecorationApplication, InspectionItem
from deposits.models.violations import Violation

# The suffixes stored (they set the type a download is served as).
CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


def _stored_name(folder: str, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = suffix if f".{suffix}" in CONTENT_TYPES else "bin"
    return f"deposits/{folder}/{timezone.localdate().year}/{uuid.uuid4().hex}.{suffix}"


def document_path(instance, filename: str) -> str:
    return _stored_name("documents", filename)


def photo_path(instance, filename: str) -> str:
    return _stored_name("photos", filename)


class StoredFile(PermanentModel):
    """What every kept file records: the file, its digest and who filed it, when."""

    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = person_column(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        abstract = True

    @property
    def suffix(self) -> str:
        name = self.file.name or ""
        return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


class ApplicationDocument(StoredFile):
    """A drawing or document of a decoration application: a PDF (its pages counted) or an
    image (re-encoded)."""

    application = models.ForeignKey(
        DecorationApplication,
        models.PROTECT,
        related_name="documents",
        verbose_name=_("decoration application"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=document_path, max_length=120)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "kind", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="application_document_titled"),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} · {self.title}"


class InspectionPhoto(StoredFile):
    """A photo of an inspection item (what was found, or what is to be fixed)."""

    item = models.ForeignKey(
        InspectionItem, models.PROTECT, related_name="photos", verbose_name=_("inspection item")
    )
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=120)

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return f"{self.item} · {_('photo')}"


class ViolationPhoto(StoredFile):
    """A photo kept as evidence of a violation."""

    violation = models.ForeignKey(
        Violation, models.PROTECT, related_name="photos", verbose_name=_("violation")
    )
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=120)

    class Meta:
        verbose_name = _("violation photo")
        verbose_name_plural = _("violation photos")
        ordering = ["violation", "pk"]

    def __str__(self) -> str:
        return f"{self.violation} · {_('photo')}"
