"""The callback's form (回访) on a resolved case."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.enums import CallbackMethod
from config.fields import BoundedDateField
from config.forms import BootstrapMixin

SCORES = [(score, f"{score}") for score in range(5, 0, -1)]


class CallbackForm(BootstrapMixin, forms.Form):
    called_on = BoundedDateField(label=_("date"), days_back=60)
    method = forms.ChoiceField(label=_("how"), choices=CallbackMethod.choices)
    satisfaction = forms.TypedChoiceField(label=_("satisfaction (1–5)"), choices=SCORES, coerce=int)
    comment = forms.CharField(
        label=_("comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A score of 1 or 2 reopens the case to its department: say what is wrong."),
    )
