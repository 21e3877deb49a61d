"""Forms of cases: logging one at the desk, and the small forms of each action on its page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archives.models import Unit
from complaints.enums import CaseKind, Channel, Priority
from complaints.models import Category, Department
from config.forms import BootstrapMixin


def _departments():
    return Department.objects.filter(active=True).order_by("name")


class CaseForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CaseKind.choices)
    channel = forms.ChoiceField(label=pgettext_lazy("case", "channel"), choices=Channel.choices)
    unit = forms.CharField(
        label=_("unit code"),
        max_length=12,
        required=False,
        help_text=_("The unit's tenant is named on the case; else give the visitor's name."),
    )
    visitor_name = forms.CharField(label=_("visitor's name"), max_length=50, required=False)
    visitor_phone = forms.CharField(
        label=_("visitor's phone"),
        max_length=20,
        required=False,
        help_text=_("A mobile number, or a landline with its area code."),
    )
    category = forms.ModelChoiceField(
        label=_("category"),
        queryset=Category.objects.filter(active=True).select_related("parent"),
        required=False,
    )
    description = forms.CharField(
        label=_("description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    priority = forms.ChoiceField(
        label=_("priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    department = forms.ModelChoiceField(
        label=_("assign to"),
        queryset=_departments(),
        required=False,
        help_text=_("Optional: the department that works it (派单 now)."),
    )

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip().upper()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("There is no unit %(code)s in the register."), params={"code": code}
            )
        return unit


class AssignForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("department"), queryset=_departments())
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class ReassignForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("department"), queryset=_departments())
    note = forms.CharField(label=_("why"), max_length=500)


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(BootstrapMixin, forms.Form):
    resolution = forms.CharField(
        label=_("how it was resolved"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
