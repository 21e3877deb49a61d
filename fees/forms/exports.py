"""The period of an audit pack."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from config.dates import year_end_from
from config.fields import BoundedDateField
from config.forms import BootstrapMixin


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class PeriodForm(BootstrapMixin, forms.Form):
    # Within the records and not in the future (BoundedDateField's default).
    date_from = BoundedDateField(label=_("from"))
    date_to = BoundedDateField(label=_("to"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start is None or end is None:
            return cleaned
        if start > end:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        elif end > year_end_from(start):
            self.add_error("date_to", _("A pack covers at most one year."))
        return cleaned
