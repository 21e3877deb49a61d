"""Forms of cases: logging one at the desk, and the small forms of each action on its page."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archives.models import Unit
from complaints.enums import CaseKind, Channel, Priority
from complaints.models import Category, Department
from complaints.selectors.cases import repeats_of
from config.forms import BootstrapMixin, by_typed_code


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
    repeat_confirmed = forms.BooleanField(
        label=_("Log it as a repeat"),
        required=False,
        help_text=_(
            "Needed when the unit raised a case of the same category within the last 30 days."
        ),
    )

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.repeats = []

    def clean(self):
        """A case of the same unit and category as one logged within 30 days is a repeat:
        the desk sees which one before saving, and ticks the box to log it anyway."""
        data = super().clean()
        self.repeats = repeats_of(
            unit=data.get("unit"), category=data.get("category"), at=self.now or timezone.now()
        )
        if self.repeats and not data.get("repeat_confirmed"):
            last = self.repeats[0]
            self.add_error(
                "repeat_confirmed",
                _(
                    "A repeat: case %(number)s of this unit in this category was logged on "
                    "%(day)s. Tick the box to log this one as a repeat."
                )
                % {
                    "number": last.number,
                    "day": timezone.localdate(last.received_at).isoformat(),
                },
            )
        return data

    def service_data(self) -> dict:
        """What case_receive takes: a repeat says of which case in its first step's note."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "repeat_confirmed"}
        if self.repeats:
            data["note"] = _("Repeat of %(numbers)s") % {
                "numbers": ", ".join(case.number for case in self.repeats)
            }
        return data

    def clean_unit(self):
        return by_typed_code(
            Unit.objects,
            self.cleaned_data["unit"],
            _("There is no unit %(code)s in the register."),
        )


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
