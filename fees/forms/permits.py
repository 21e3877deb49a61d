from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.forms import UnitCodeField, contractor_field
from archives.models import IdDocType
from config.fields import BoundedDateField
from config.forms import BootstrapMixin, apply_rule
from config.uploads import ImageUploadField
from config.validators import normalise_mobile, validate_mobile
from fees.forms.receipts import PaymentForm
from fees.services.permits import MAX_WORKERS, WorkerInput
from fees.validators import check_id_number, check_validity

DEFAULT_VALIDITY_DAYS = 30
# Permits are issued for work about to start, not for a season ahead; a permit lasts a year
# at most (check_validity), so its end lies within a year of the latest start.
LATEST_START_DAYS = 90
LATEST_END_DAYS = LATEST_START_DAYS + 366


class PermitIssueForm(PaymentForm):
    contractor = contractor_field()
    unit = UnitCodeField(label=_("unit code"), max_length=12)
    valid_from = BoundedDateField(label=_("valid from"), days_back=0, days_ahead=LATEST_START_DAYS)
    valid_to = BoundedDateField(label=_("valid to"), days_back=0, days_ahead=LATEST_END_DAYS)
    with_card_deposit = forms.BooleanField(
        label=_("take the permit card deposit"), required=False, initial=True
    )

    field_order = [
        "contractor",
        "unit",
        "valid_from",
        "valid_to",
        "with_card_deposit",
        "method",
        "reference",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("valid_from", today)
        self.initial.setdefault("valid_to", today + timedelta(days=DEFAULT_VALIDITY_DAYS))

    def clean(self):
        data = super().clean()
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        if valid_from and valid_to:
            apply_rule(self, "valid_to", check_validity, valid_from, valid_to, timezone.localdate())
        self.check_reference(data)
        return data

    def issue_terms(self) -> dict:
        """What the permit issue takes from the form besides who, for whom and the workers:
        the same at the desk (fees) and from a decoration (deposits' application_permits)."""
        return {
            name: self.cleaned_data[name]
            for name in (
                "valid_from",
                "valid_to",
                "method",
                "reference",
                "request_key",
                "with_card_deposit",
            )
        }


class WorkerForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("worker"), max_length=50)
    id_doc_type = forms.ChoiceField(
        label=_("ID document"), choices=IdDocType.choices, initial=IdDocType.RESIDENT_ID
    )
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    phone = forms.CharField(label=_("mobile"), max_length=20)
    # Checked here for the message next to the field; the service re-encodes it.
    photo = ImageUploadField(label=_("photo"), required=False)

    def has_changed(self):
        # A row is filled in by what was typed; the document type's select is always posted.
        return any(name in self.changed_data for name in ("name", "id_number", "phone", "photo"))

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        validate_mobile(phone)
        return normalise_mobile(phone)

    def clean(self):
        data = super().clean()
        if data.get("id_doc_type") and data.get("id_number"):
            number = apply_rule(
                self, "id_number", check_id_number, data["id_doc_type"], data["id_number"]
            )
            if number:
                data["id_number"] = number
        return data

    def worker(self) -> WorkerInput | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return WorkerInput(
            name=data["name"],
            id_doc_type=data["id_doc_type"],
            id_number=data["id_number"],
            phone=data["phone"],
            photo=data.get("photo") or None,
        )


class BaseWorkerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        numbers = [f.cleaned_data["id_number"] for f in self.forms if f.cleaned_data.get("name")]
        if not numbers:
            raise forms.ValidationError(_("Enter at least one worker."))
        if len(set(numbers)) != len(numbers):
            raise forms.ValidationError(_("The same ID number is entered for two workers."))

    def workers(self) -> list[WorkerInput]:
        return [worker for form in self.forms if (worker := form.worker())]


WorkerFormSet = forms.formset_factory(
    WorkerForm,
    formset=BaseWorkerFormSet,
    extra=MAX_WORKERS,
    max_num=MAX_WORKERS,
    absolute_max=MAX_WORKERS,
    validate_max=True,
)


class LostForm(PaymentForm):
    reissue = forms.BooleanField(
        label=_("issue a replacement card (new number, card fee charged)"),
        required=False,
        initial=True,
    )

    field_order = ["reissue", "method", "reference"]

    def clean(self):
        data = super().clean()
        if data.get("reissue"):
            self.check_reference(data)
        return data
