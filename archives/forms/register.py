from decimal import Decimal

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from archives.models import Contractor, Occupancy, Tenant, Unit
from archives.selectors.register import CONTRACTORS, TENANTS
from config.dates import DateBounds, years_later
from config.fields import BoundedDateField, ExactDecimalField
from config.forms import BootstrapMixin
from config.privacy import ID_NUMBER, MOBILE, MaskedFieldsMixin
from config.search import LookupField
from config.validators import normalise_identifier, normalise_mobile

# A shop of the street is a few to a few thousand square metres; a market hall stays below
# this, and the register's column holds less than a million.
MAX_AREA = Decimal("100000")
# A lease runs at most twenty years (《民法典》 art. 705); a move-in is booked at most a year
# ahead.
MAX_LEASE_YEARS = 20
MOVE_IN_DAYS_AHEAD = 366
LEASE_END_DAYS_AHEAD = MOVE_IN_DAYS_AHEAD + MAX_LEASE_YEARS * 366

AREA_MESSAGE = _(
    "Enter an area from %(min)s to %(max)s m² in plain digits with at most two decimals, "
    "e.g. 85 or 85.50."
)


def _label(model, name):
    return model._meta.get_field(name).verbose_name


class UnitForm(BootstrapMixin, forms.ModelForm):
    area = ExactDecimalField(
        label=_label(Unit, "area"), min_value=Decimal("1"), max_value=MAX_AREA, message=AREA_MESSAGE
    )

    class Meta:
        model = Unit
        fields = ["code", "area", "status", "business", "notes"]
        help_texts = {"code": _("Block-floor-number, e.g. A-1-05.")}

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


def loose_mobile_field(model):
    """Accepts "138 1234 5678" or "+86…"; the model's validator checks the normalised number."""
    return forms.CharField(label=model._meta.get_field("phone").verbose_name, max_length=20)


class TenantForm(MaskedFieldsMixin, BootstrapMixin, forms.ModelForm):
    masked_fields = {"id_number": ID_NUMBER, "phone": MOBILE}
    phone = loose_mobile_field(Tenant)
    last_verified_on = BoundedDateField(label=_label(Tenant, "last_verified_on"), required=False)

    class Meta:
        model = Tenant
        fields = [
            "kind",
            "name",
            "credit_code",
            "contact_name",
            "id_doc_type",
            "id_number",
            "phone",
            "landline",
            "email",
            "address",
            "last_verified_on",
            "notes",
        ]
        help_texts = {
            "credit_code": _("18 characters; required for a business."),
            "id_number": _("Of the individual tenant, or of the business's contact person."),
        }

    def clean_credit_code(self):
        return normalise_identifier(self.cleaned_data["credit_code"])

    def clean_id_number(self):
        value, kept = self.unmasked("id_number")
        return value if kept else normalise_identifier(value)

    def clean_phone(self):
        value, kept = self.unmasked("phone")
        return value if kept else normalise_mobile(value)


class ContractorForm(MaskedFieldsMixin, BootstrapMixin, forms.ModelForm):
    masked_fields = {"phone": MOBILE}
    phone = loose_mobile_field(Contractor)

    class Meta:
        model = Contractor
        fields = [
            "name",
            "credit_code",
            "qualification",
            "contact_name",
            "phone",
            "address",
            "active",
            "notes",
        ]

    def clean_credit_code(self):
        return normalise_identifier(self.cleaned_data["credit_code"])

    def clean_phone(self):
        value, kept = self.unmasked("phone")
        return value if kept else normalise_mobile(value)


class UnitCodeField(forms.CharField):
    """A unit typed by its code, as the desk knows it, rather than picked from a long list."""

    def clean(self, value):
        code = super().clean(value).strip().upper()
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("There is no unit %(code)s in the register."), params={"code": code}
            )
        return unit


def contractor_field(**kwargs) -> LookupField:
    """An active contractor typed by the start of its name or its credit code, with
    suggestions as the desk types: the contractors are too many for a <select>."""
    kwargs.setdefault("label", _("contractor"))
    kwargs.setdefault("help_text", _("The start of its name, or its credit code."))
    return LookupField(
        lookup=CONTRACTORS, suggest_url=reverse_lazy("archives:contractor_suggestions"), **kwargs
    )


def tenant_field(**kwargs) -> LookupField:
    """A tenant typed by the start of its name or its credit code, with suggestions."""
    kwargs.setdefault("label", _("tenant"))
    kwargs.setdefault("help_text", _("The start of its name, or its credit code."))
    return LookupField(
        lookup=TENANTS, suggest_url=reverse_lazy("archives:tenant_suggestions"), **kwargs
    )


class MoveInForm(BootstrapMixin, forms.ModelForm):
    unit = UnitCodeField(label=_("unit code"), max_length=12)
    moved_in_on = BoundedDateField(
        label=_label(Occupancy, "moved_in_on"), days_ahead=MOVE_IN_DAYS_AHEAD
    )
    lease_ends_on = BoundedDateField(
        label=_label(Occupancy, "lease_ends_on"), days_ahead=LEASE_END_DAYS_AHEAD, required=False
    )

    class Meta:
        model = Occupancy
        fields = ["unit", "role", "moved_in_on", "lease_ends_on", "notes"]

    def clean(self):
        data = super().clean()
        moved_in, lease_ends = data.get("moved_in_on"), data.get("lease_ends_on")
        if moved_in and lease_ends and lease_ends <= moved_in:
            self.add_error("lease_ends_on", _("The lease must end after the move-in date."))
        elif moved_in and lease_ends:
            self._check_lease_term(moved_in, lease_ends)
        unit = data.get("unit")
        if unit and unit.occupancies.filter(handed_over_on__isnull=True).exists():
            self.add_error(
                "unit", _("This unit has a current occupancy already: hand it over first.")
            )
        return data

    def _check_lease_term(self, moved_in, lease_ends):
        try:
            DateBounds(moved_in, years_later(moved_in, MAX_LEASE_YEARS)).check(lease_ends)
        except forms.ValidationError as exc:
            self.add_error("lease_ends_on", exc)
