"""The period of an audit pack (and of each of its files downloaded alone)."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from config.dates import year_end_from
from config.fields import BoundedDateField
from config.forms import BootstrapMixin
from fees.selectors.days import withheld_dates


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class PeriodForm(BootstrapMixin, forms.Form):
    # Within the records and not in the future (BoundedDateField's default).
    date_from = BoundedDateField(label=_("from"))
    date_to = BoundedDateField(label=_("to"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start is None or end is None:
            return cleaned
        if start > end:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        elif end > year_end_from(start):
            self.add_error("date_to", _("A pack covers at most one year."))
        elif self.user is not None:
            self._refuse_withheld_days(start, end)
        return cleaned

    def _refuse_withheld_days(self, start: date, end: date) -> None:
        """A pack holds every figure of its period: for one who counts (fees.selectors.days),
        not before each of its days is counted."""
        days = withheld_dates(self.user, start, end)
        if days:
            self.add_error(
                "date_to",
                _("Not counted yet: %(days)s. A pack with these days can be built once they are.")
                % {"days": ", ".join(day.isoformat() for day in sorted(days))},
            )
