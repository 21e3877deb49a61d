"""Forms of the finance pages: a month, a period, and the confirmation of a month's lock."""

import re
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import DATE_INPUT, BootstrapMixin

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
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2999:
            raise forms.ValidationError(_("Enter a month as year-month, e.g. 2026-05."))
        year, month = int(match[1]), int(match[2])
        if date(year, month, 1) > timezone.localdate():
            raise forms.ValidationError(_("That month has not begun yet."))
        return year, month


class PeriodForm(BootstrapMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), widget=DATE_INPUT)

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
            if start > timezone.localdate():
                self.add_error("date_from", _("The period starts in the future."))
        return cleaned


class LockForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I checked the figures: lock the month and freeze its statement for good."),
    )
