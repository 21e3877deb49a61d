"""The receipt form: payer, lines and payment; and the reasons asked for a void or a return."""

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from archives.forms import contractor_field
from archives.models import Tenant, Unit
from archives.selectors import current_occupancy
from config.fields import QuantityField, money_field
from config.forms import BootstrapMixin, apply_rule, by_typed_code
from config.validators import RuleError
from fees.enums import PayerKind, PaymentMethod
from fees.models import Charge, FeeType
from fees.services.receipts import LineInput, Payer, discount_approval_ask
from fees.validators import (
    MAX_QUANTITY,
    discount_needs_approval,
    validate_discount,
    validate_discount_reason,
    validate_has_lines,
    validate_payer,
    validate_payment,
)

MAX_LINES = 8


class PaymentForm(BootstrapMixin, forms.Form):
    """What every form that takes money shares: the one-time key, the method, its reference."""

    # A fresh key each time the form is shown, the same key when it is sent again: the
    # service then finds the receipt of the first sending instead of issuing a second.
    request_key = forms.UUIDField(widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label=_("payment method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    reference = forms.CharField(
        label=_("payment reference"),
        max_length=60,
        required=False,
        help_text=_("Transaction or voucher number, for non-cash payments."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("request_key", uuid.uuid4())

    def check_reference(self, data: dict) -> None:
        if data.get("method"):
            reference = data.get("reference", "")
            apply_rule(self, "reference", validate_payment, data["method"], reference)


class PayerForm(PaymentForm):
    """Who pays, for which unit: a tenant (found from the unit code), a contractor or a person."""

    payer_kind = forms.ChoiceField(
        label=_("payer is"), choices=PayerKind.choices, initial=PayerKind.TENANT
    )
    unit_code = forms.CharField(
        label=_("unit code"),
        max_length=12,
        required=False,
        help_text=_("For a tenant, the payer is the unit's current tenant."),
    )
    tenant = forms.ModelChoiceField(
        queryset=Tenant.objects.all(), widget=forms.HiddenInput, required=False
    )
    contractor = contractor_field(required=False)
    payer_name = forms.CharField(
        label=_("payer's name"),
        max_length=100,
        required=False,
        help_text=_(
            "Required for a named person; otherwise it defaults to the tenant or contractor."
        ),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def clean_unit_code(self):
        return by_typed_code(
            Unit.objects,
            self.cleaned_data["unit_code"],
            _("There is no unit %(code)s in the register."),
        )

    def clean(self):
        data = super().clean()
        kind, unit = data.get("payer_kind"), data.get("unit_code")
        if kind == PayerKind.TENANT and not data.get("tenant"):
            occupancy = current_occupancy(unit) if unit else None
            data["tenant"] = occupancy.tenant if occupancy else None
        if kind:
            apply_rule(self, None, validate_payer, self.payer())
        self.check_reference(data)
        return data

    def payer(self) -> Payer:
        data = self.cleaned_data
        return Payer(
            kind=data["payer_kind"],
            name=data.get("payer_name", "").strip(),
            tenant=data.get("tenant"),
            contractor=data.get("contractor"),
        )

    def receipt_fields(self) -> dict:
        """What receipt_issue (and the services issuing through it) takes from this form."""
        data = self.cleaned_data
        return {
            "payer": self.payer(),
            "method": data["method"],
            "reference": data["reference"],
            "unit": data["unit_code"],
            "note": data["note"],
            "request_key": data["request_key"],
        }


class ReceiptForm(PayerForm):
    """The header of a receipt issued at the desk, with the manager's on-the-spot approval."""

    approver_username = forms.CharField(
        label=_("manager's user name"), max_length=150, required=False
    )
    approver_password = forms.CharField(
        label=_("manager's password"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.approval = None

    def ask_approval(self, *, by, terminal: str | None) -> bool:
        """When a manager's name was typed, try their approval (recorded and throttled by
        the service, which writes; hence asked for once the rest of the form is valid, not
        in clean()). False, with the reason next to the name, when it is refused."""
        username = self.cleaned_data.get("approver_username", "").strip()
        if not username:
            return True
        try:
            self.approval = discount_approval_ask(
                by=by,
                username=username,
                password=self.cleaned_data.get("approver_password", ""),
                terminal=terminal,
            )
        except RuleError as exc:
            self.add_error("approver_username", exc.field_message)
            return False
        return True


class ReceiptLineForm(BootstrapMixin, forms.Form):
    fee_type = forms.ModelChoiceField(
        label=_("fee"), queryset=FeeType.objects.filter(active=True), required=False
    )
    description = forms.CharField(label=_("description"), max_length=100, required=False)
    quantity = QuantityField(
        label=_("quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1, required=False
    )
    unit_price = money_field(_("unit price"), required=False)
    discount = money_field(_("discount"), required=False, minimum=Decimal("0"))
    discount_reason = forms.CharField(label=_("discount reason"), max_length=100, required=False)
    charge = forms.ModelChoiceField(
        queryset=Charge.objects.all(), widget=forms.HiddenInput, required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("fee_type"):
            if any(data.get(name) for name in ("unit_price", "discount", "discount_reason")):
                self.add_error("fee_type", _("Choose the fee of this line."))
            return data
        if data.get("unit_price") is None and "unit_price" not in self.errors:
            self.add_error("unit_price", _("Enter the unit price."))
        if data.get("quantity") is None:
            data["quantity"] = 1
        discount = data.get("discount") or Decimal("0")
        apply_rule(self, None, validate_discount_reason, discount, data.get("discount_reason", ""))
        if (gross := self.gross()) is not None:
            apply_rule(self, None, validate_discount, discount, gross)
        return data

    def gross(self) -> Decimal | None:
        """The line's amount before its discount, once its price is known."""
        data = self.cleaned_data
        if data.get("unit_price") is None:
            return None
        return data["unit_price"] * (data.get("quantity") or 1)

    def needs_approval(self) -> bool:
        """Whether the line as typed has a discount only the manager may approve; read from
        its valid fields, so a missing discount reason does not hide the question."""
        data = getattr(self, "cleaned_data", None) or {}
        gross = self.gross() if data.get("fee_type") else None
        return bool(gross and data.get("discount")) and discount_needs_approval(
            data["discount"], gross
        )

    def line(self) -> LineInput | None:
        data = self.cleaned_data
        if not data.get("fee_type"):
            return None
        return LineInput(
            fee_type=data["fee_type"],
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            discount=data.get("discount") or Decimal("0"),
            discount_reason=data.get("discount_reason", ""),
            description=data.get("description", ""),
            charge=data.get("charge"),
        )


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        validate_has_lines(sum(1 for form in self.forms if form.cleaned_data.get("fee_type")))

    def lines(self) -> list[LineInput]:
        return [line for form in self.forms if (line := form.line())]

    def needs_approval(self) -> bool:
        return any(form.needs_approval() for form in self.forms)


LineFormSet = forms.formset_factory(
    ReceiptLineForm, formset=BaseLineFormSet, extra=3, max_num=MAX_LINES, validate_max=True
)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class CommentForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("comment"), max_length=300, required=False)
