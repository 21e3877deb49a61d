from django import forms
from django.core.exceptions import ValidationError

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
