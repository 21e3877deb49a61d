"""The period whose receipt chain is verified (fees.selectors.chain)."""

from django import forms
from django.core.validators import RegexValidator
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


class ChainPartForm(forms.Form):
    """Where the page's part of the period starts: the page verifies a period a part at a
    time (fees.selectors.chain.PART receipts), each part's link continuing after the last
    receipt the part before it verified. Apart from the period's form, so that a new period
    asked for starts from its beginning."""

    after = forms.CharField(
        required=False, max_length=12, validators=[RegexValidator(r"^\d{4}-\d{6,7}$")]
    )
