"""The register of one day on one form: a row of fields per member of staff employed that
day, filled in with their record or, for a day not yet taken, with their shift as planned
(so that a normal day is one submit)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from attendance.enums import LeaveKind, Presence
from attendance.forms.staff import TIME_INPUT
from attendance.selectors.register import RegisterDay
from attendance.services.register import Entry
from attendance.validators import validate_entry
from config.forms import BootstrapMixin

FIELDS = ("presence", "leave_kind", "time_in", "time_out", "note")


class RegisterForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason for the amendment"),
        max_length=200,
        required=False,
        help_text=_("Needed when a past day, or a day of a signed month, is changed."),
    )

    def __init__(self, *args, register: RegisterDay, **kwargs):
        self.register = register
        initial = {}
        for line in register.lines:
            record, shift = line.record, line.staff.shift
            if record is not None:
                values = {
                    "presence": record.presence,
                    "leave_kind": record.leave_kind,
                    "time_in": record.time_in,
                    "time_out": record.time_out,
                    "note": record.note,
                }
            elif register.working:
                values = {
                    "presence": Presence.PRESENT,
                    "time_in": shift.starts_at,
                    "time_out": shift.ends_at,
                }
            else:
                values = {"presence": Presence.REST}
            initial.update({f"s{line.staff.pk}-{name}": value for name, value in values.items()})
        super().__init__(*args, initial=initial, **kwargs)
        for line in register.lines:
            prefix = f"s{line.staff.pk}-"
            self.fields[prefix + "presence"] = forms.ChoiceField(
                label=_("presence"), choices=Presence.choices
            )
            self.fields[prefix + "leave_kind"] = forms.ChoiceField(
                label=_("kind of leave"),
                choices=[("", "—"), *LeaveKind.choices],
                required=False,
            )
            self.fields[prefix + "time_in"] = forms.TimeField(
                label=_("in"), required=False, widget=TIME_INPUT
            )
            self.fields[prefix + "time_out"] = forms.TimeField(
                label=_("out"), required=False, widget=TIME_INPUT
            )
            self.fields[prefix + "note"] = forms.CharField(
                label=_("note"), max_length=200, required=False
            )
        self.style_fields()

    def rows(self):
        """Each person with their bound fields, for the template."""
        for line in self.register.lines:
            prefix = f"s{line.staff.pk}-"
            yield line, [self[prefix + name] for name in FIELDS]

    def clean(self):
        cleaned = super().clean()
        for line in self.register.lines:
            prefix = f"s{line.staff.pk}-"
            if any(prefix + name in self.errors for name in FIELDS):
                continue
            try:
                validate_entry(
                    presence=cleaned.get(prefix + "presence"),
                    leave_kind=cleaned.get(prefix + "leave_kind") or "",
                    time_in=cleaned.get(prefix + "time_in"),
                    time_out=cleaned.get(prefix + "time_out"),
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    self.add_error(prefix + name, errors)
        return cleaned

    def entries(self) -> list[Entry]:
        data = self.cleaned_data
        return [
            Entry(
                staff_id=line.staff.pk,
                presence=data[f"s{line.staff.pk}-presence"],
                leave_kind=data[f"s{line.staff.pk}-leave_kind"] or "",
                time_in=data[f"s{line.staff.pk}-time_in"],
                time_out=data[f"s{line.staff.pk}-time_out"],
                note=data[f"s{line.staff.pk}-note"],
            )
            for line in self.register.lines
        ]


class SignForm(forms.Form):
    """The month's signature carries nothing but the click (the year and month are in the URL)."""
