"""The daily close's forms: the count, the handover to finance and a discrepancy's sign-off."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from config.fields import MoneyField, QuantityField, money_field
from config.forms import BootstrapMixin
from config.money import MAX_DAY_TOTAL
from fees.enums import DENOMINATIONS, PaymentMethod
from fees.validators import MAX_PIECES


def denomination_field_name(denomination: Decimal) -> str:
    return "cash_" + str(denomination).replace(".", "_")


class CountForm(BootstrapMixin, forms.Form):
    """The blind count: notes and coins by denomination, and each platform's statement total."""

    # Left blank, the service takes the float the previous close left (the prefill).
    opening_float = MoneyField(
        label=_("Opening float"),
        min_value=Decimal("0"),
        required=False,
        help_text=_("The change the drawer started with; count it with the cash."),
    )
    float_left = MoneyField(
        label=_("Float left for the next shift"),
        min_value=Decimal("0"),
        required=False,
        help_text=_("Stays in the drawer; the rest of the cash goes to finance."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for denomination in DENOMINATIONS:
            self.fields[denomination_field_name(denomination)] = QuantityField(
                label=_("¥%(value)s × count") % {"value": format(denomination, "f")},
                min_value=0,
                max_value=MAX_PIECES,
                required=False,
            )
        for method, label in PaymentMethod.choices:
            if method != PaymentMethod.CASH:
                self.fields[f"noncash_{method}"] = money_field(
                    label, required=False, minimum=Decimal("0"), maximum=MAX_DAY_TOTAL
                )
        self.style_fields()

    def cash_count(self) -> dict[Decimal, int]:
        return {d: self.cleaned_data.get(denomination_field_name(d)) or 0 for d in DENOMINATIONS}

    def floats(self) -> dict[str, Decimal | None]:
        return {
            "opening_float": self.cleaned_data.get("opening_float"),
            "float_left": self.cleaned_data.get("float_left"),
        }

    def non_cash(self) -> dict[str, Decimal]:
        return {
            method: self.cleaned_data.get(f"noncash_{method}") or Decimal("0")
            for method in PaymentMethod.values
            if method != PaymentMethod.CASH
        }


class HandoverForm(BootstrapMixin, forms.Form):
    cash_received = money_field(_("cash received"), minimum=Decimal("0"), maximum=MAX_DAY_TOTAL)
    bag_number = forms.CharField(label=_("cash bag / seal number"), max_length=30)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class SignOffForm(BootstrapMixin, forms.Form):
    explanation = forms.CharField(label=_("explanation"), max_length=300)
