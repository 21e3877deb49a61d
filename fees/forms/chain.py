"""The period whose receipt chain is verified (fees.selectors.chain)."""

from django import forms
from django.core.validators import RegexValidator

from config.forms import DatePeriodForm


class ChainPeriodForm(DatePeriodForm):
    """Any period, however long: the verification reads the receipts as a stream."""


class ChainPartForm(forms.Form):
    """Where the page's part of the period starts: the page verifies a period a part at a
    time (fees.selectors.chain.PART receipts), each part's link continuing after the last
    receipt the part before it verified. Apart from the period's form, so that a new period
    asked for starts from its beginning."""

    after = forms.CharField(
        required=False, max_length=12, validators=[RegexValidator(r"^\d{4}-\d{6,7}$")]
    )
