"""The manager's forms of shifts and staff, and of a member of staff's leaving."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from attendance.models import Shift
from config.fields import BoundedDateField
from config.forms import BootstrapMixin
from config.people import PersonChoiceField

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ShiftForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=30)
    starts_at = forms.TimeField(label=_("starts at"), widget=TIME_INPUT)
    ends_at = forms.TimeField(label=_("ends at"), widget=TIME_INPUT)
    active = forms.BooleanField(label=_("active"), required=False, initial=True)


class StaffForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    position = forms.CharField(label=_("position"), max_length=50, required=False)
    shift = forms.ModelChoiceField(label=_("usual shift"), queryset=Shift.objects.none())
    joined_on = BoundedDateField(label=_("joined on"), days_ahead=60)
    user = PersonChoiceField(
        label=_("login"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Their account, if they log in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = Shift.objects.filter(active=True)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
        )


class StaffLeaveForm(BootstrapMixin, forms.Form):
    left_on = BoundedDateField(
        label=_("last day"), days_ahead=60, help_text=_("The last day they work here.")
    )
