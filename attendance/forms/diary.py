"""The work diary's forms: writing an entry, and changing it (with a reason after its day)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import Shift
from config.fields import BoundedDateField
from config.forms import BootstrapMixin


class DiaryChangeForm(BootstrapMixin, forms.Form):
    happened = forms.CharField(label=_("what happened"), widget=forms.Textarea, max_length=4000)
    visitors = forms.CharField(
        label=_("visitors"), widget=forms.Textarea, required=False, max_length=4000
    )
    calls = forms.CharField(
        label=_("calls"), widget=forms.Textarea, required=False, max_length=4000
    )
    unusual = forms.CharField(
        label=_("anything unusual"), widget=forms.Textarea, required=False, max_length=4000
    )
    reason = forms.CharField(
        label=_("reason for the change"),
        required=False,
        max_length=80,
        help_text=_("Needed when the entry of a past day is changed."),
    )


class DiaryForm(DiaryChangeForm):
    date = BoundedDateField(label=_("date"), days_back=31)
    shift = forms.ModelChoiceField(
        label=_("shift"), queryset=Shift.objects.filter(active=True).order_by("starts_at", "name")
    )
    field_order = ["date", "shift", "happened", "visitors", "calls", "unusual"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["reason"]
