"""Forms of violations: recording one (with its evidence and penalty) and resolving it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from archives.forms import tenant_field
from archives.models import Unit
from config.fields import BoundedDateField, money_field
from config.forms import BootstrapMixin, by_typed_code
from config.uploads import ImageUploadField
from deposits.models import DecorationApplication
from deposits.services.violations import DAYS_BACK


class ViolationForm(BootstrapMixin, forms.Form):
    application = forms.CharField(
        label=_("decoration application"),
        max_length=16,
        required=False,
        help_text=_(
            "Its number, e.g. D2026-0001: the decoration's tenant and unit are then concerned."
        ),
    )
    tenant = tenant_field(required=False)
    unit = forms.CharField(label=_("unit code"), max_length=12, required=False)
    occurred_on = BoundedDateField(label=_("occurred on"), days_back=DAYS_BACK)
    description = forms.CharField(
        label=_("what happened"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = ImageUploadField(label=_("evidence photo"), required=False)
    penalty = money_field(_("penalty"), required=False)

    field_order = [
        "application",
        "tenant",
        "unit",
        "occurred_on",
        "description",
        "photo",
        "penalty",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penalty"].help_text = _(
            "Optional: billed to the tenant as a charge (违约金), due in 15 days."
        )

    def clean_application(self):
        return by_typed_code(
            DecorationApplication.objects,
            self.cleaned_data["application"],
            _("There is no decoration application %(number)s."),
            field="number",
        )

    def clean_unit(self):
        return by_typed_code(
            Unit.objects,
            self.cleaned_data["unit"],
            _("There is no unit %(code)s in the register."),
        )


class ResolveForm(BootstrapMixin, forms.Form):
    resolution = forms.CharField(
        label=_("how it was resolved"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
