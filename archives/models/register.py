"""The register everyone else points to: units, tenants, their occupancy, contractors."""

import re

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.people import person_column
from config.permanence import PermanentModel
from config.privacy import mask_id_number
from config.search import prefix_index
from config.validators import (
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)

# A unit code is block-floor-number, e.g. A-1-05 or B-2-112.
UNIT_CODE_RE = re.compile(r"^[A-Z]{1,2}-\d{1,2}-\d{2,3}$")


def validate_unit_code(value: str) -> None:
    if not UNIT_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A unit code is block-floor-number, such as A-1-05 (capital letters, then digits)."),
            code="format",
        )


class UnitStatus(models.TextChoices):
    VACANT = "vacant", _("Vacant")
    OCCUPIED = "occupied", _("Occupied")
    DECORATING = "decorating", _("Under decoration")
    CLOSED = "closed", _("Out of use")


class Unit(models.Model):
    code = models.CharField(
        _("unit code"), max_length=12, unique=True, validators=[validate_unit_code]
    )
    block = models.CharField(_("block"), max_length=2, editable=False)
    floor = models.PositiveSmallIntegerField(_("floor"), editable=False)
    area = models.DecimalField(
        _("area (m²)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(1)],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=UnitStatus.choices, default=UnitStatus.VACANT
    )
    business = models.CharField(_("line of business"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        indexes = [models.Index(fields=["status", "code"])]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip().upper()
        block, floor, _number = self.code.split("-")
        self.block, self.floor = block, int(floor)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("archives:unit_detail", args=[self.pk])


class TenantKind(models.TextChoices):
    COMPANY = "company", _("Business")
    PERSON = "person", _("Individual")


class IdDocType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAU = "hk_macau", _("Hong Kong/Macau permit")
    TAIWAN = "taiwan", _("Taiwan permit")


def id_doc_label(value: str) -> str:
    return str(IdDocType(value).label) if value in IdDocType.values else value


class Tenant(models.Model):
    name = models.CharField(_("name"), max_length=100, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=TenantKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    contact_name = models.CharField(_("contact person"), max_length=50)
    id_doc_type = models.CharField(
        _("ID document"),
        max_length=12,
        choices=IdDocType.choices,
        default=IdDocType.RESIDENT_ID,
    )
    id_number = models.CharField(_("ID number"), max_length=30, blank=True)
    phone = models.CharField(
        _("mobile"), max_length=11, validators=[validate_mobile], db_index=True
    )
    landline = models.CharField(_("landline"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    last_verified_on = models.DateField(_("details last verified"), null=True, blank=True)
    last_verified_by = person_column(_("details verified by"), optional=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name", "pk"]
        # The search box and the list find a tenant by the start of these (config.search);
        # the name and the mobile have their db_index.
        indexes = [
            prefix_index("contact_name", "tenant_contact_prefix"),
            prefix_index("credit_code", "tenant_credit_code_prefix"),
            # Due for verification (the home panel, the list's filter), in the panel's
            # order on SQLite, where NULL (never verified) sorts first; PostgreSQL counts
            # on it and sorts what it finds.
            models.Index(fields=["last_verified_on", "name", "id"], name="tenant_verification"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="tenant_credit_code_unique",
                violation_error_message=_("A tenant with this credit code is registered already."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archives:tenant_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.kind == TenantKind.COMPANY and not self.credit_code:
            errors["credit_code"] = _("A business needs its unified social credit code.")
        if self.kind == TenantKind.PERSON and not self.id_number:
            errors["id_number"] = _("An individual tenant needs an ID number.")
        if self.id_number and self.id_doc_type == IdDocType.RESIDENT_ID:
            try:
                validate_resident_id(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    def name_for(self, user) -> str:
        return tenant_name_for(user, self.name, self.kind)


def tenant_name_for(user, name: str, kind: str) -> str:
    """A tenant as ``user`` may read it: a business by its name (the sign over the shop); an
    individual's name is a person's, read only by those who may read the tenants (a
    department looking up a unit sees "individual tenant")."""
    if kind == TenantKind.PERSON and not user.has_perm("archives.view_tenant"):
        return str(_("individual tenant"))
    return name


class OccupancyRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    LESSEE = "lessee", _("Lessee")


class Occupancy(models.Model):
    """A tenant's tenure of a unit, from move-in to shop handover (收铺)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("unit")
    )
    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="occupancies", verbose_name=_("tenant")
    )
    role = models.CharField(_("role"), max_length=10, choices=OccupancyRole.choices)
    moved_in_on = models.DateField(_("moved in on"))
    lease_ends_on = models.DateField(_("lease ends on"), null=True, blank=True)
    # Shop handover (收铺) checklist; empty while the tenant is in the unit.
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    keys_returned = models.PositiveSmallIntegerField(
        _("number of keys returned"), null=True, blank=True
    )
    electricity_reading = models.DecimalField(
        _("electricity meter (kWh)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    water_reading = models.DecimalField(
        _("water meter (m³)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    condition = models.TextField(_("condition on handover"), blank=True)
    deposits_settled = models.BooleanField(_("deposits settled"), default=False)
    handed_over_to = person_column(_("received by"), optional=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        ordering = ["-moved_in_on", "-pk"]
        indexes = [
            # The current leases by their end (the home panel's leases ending soon).
            models.Index(
                fields=["lease_ends_on"],
                condition=Q(handed_over_on__isnull=True),
                name="occupancy_current_lease_end",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(handed_over_on__isnull=True),
                name="one_current_occupancy_per_unit",
                violation_error_message=_("This unit has a current occupancy already."),
            ),
            models.CheckConstraint(
                condition=Q(handed_over_on__isnull=True)
                | Q(handed_over_on__gte=models.F("moved_in_on")),
                name="handover_not_before_move_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.tenant}"

    def get_absolute_url(self) -> str:
        return reverse("archives:occupancy_detail", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.handed_over_on is None


class Contractor(models.Model):
    """A company doing tenants' fit-outs (装修承办商)."""

    name = models.CharField(_("name"), max_length=100, db_index=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("A contractor with this credit code is registered already.")},
    )
    qualification = models.CharField(_("qualification"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    phone = models.CharField(_("mobile"), max_length=11, validators=[validate_mobile])
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contractor")
        verbose_name_plural = _("contractors")
        ordering = ["name", "pk"]
        # The list finds a contractor by the start of these (config.search); the name and
        # the credit code have their own index.
        indexes = [
            prefix_index("contact_name", "contractor_contact_prefix"),
            prefix_index("phone", "contractor_phone_prefix"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("archives:contractor_detail", args=[self.pk])


class AccessKind(models.TextChoices):
    WHOLE_ID = "whole_id", _("Whole ID number shown")
    PHOTO = "photo", _("Photo downloaded")
    SCAN = "scan", _("Confidential document downloaded")
    FILE = "file", _("Tenant file viewed under a permission")
    DOCUMENT = "document", _("Document downloaded under a permission")
    REFUSED = "refused", _("Tenant file refused: no permission")


class AccessLog(PermanentModel):
    """The access log (档案查阅登记): who was shown what personal data of whose record, when,
    and on which page. Rows are written by the application as the data is shown; nobody
    adds, changes or deletes one (its only permission is to view it)."""

    at = models.DateTimeField(_("shown at"), default=timezone.now, db_index=True)
    user = person_column(_("shown to"))
    kind = models.CharField(_("what was shown"), max_length=12, choices=AccessKind.choices)
    # Whose: any app's record (a tenant, a worker permit ...), and how it read at the time.
    content_type = models.ForeignKey(
        ContentType, models.PROTECT, related_name="+", verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("record number"))
    record = GenericForeignKey("content_type", "object_id")
    subject = models.CharField(_("whose record"), max_length=200)
    page = models.CharField(_("on page"), max_length=200)
    # A tenant file's reads (and refusals): the file, the document, and the permission
    # (查阅登记) the reader held, for the log's filters.
    file = models.ForeignKey(
        "archives.TenantFile",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tenant file"),
    )
    document = models.ForeignKey(
        "archives.Document",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    access_request = models.ForeignKey(
        "archives.AccessRequest",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reads",
        verbose_name=_("under permission"),
    )

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        permissions = [
            ("reveal_id_number", _("Can show a whole ID number (each time recorded)")),
            ("see_mobile_numbers", _("Can see mobile numbers whole")),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            # The log of one person, latest first (its filter by person, and by dates too).
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_kind_display()}"
