"""The manager's task form, and the assignee's note on completion."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from config.fields import BoundedDateField
from config.forms import BootstrapMixin
from config.people import PersonChoiceField


class TaskForm(BootstrapMixin, forms.Form):
    assigned_to = PersonChoiceField(
        label=_("assigned to"),
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username"),
    )
    title = forms.CharField(label=_("task"), max_length=200)
    details = forms.CharField(
        label=_("details"), widget=forms.Textarea, required=False, max_length=4000
    )
    due_on = BoundedDateField(label=_("due on"), days_back=0, days_ahead=366)


class TaskDoneForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("note on completion"), widget=forms.Textarea, max_length=4000)
