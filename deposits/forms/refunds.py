"""Forms of the refund procedure: the request (its deductions are deposits.forms.deposits'),
the manager's return, and finance's payment."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.fields import BoundedDateField, MoneyField
from config.forms import BootstrapMixin
from deposits.services.refunds import PAID_DAYS_BACK
from fees.enums import PaymentMethod


class RefundPrepareForm(BootstrapMixin, forms.Form):
    payee = forms.CharField(
        label=_("payee"),
        max_length=100,
        help_text=_("Who receives the refund: the payer on the receipt unless they say otherwise."),
    )
    receipt_collected = forms.BooleanField(
        label=_("The original receipt (customer copy) was handed back"), required=False
    )
    amount = MoneyField(
        label=_("refund amount"),
        help_text=_("What the deposit holds less the deductions below."),
    )


class RefundReturnForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("why it is returned"), max_length=200)


class RefundPayForm(BootstrapMixin, forms.Form):
    method = forms.ChoiceField(label=_("payment method"), choices=PaymentMethod.choices)
    reference = forms.CharField(
        label=_("payment reference"),
        max_length=60,
        required=False,
        help_text=_("The transfer's or voucher's number; none for cash."),
    )
    paid_on = BoundedDateField(label=_("paid on"), days_back=PAID_DAYS_BACK)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"method": PaymentMethod.TRANSFER})
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
