"""Forms of the finance pages: a month, a period, and the confirmation of a month's lock."""

import re
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.dates import earliest_record_date
from config.fields import BoundedDateField
from config.forms import BootstrapMixin

MAX_PERIOD_DAYS = 366


class MonthForm(BootstrapMixin, forms.Form):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-05"}),
        help_text=_("Year and month, e.g. 2026-05."),
    )

    def clean_month(self) -> tuple[int, int]:
        value = self.cleaned_data["month"].strip()
        # [0-9], not \d: \d and int() would read full-width digits as well.
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("Enter a month as year-month, e.g. 2026-05."))
        year, month = int(match[1]), int(match[2])
        first, last = earliest_record_date().replace(day=1), timezone.localdate()
        if not first <= date(year, month, 1) <= last:
            raise forms.ValidationError(
                _("Enter a month from %(first)s to %(last)s."),
                params={"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"},
            )
        return year, month


class PeriodForm(BootstrapMixin, forms.Form):
    # Within the records and not in the future (BoundedDateField's default).
    date_from = BoundedDateField(label=_("From"))
    date_to = BoundedDateField(label=_("To"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end comes before the start."))
            elif end - start >= timedelta(days=MAX_PERIOD_DAYS):
                self.add_error(
                    "date_to",
                    _("A period is at most %(days)d days; take a month at a time for more.")
                    % {"days": MAX_PERIOD_DAYS},
                )
        return cleaned


class LockForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I checked the figures: lock the month and freeze its statement for good."),
    )
