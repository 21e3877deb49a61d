"""The period whose receipt chain is verified (fees.selectors.chain)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.fields import BoundedDateField
from config.forms import BootstrapMixin


class ChainPeriodForm(BootstrapMixin, forms.Form):
    """Any period, however long: the verification reads the receipts as a stream."""

    # Within the records and not in the future (BoundedDateField's default).
    date_from = BoundedDateField(label=gettext_lazy("From"))
    date_to = BoundedDateField(label=gettext_lazy("To"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end comes before the start."))
        return cleaned
