"""Forms of the deposit pages: recording a deposit taken at the receipt desk, and the
deductions the desk itemises in a refund or the manager keeps when forfeiting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.fields import MoneyField
from config.forms import BootstrapMixin
from config.money import format_money
from config.uploads import ImageUploadField
from deposits.enums import DeductionKind
from deposits.models import DecorationApplication, Deposit
from deposits.selectors.deposits import unrecorded_deposit_lines
from deposits.services.deposits import TAKING
from deposits.validators import REASON_MAX, DeductionInput
from fees.models import Charge, ReceiptLine
from fees.selectors.charges import open_charges

# A refund or a forfeiture rarely keeps more than a few amounts; the desk adds rows by
# saving the page with the rows full.
DEDUCTION_ROWS = 3
MAX_DEDUCTIONS = 20


class LineChoice(forms.ModelChoiceField):
    def label_from_instance(self, line: ReceiptLine) -> str:
        receipt = line.receipt
        who = receipt.tenant.name if receipt.tenant_id else receipt.payer_name
        unit = f" · {receipt.unit.code}" if receipt.unit_id else ""
        left = line.amount - line.taken
        return (
            f"{receipt.number} · {receipt.business_date} · {line.fee_type.name} · "
            f"{format_money(left)} · {who}{unit}"
        )


class ApplicationChoice(forms.ModelChoiceField):
    def label_from_instance(self, application: DecorationApplication) -> str:
        return f"{application.number} · {application.unit.code} · {application.tenant.name}"


class DepositRecordForm(BootstrapMixin, forms.Form):
    """A deposit line issued at the receipt desk, held as a deposit from now on."""

    line = LineChoice(
        label=_("receipt line"),
        queryset=ReceiptLine.objects.none(),
        help_text=_("Lines of a deposit fee on issued receipts that no deposit holds yet."),
    )
    application = ApplicationChoice(
        label=_("decoration application"),
        queryset=DecorationApplication.objects.none(),
        required=False,
        help_text=_("For a decoration deposit: the decoration of the receipt's unit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = unrecorded_deposit_lines()
        self.fields["application"].queryset = (
            DecorationApplication.objects.filter(status__in=TAKING)
            .select_related("unit", "tenant")
            .order_by("-submitted_at")
        )


class ChargeChoice(forms.ModelChoiceField):
    def label_from_instance(self, charge: Charge) -> str:
        return f"{charge.description} · {_('outstanding')} {format_money(charge.outstanding)}"


class DeductionForm(BootstrapMixin, forms.Form):
    """One amount kept, with its reason; for an unpaid charge, the charge it settles."""

    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", "—"), *DeductionKind.choices], required=False
    )
    reason = forms.CharField(label=_("reason"), max_length=REASON_MAX, required=False)
    amount = MoneyField(label=_("amount"), required=False)
    charge = ChargeChoice(
        label=_("settles charge"),
        queryset=Charge.objects.none(),
        required=False,
        help_text=_("Left blank, the kind, the reason and the amount follow from the charge."),
    )
    photo = ImageUploadField(label=_("photo"), required=False)

    def __init__(self, *args, deposit: Deposit, with_photo: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        tenant = deposit.application.tenant if deposit.application_id else deposit.tenant
        self.fields["charge"].queryset = open_charges(tenant) if tenant else Charge.objects.none()
        if not with_photo:
            del self.fields["photo"]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in ("kind", "reason", "amount", "charge"))

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        self._fill_from_charge(data)
        for name, message in (
            ("kind", _("Choose what the deduction is for.")),
            ("reason", _("Say why the amount is kept.")),
            ("amount", _("Enter the amount kept.")),
        ):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        unpaid = data.get("kind") == DeductionKind.UNPAID_CHARGE
        if unpaid and not data.get("charge") and "charge" not in self.errors:
            self.add_error("charge", _("Choose the unpaid charge the deduction settles."))
        if data.get("charge") and not unpaid:
            self.add_error("charge", _("Only a deduction of an unpaid charge names a charge."))
        return data

    def _fill_from_charge(self, data: dict) -> None:
        """A charge chosen alone is deducted whole, for what it was billed: the desk need
        not type again what the charge says."""
        charge = data.get("charge")
        if charge is None:
            return
        data["kind"] = data.get("kind") or DeductionKind.UNPAID_CHARGE
        data["reason"] = data.get("reason") or charge.description
        if data.get("amount") is None and "amount" not in self.errors:
            data["amount"] = charge.outstanding

    def deduction(self) -> DeductionInput | None:
        if self.is_blank():
            return None
        data = self.cleaned_data
        return DeductionInput(
            kind=data["kind"],
            reason=data["reason"],
            amount=data["amount"],
            charge=data.get("charge"),
            photo=data.get("photo") or None,
        )


class BaseDeductionFormSet(forms.BaseFormSet):
    def __init__(self, *args, deposit: Deposit, with_photo: bool = True, **kwargs):
        self.deposit, self.with_photo = deposit, with_photo
        super().__init__(*args, **kwargs)
        # A row for each unpaid charge of the tenant and one more, so that all of them can
        # be deducted in one request.
        tenant = deposit.application.tenant if deposit.application_id else deposit.tenant
        if tenant is not None:
            self.extra = min(max(self.extra, open_charges(tenant).count() + 1), MAX_DEDUCTIONS)

    def get_form_kwargs(self, index):
        return {"deposit": self.deposit, "with_photo": self.with_photo}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            deposit=self.deposit,
            with_photo=self.with_photo,
        )
        self.add_fields(form, None)
        return form

    def deductions(self) -> list[DeductionInput]:
        return [item for form in self.forms if (item := form.deduction())]


DeductionFormSet = forms.formset_factory(
    DeductionForm,
    formset=BaseDeductionFormSet,
    extra=DEDUCTION_ROWS,
    max_num=MAX_DEDUCTIONS,
    validate_max=True,
)
