"""Rules that the cases' forms (next to the field) and services (under the lock) both check."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from config.validators import RuleError, normalise_mobile, validate_mobile

# A landline with its area code: 0 and 2–3 digits, then 7–8 digits (e.g. 0571-87654321),
# optionally an extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def check_phone(value: str, *, field: str = "phone") -> str:
    """A mainland mobile number, or a landline with its area code; the number as stored."""
    value = (value or "").strip().replace(" ", "")
    if LANDLINE_RE.match(value):
        return value
    try:
        validate_mobile(value)
    except ValidationError as exc:
        if value.startswith("0"):
            raise RuleError(
                _("A landline is written with its area code, e.g. 0571-87654321."), field=field
            ) from None
        raise RuleError(" ".join(exc.messages), field=field) from None
    return normalise_mobile(value)
