"""A form page's call of a service: a refusal goes next to the field it names (a
deduction's refusal onto the deductions), else above the form; nothing is written."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from config.validators import RuleError

DEDUCTIONS = "deductions"


def place_refusal(exc: ValidationError, form, formset=None) -> None:
    field = getattr(exc, "field", None)
    if isinstance(exc, RuleError) and field in getattr(form, "fields", {}):
        form.add_error(field, exc.field_message)
    elif formset is not None and (field == DEDUCTIONS or form is formset):
        formset.non_form_errors().extend(exc.messages)
    elif hasattr(form, "add_error"):
        form.add_error(None, exc.messages)
    else:
        form.non_form_errors().extend(exc.messages)


def call_service(form, call: Callable[[], Any], *, formset=None) -> Any:
    """What ``call`` returns, or None after putting its refusal on the form (or formset)."""
    try:
        return call()
    except ValidationError as exc:
        place_refusal(exc, form, formset)
    return None
