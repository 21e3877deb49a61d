"""The manager's form of a department: its code, name, extension and members."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import BootstrapMixin
from config.people import holders_of, person_name

WORK = "complaints.work_case"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class DepartmentForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(
        label=_("code"), max_length=20, help_text=_("Letters, digits and hyphens, e.g. cleaning.")
    )
    name = forms.CharField(label=_("name"), max_length=50)
    extension = forms.CharField(label=_("internal extension"), max_length=20, required=False)
    members = MemberChoiceField(
        label=_("members"),
        queryset=holders_of(WORK, active_only=True),
        required=False,
        help_text=_("Users of the department role; they see and work its cases."),
    )
