from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import Contractor, Occupancy, Tenant, Unit
from config.forms import DATE_INPUT as DATE
from config.forms import BootstrapMixin
from config.validators import normalise_identifier, normalise_mobile


class UnitForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "area", "status", "business", "notes"]
        help_texts = {"code": _("Block-floor-number, e.g. A-1-05.")}

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


def loose_mobile_field(model):
    """Accepts "138 1234 5678" or "+86…"; the model's validator checks the normalised number."""
    return forms.CharField(label=model._meta.get_field("phone").verbose_name, max_length=20)


class TenantForm(BootstrapMixin, forms.ModelForm):
    phone = loose_mobile_field(Tenant)

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
        widgets = {"last_verified_on": DATE}
        help_texts = {
            "credit_code": _("18 characters; required for a business."),
            "id_number": _("Of the individual tenant, or of the business's contact person."),
        }

    def clean_credit_code(self):
        return normalise_identifier(self.cleaned_data["credit_code"])

    def clean_id_number(self):
        return normalise_identifier(self.cleaned_data["id_number"])

    def clean_phone(self):
        return normalise_mobile(self.cleaned_data["phone"])

    def clean_last_verified_on(self):
        value = self.cleaned_data["last_verified_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The verification date cannot be in the future."))
        return value


class ContractorForm(BootstrapMixin, forms.ModelForm):
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
        return normalise_mobile(self.cleaned_data["phone"])


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


class MoveInForm(BootstrapMixin, forms.ModelForm):
    unit = UnitCodeField(label=_("unit code"), max_length=12)

    class Meta:
        model = Occupancy
        fields = ["unit", "role", "moved_in_on", "lease_ends_on", "notes"]
        widgets = {"moved_in_on": DATE, "lease_ends_on": DATE}

    def clean(self):
        data = super().clean()
        moved_in, lease_ends = data.get("moved_in_on"), data.get("lease_ends_on")
        if moved_in and lease_ends and lease_ends <= moved_in:
            self.add_error("lease_ends_on", _("The lease must end after the move-in date."))
        unit = data.get("unit")
        if unit and unit.occupancies.filter(handed_over_on__isnull=True).exists():
            self.add_error(
                "unit", _("This unit has a current occupancy already: hand it over first.")
            )
        return data


class HandOverForm(BootstrapMixin, forms.ModelForm):
    """Shop handover (收铺): every item of the checklist must be filled in."""

    class Meta:
        model = Occupancy
        fields = [
            "handed_over_on",
            "keys_returned",
            "electricity_reading",
            "water_reading",
            "condition",
            "deposits_settled",
            "notes",
        ]
        widgets = {"handed_over_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "handed_over_on",
            "keys_returned",
            "electricity_reading",
            "water_reading",
            "condition",
        ):
            self.fields[name].required = True

    def clean_handed_over_on(self):
        value = self.cleaned_data["handed_over_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The handover date cannot be in the future."))
        if value < self.instance.moved_in_on:
            raise forms.ValidationError(_("The handover cannot be before the move-in date."))
        return value

    def clean_electricity_reading(self):
        return _not_negative(self.cleaned_data["electricity_reading"])

    def clean_water_reading(self):
        return _not_negative(self.cleaned_data["water_reading"])


def _not_negative(value):
    if value is not None and value < 0:
        raise forms.ValidationError(_("A meter reading cannot be negative."))
    return value
