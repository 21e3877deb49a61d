"""Forms of the finance pages: the confirmation of a month's lock. The month and the period
the pages ask for are the statement's parameters (fees.exporters.statements)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LockForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I checked the figures: lock the month and freeze its statement for good."),
    )
