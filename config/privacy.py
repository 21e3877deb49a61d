"""Personal data only as far as a reader needs it (DESIGN.md 7: "personal identifiers
masked wherever they are not needed whole").

Two kinds of personal data are masked here, for every app:

- ID numbers (resident ID cards, passports, Hong Kong/Macau and Taiwan permits): every page,
  list, history and export shows them masked. A whole one is shown only by the action that
  first records the viewing (archives.AccessLog), and only to a role holding
  ``WHOLE[ID_NUMBER]``: the desk, which checks a worker's or tenant's card against it.
- Mobile numbers: shown whole to the roles that call tenants, workers and contractors
  (``WHOLE[MOBILE]``), masked to the others; those may not search by them either, which
  would tell them whose number it is.

The permissions are defined with the access log (archives.models.AccessLog) and given to
roles in config.roles; this module names them by string so that config imports no app.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

ID_NUMBER = "id_number"
MOBILE = "mobile"

# The one rule of who may see each kind whole.
WHOLE = {
    ID_NUMBER: "archives.reveal_id_number",
    MOBILE: "archives.see_mobile_numbers",
}


def mask_id_number(value: str) -> str:
    """An ID number with its middle hidden: a resident ID keeps its six-digit region and its
    last four characters (110105********1234), so the birth date never shows; shorter
    numbers (passports, permits) keep their last four at most, and at least half of
    anything is hidden."""
    value = value or ""
    if len(value) < 8:
        return "*" * len(value)
    head = max(0, min(6, len(value) - 12))
    return value[:head] + "*" * (len(value) - head - 4) + value[-4:]


def mask_mobile(value: str) -> str:
    """A mainland mobile number as Chinese services print it: 138****5678."""
    value = value or ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


MASKS = {ID_NUMBER: mask_id_number, MOBILE: mask_mobile}


def may_see_whole(user, kind: str) -> bool:
    """Whether ``user`` may see data of ``kind`` whole (an ID number: after recording it)."""
    return bool(user and user.is_authenticated and user.has_perm(WHOLE[kind]))


def mobile_for(user, value: str) -> str:
    """A mobile number as ``user`` may read it."""
    return value if may_see_whole(user, MOBILE) else mask_mobile(value)


class MaskedFieldsMixin:
    """An edit form whose personal fields show the stored value masked (an ID number always,
    a mobile number to a reader who may not see it whole): left as shown, the stored value
    is kept; typed anew, the new one is checked and saved. The form takes ``user``.

    ``masked_fields`` maps each such field to its kind (ID_NUMBER or MOBILE). A field's own
    ``clean_<name>`` must call ``self.unmasked(name)`` first."""

    masked_fields: dict[str, str] = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_masked = {}
        if self.instance.pk is None:
            return  # nothing stored yet: the user types it
        for name, kind in self.masked_fields.items():
            stored = getattr(self.instance, name)
            if not stored or (kind != ID_NUMBER and may_see_whole(user, kind)):
                continue
            self.shown_masked[name] = MASKS[kind](stored)
            self.initial[name] = self.shown_masked[name]
            self.fields[name].help_text = _(
                "Shown masked. Leave it as it is to keep the number, or type the whole new one."
            )

    def unmasked(self, name: str) -> tuple[str, bool]:
        """(the value, True) when the masked value was left as shown (the stored value),
        else (what was typed, False)."""
        value = self.cleaned_data[name]
        if name in self.shown_masked and value.strip() == self.shown_masked[name]:
            return getattr(self.instance, name), True
        return value, False


def masked_form_kwargs(form_class: type[forms.BaseForm], request) -> dict:
    """The keyword arguments a view gives ``form_class`` for masking: the user, if it masks."""
    return {"user": request.user} if issubclass(form_class, MaskedFieldsMixin) else {}
