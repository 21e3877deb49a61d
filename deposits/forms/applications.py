"""Forms of decoration applications: registering one with its files, deciding it, its
start, extensions, deposit, permits, inspections and further documents."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.forms import UnitCodeField, contractor_field, tenant_field
from config.fields import BoundedDateField, money_field
from config.forms import BootstrapMixin, apply_rule, by_typed_code
from config.people import person_name
from config.uploads import DocumentUploadField, ImageUploadField
from deposits.enums import DocumentKind, InspectionResult
from deposits.services.applications import (
    INSPECTION_DAYS_BACK,
    MAX_ITEMS,
    PLAN_DAYS_AHEAD,
    PLAN_DAYS_BACK,
)
from deposits.validators import check_period
from fees.enums import PayerKind
from fees.forms.permits import PermitIssueForm
from fees.forms.receipts import PaymentForm
from fees.models import Permit
from fees.validators import check_validity

REASON_WIDGET = forms.Textarea(attrs={"rows": 2})


class ApplicationForm(BootstrapMixin, forms.Form):
    unit = UnitCodeField(label=_("unit code"), max_length=12)
    tenant = tenant_field()
    contractor = contractor_field()
    planned_start = BoundedDateField(
        label=_("planned start"), days_back=PLAN_DAYS_BACK, days_ahead=PLAN_DAYS_AHEAD
    )
    planned_end = BoundedDateField(
        label=_("planned end"), days_back=PLAN_DAYS_BACK, days_ahead=PLAN_DAYS_AHEAD
    )
    scope = forms.CharField(
        label=_("scope of works"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    drawing = DocumentUploadField(
        label=_("drawings"),
        required=False,
        help_text=_("A PDF, or a JPEG or PNG image. More can be added on the application's page."),
    )
    document = DocumentUploadField(
        label=_("other documents"),
        required=False,
        help_text=_("E.g. the contractor's licence or the fire safety plan (PDF or image)."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end:
            apply_rule(self, "planned_end", check_period, start, end)
        return data

    def uploads(self) -> list[tuple[str, str, object]]:
        """(kind, title, upload) of each file sent with the registration."""
        found = []
        for name, kind in (("drawing", DocumentKind.DRAWING), ("document", DocumentKind.DOCUMENT)):
            upload = self.cleaned_data.get(name)
            if upload:
                found.append((kind, str(DocumentKind(kind).label), upload))
        return found


class DocumentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("title"), max_length=100)
    file = DocumentUploadField(label=_("file"), help_text=_("A PDF, or a JPEG or PNG image."))


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason for rejection"), max_length=200, widget=REASON_WIDGET)


class StartForm(BootstrapMixin, forms.Form):
    started_on = BoundedDateField(label=_("works started on"), days_back=PLAN_DAYS_AHEAD)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("started_on", timezone.localdate())


class ExtendForm(BootstrapMixin, forms.Form):
    new_end = BoundedDateField(label=_("new end"), days_back=0, days_ahead=PLAN_DAYS_AHEAD)
    reason = forms.CharField(label=_("reason"), max_length=200, widget=REASON_WIDGET)


class DepositTakeForm(PaymentForm):
    payer_kind = forms.ChoiceField(
        label=_("payer is"),
        choices=[
            (PayerKind.TENANT, PayerKind.TENANT.label),
            (PayerKind.CONTRACTOR, PayerKind.CONTRACTOR.label),
        ],
        initial=PayerKind.TENANT,
    )
    amount = money_field(_("amount"))

    field_order = ["payer_kind", "amount", "method", "reference"]

    def clean(self):
        data = super().clean()
        self.check_reference(data)
        return data


class PermitLinkForm(BootstrapMixin, forms.Form):
    permit = forms.CharField(
        label=_("permit number"),
        max_length=16,
        help_text=_("A permit issued at the desk for this contractor and unit."),
    )

    def clean_permit(self):
        # Required: never empty here.
        return by_typed_code(
            Permit.objects,
            self.cleaned_data["permit"],
            _("There is no permit %(number)s."),
            field="number",
        )


class ApplicationPermitsForm(PermitIssueForm):
    """fees' permit issue form without the contractor and unit: the decoration gives them."""

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["contractor"], self.fields["unit"]
        self.application = application
        today = timezone.localdate()
        if not self.is_bound and self.initial["valid_to"] > application.planned_end:
            self.initial["valid_to"] = max(today, application.planned_end)

    def clean(self):
        data = forms.Form.clean(self)
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        if valid_from and valid_to:
            apply_rule(self, "valid_to", check_validity, valid_from, valid_to, timezone.localdate())
        self.check_reference(data)
        return data


def _inspectors():
    return get_user_model().objects.filter(is_active=True).order_by("username")


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return person_name(user)


class InspectionForm(BootstrapMixin, forms.Form):
    inspected_on = BoundedDateField(label=_("inspected on"), days_back=INSPECTION_DAYS_BACK)
    inspector = InspectorChoiceField(label=_("inspector"), queryset=_inspectors())
    result = forms.ChoiceField(label=_("result"), choices=[("", "—"), *InspectionResult.choices])
    remarks = forms.CharField(label=_("remarks"), max_length=200, required=False)
    # Where the service's refusals of the items as a whole are shown (above the items).
    items = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = _inspectors()
        self.initial.setdefault("inspected_on", timezone.localdate())


class InspectionItemForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("finding"), max_length=200, required=False)
    photo = ImageUploadField(label=_("photo"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("photo") and not (data.get("description") or "").strip():
            self.add_error("description", _("A photo belongs to an item: describe the item."))
        return data


ItemFormSet = forms.formset_factory(
    InspectionItemForm, extra=5, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS, validate_max=True
)
