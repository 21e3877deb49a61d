"""Forms of the paper receipt books: register a book, transcribe or spoil one number, return."""

import uuid
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import Contractor, Tenant, Unit
from archives.selectors import current_occupancy
from config.forms import DATE_INPUT, BootstrapMixin
from fees.models import MAX_AMOUNT, FeeType, PayerKind, PaymentMethod
from fees.services.books import MAX_PAPER_NUMBER
from fees.services.receipts import MAX_QUANTITY, LineInput, Payer

MAX_LINES = 8
# The service puts "Paper receipt 0000123, written on 2026-11-20; " before the clerk's note.
NOTE_ROOM = 140


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        return f"{full_name} ({obj.username})" if full_name else obj.username


def cashiers():
    """Active users who may issue receipts, the only people a book may be issued to."""
    permission = Permission.objects.filter(codename="issue_receipt", content_type__app_label="fees")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
        )
        .distinct()
        .order_by("username")
    )


class BookRegisterForm(BootstrapMixin, forms.Form):
    series = forms.CharField(
        label=_("series"),
        max_length=8,
        required=False,
        help_text=_("Letters or digits printed before the number, if any."),
    )
    first_number = forms.IntegerField(
        label=_("first number"), min_value=1, max_value=MAX_PAPER_NUMBER
    )
    last_number = forms.IntegerField(
        label=_("last number"), min_value=1, max_value=MAX_PAPER_NUMBER
    )
    issued_to = UserChoiceField(label=_("issued to"), queryset=None)
    issued_on = forms.DateField(label=_("issued on"), widget=DATE_INPUT)
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_to"].queryset = cashiers()
        self.initial.setdefault("issued_on", timezone.localdate())


class TranscribeForm(BootstrapMixin, forms.Form):
    """What the paper receipt says: its date, who paid, how."""

    request_key = forms.UUIDField(widget=forms.HiddenInput)
    paper_date = forms.DateField(label=_("date on the paper receipt"), widget=DATE_INPUT)
    payer_kind = forms.ChoiceField(
        label=_("payer is"), choices=PayerKind.choices, initial=PayerKind.TENANT
    )
    unit_code = forms.CharField(
        label=_("unit code"),
        max_length=12,
        required=False,
        help_text=_("For a tenant left blank below, the unit's current tenant pays."),
    )
    tenant = forms.ModelChoiceField(
        label=_("tenant"), queryset=Tenant.objects.all(), required=False
    )
    contractor = forms.ModelChoiceField(
        label=_("contractor"), queryset=Contractor.objects.filter(active=True), required=False
    )
    payer_name = forms.CharField(
        label=_("payer's name"),
        max_length=100,
        required=False,
        help_text=_("As written on the paper receipt; required for a named person."),
    )
    method = forms.ChoiceField(
        label=_("payment method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    reference = forms.CharField(
        label=_("payment reference"),
        max_length=60,
        required=False,
        help_text=_("Transaction or voucher number, for non-cash payments."),
    )
    note = forms.CharField(label=_("note"), max_length=NOTE_ROOM, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("request_key", uuid.uuid4())

    def clean_unit_code(self):
        code = self.cleaned_data["unit_code"].strip().upper()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("There is no unit %(code)s in the register."), params={"code": code}
            )
        return unit

    def clean(self):
        data = super().clean()
        kind, unit = data.get("payer_kind"), data.get("unit_code")
        if kind == PayerKind.TENANT and not data.get("tenant"):
            occupancy = current_occupancy(unit) if unit else None
            if occupancy is None:
                self.add_error("tenant", _("Choose the tenant, or enter an occupied unit's code."))
            else:
                data["tenant"] = occupancy.tenant
        if kind == PayerKind.CONTRACTOR and not data.get("contractor"):
            self.add_error("contractor", _("Choose the contractor who paid."))
        if kind == PayerKind.PERSON and not data.get("payer_name", "").strip():
            self.add_error("payer_name", _("Enter the payer's name."))
        if (
            data.get("method") not in (None, PaymentMethod.CASH)
            and not data.get("reference", "").strip()
        ):
            self.add_error("reference", _("A non-cash payment needs its reference."))
        return data

    def payer(self) -> Payer:
        data = self.cleaned_data
        return Payer(
            kind=data["payer_kind"],
            name=data.get("payer_name", "").strip(),
            tenant=data.get("tenant"),
            contractor=data.get("contractor"),
        )


class TranscribeLineForm(BootstrapMixin, forms.Form):
    fee_type = forms.ModelChoiceField(
        label=_("fee"), queryset=FeeType.objects.filter(active=True), required=False
    )
    quantity = forms.IntegerField(
        label=_("quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1, required=False
    )
    unit_price = forms.DecimalField(
        label=_("unit price"),
        max_digits=12,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("fee_type"):
            if data.get("unit_price") is not None:
                self.add_error("fee_type", _("Choose the fee of this line."))
            return data
        if data.get("unit_price") is None and "unit_price" not in self.errors:
            self.add_error("unit_price", _("Enter the unit price."))
        if data.get("quantity") is None:
            data["quantity"] = 1
        return data

    def line(self) -> LineInput | None:
        data = self.cleaned_data
        if not data.get("fee_type"):
            return None
        return LineInput(
            fee_type=data["fee_type"], quantity=data["quantity"], unit_price=data["unit_price"]
        )


class BaseTranscribeLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("fee_type") for form in self.forms):
            raise forms.ValidationError(_("Enter at least one line of the paper receipt."))

    def lines(self) -> list[LineInput]:
        return [line for form in self.forms if (line := form.line())]


TranscribeLineFormSet = forms.formset_factory(
    TranscribeLineForm,
    formset=BaseTranscribeLineFormSet,
    extra=3,
    max_num=MAX_LINES,
    validate_max=True,
)


class SpoilForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("why the paper receipt is void"),
        max_length=200,
        help_text=_("E.g. written wrong and cancelled, torn, lost."),
    )


class ReturnForm(BootstrapMixin, forms.Form):
    returned_on = forms.DateField(label=_("returned on"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("returned_on", timezone.localdate())
