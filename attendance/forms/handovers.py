"""The shift handover's forms: the outgoing person's draft (the things handed over with
their counts, the pending matters one a line), the submission's notes, and the incoming
person's answer to a line."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import ItemKind, Shift, Staff
from attendance.services.handovers import Counted
from config.fields import BoundedDateField, MoneyField, QuantityField
from config.forms import BootstrapMixin

MAX_PIECES = 100000


class HandoverForm(BootstrapMixin, forms.Form):
    date = BoundedDateField(label=_("date"), days_back=7)
    shift = forms.ModelChoiceField(
        label=_("shift"), queryset=Shift.objects.filter(active=True).order_by("starts_at", "name")
    )
    incoming = forms.ModelChoiceField(
        label=_("incoming"),
        queryset=Staff.objects.filter(user__isnull=False, left_on__isnull=True).order_by(
            "name", "pk"
        ),
        help_text=_("The member of staff taking over (with a login, to acknowledge)."),
    )
    cash_float = MoneyField(label=_("cash float (yuan)"), min_value=Decimal("0.00"))
    cabinet_keys = QuantityField(label=_("archive cabinet keys"), min_value=0, max_value=MAX_PIECES)
    permit_cards = QuantityField(label=_("permit card stock"), min_value=0, max_value=MAX_PIECES)
    other_item = forms.CharField(label=_("other item"), max_length=100, required=False)
    other_count = QuantityField(
        label=_("its count"), min_value=0, max_value=MAX_PIECES, required=False
    )
    matters = forms.CharField(
        label=_("pending matters"),
        widget=forms.Textarea,
        required=False,
        max_length=4000,
        help_text=_("One a line."),
    )
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea, required=False, max_length=4000
    )

    def clean(self):
        data = super().clean()
        if data.get("other_item") and data.get("other_count") is None:
            self.add_error("other_count", _("Give the count of the other item."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        counted = [
            Counted(ItemKind.CASH_FLOAT, data["cash_float"]),
            Counted(ItemKind.CABINET_KEYS, Decimal(data["cabinet_keys"])),
            Counted(ItemKind.PERMIT_CARDS, Decimal(data["permit_cards"])),
        ]
        if data.get("other_item"):
            counted.append(
                Counted(ItemKind.OTHER, Decimal(data["other_count"]), data["other_item"])
            )
        return {
            "date": data["date"],
            "shift": data["shift"],
            "incoming": data["incoming"],
            "counted": counted,
            "matters": (data.get("matters") or "").splitlines(),
            "notes": data.get("notes") or "",
        }


class SubmitForm(BootstrapMixin, forms.Form):
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea, required=False, max_length=4000
    )


class AnswerForm(BootstrapMixin, forms.Form):
    disputed = forms.BooleanField(label=_("dispute this line"), required=False)
    note = forms.CharField(label=_("note"), required=False, max_length=500)
