"""Forms of retention and destruction: place or lift a hold, draw a destruction list,
reject one, and record its destruction."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import DestructionMethod, HoldReason
from config.fields import BoundedDateField
from config.forms import BootstrapMixin


class HoldForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=HoldReason.choices)
    note = forms.CharField(
        label=_("details"),
        max_length=200,
        help_text=_("The dispute, the case or the audit the hold is for."),
    )


class LiftForm(BootstrapMixin, forms.Form):
    lift_note = forms.CharField(label=_("why lifted"), max_length=200)


class DrawForm(BootstrapMixin, forms.Form):
    review_due = BoundedDateField(label=_("review due by"), days_back=0, days_ahead=366)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_due"].initial = timezone.localdate() + timedelta(days=14)


class RejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("why rejected"), max_length=200)


class DestroyForm(BootstrapMixin, forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=DestructionMethod.choices)
    destroyed_on = BoundedDateField(label=_("destroyed on"), days_back=366)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    witness = forms.CharField(label=_("witness (监销人)"), max_length=50)
    witness_unit = forms.CharField(
        label=_("witness's unit or department"), max_length=100, required=False
    )
