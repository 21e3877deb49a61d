"""The forms of a shop handover: start it, count the keys, read a meter, record a condition
item, cancel it. They read what was typed exactly; the services judge it again under the
lock (deposits.services.moveouts)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from config.fields import BoundedDateField, ExactDecimalField, QuantityField
from config.forms import BootstrapMixin
from config.uploads import ImageUploadField
from deposits.enums import Meter
from deposits.models import MoveOut, MoveOutItem, MoveOutReading
from deposits.services import moveouts as rules

KEYS_MESSAGE = _("Enter a whole number of keys from %(min)s to %(max)s.")
READING_MESSAGE = _("Enter the reading as a number from 0 with at most two decimals.")
PRICE_MESSAGE = _("Enter the unit price as a number from 0 to 1,000 with at most four decimals.")
FEE_MESSAGE = _("Enter the daily fee as an amount from 0 to 100,000.00 (0: the lease has none).")
ITEM_PRICE_MESSAGE = _("Enter the price from 0 to 1,000,000.00 with at most two decimals.")


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _keys(label) -> QuantityField:
    return QuantityField(label=label, min_value=0, max_value=rules.MAX_KEYS, message=KEYS_MESSAGE)


class StartForm(BootstrapMixin, forms.Form):
    planned_on = BoundedDateField(
        label=_label(MoveOut, "planned_on"),
        days_back=rules.PLAN_DAYS_BACK,
        days_ahead=rules.PLAN_DAYS_AHEAD,
    )
    keys_issued = _keys(_label(MoveOut, "keys_issued"))
    late_daily_fee = ExactDecimalField(
        label=_label(MoveOut, "late_daily_fee"),
        min_value=Decimal("0"),
        max_value=rules.MAX_DAILY_FEE,
        message=FEE_MESSAGE,
        help_text=_("As the lease says; 0 when it charges nothing for a late handover."),
    )

    def __init__(self, *args, occupancy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_on"].not_before = occupancy.moved_in_on


class KeysForm(BootstrapMixin, forms.Form):
    keys_returned = _keys(_label(MoveOut, "keys_returned"))


class ReadingForm(BootstrapMixin, forms.Form):
    meter = forms.ChoiceField(label=_label(MoveOutReading, "meter"), choices=Meter.choices)
    previous = ExactDecimalField(
        label=_label(MoveOutReading, "previous"),
        min_value=Decimal("0"),
        max_value=rules.MAX_READING,
        message=READING_MESSAGE,
    )
    final = ExactDecimalField(
        label=_label(MoveOutReading, "final"),
        min_value=Decimal("0"),
        max_value=rules.MAX_READING,
        message=READING_MESSAGE,
    )
    unit_price = ExactDecimalField(
        label=_label(MoveOutReading, "unit_price"),
        min_value=Decimal("0"),
        max_value=rules.MAX_UNIT_PRICE,
        places=4,
        message=PRICE_MESSAGE,
    )

    def __init__(self, *args, unread=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unread is not None:
            self.fields["meter"].choices = [(m.value, m.label) for m in unread]


class ItemForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_label(MoveOutItem, "description"), max_length=200)
    price = ExactDecimalField(
        label=_label(MoveOutItem, "price"),
        min_value=Decimal("0"),
        max_value=Decimal("1000000.00"),
        message=ITEM_PRICE_MESSAGE,
        help_text=_("Billed to the tenant as a charge; 0 to note it only."),
    )
    photo = ImageUploadField(label=_label(MoveOutItem, "photo"), required=False)


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=200)
