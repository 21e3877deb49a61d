from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.fields import BoundedDateField
from config.validators import RuleError


class BootstrapMixin:
    """Gives every widget Bootstrap's classes and marks invalid fields for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Also called by forms that add fields after construction."""
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)

    def full_clean(self):
        # Marked after validation (not in __init__, which would validate too early).
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error"


class DatePeriodForm(BootstrapMixin, forms.Form):
    """A period from one date to another, of at most ``max_days`` days (None: any length)."""

    # Within the records and not in the future (BoundedDateField's default).
    date_from = BoundedDateField(label=gettext_lazy("From"))
    date_to = BoundedDateField(label=gettext_lazy("To"))
    max_days: int | None = None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end comes before the start."))
            elif self.max_days is not None and end - start >= timedelta(days=self.max_days):
                self.add_error(
                    "date_to",
                    _("A period is at most %(days)d days; take a month at a time for more.")
                    % {"days": self.max_days},
                )
        return cleaned


def by_typed_code(queryset, typed: str, refusal: str, *, field: str = "code"):
    """The row of ``queryset`` whose ``field`` is the code the desk typed (trimmed, in capitals
    as codes are written), None when nothing was typed; a code that names no row is refused
    with ``refusal``, which may show the code as %(code)s (%(<field>)s)."""
    code = typed.strip().upper()
    if not code:
        return None
    row = queryset.filter(**{field: code}).first()
    if row is None:
        raise ValidationError(refusal, params={field: code})
    return row


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_rule(form, field: str | None, rule, *args, **kwargs):
    """Run one of the app's validators for ``form``: what it returns, or None after putting
    its refusal next to the field it names (else ``field``; None: the whole form)."""
    try:
        return rule(*args, **kwargs)
    except RuleError as exc:
        target = exc.field if exc.field in form.fields else field
        form.add_error(target, exc.field_message)
    except ValidationError as exc:
        form.add_error(field, exc)
    return None
