"""Form fields that take exactly what the person typed, or refuse it with what is accepted.

Django's DecimalField hands the text to Decimal(), which reads "1e3", "NaN" and "Infinity",
and both it and IntegerField read full-width digits ("１２３") because Python's int() and
Decimal() do. A figure typed at the desk is plain ASCII digits, so these fields match the
text against a strict pattern before turning it into a number. The browser gets a text input
(type=number would let it turn "1e3" into 1000 before we see it) with a numeric keyboard.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.dates import date_bounds
from config.money import MAX_AMOUNT

MONEY_MESSAGE = _(
    "Enter an amount from %(min)s to %(max)s yuan in plain digits with at most two decimals, "
    "e.g. 35 or 35.50 (no commas)."
)
QUANTITY_MESSAGE = _("Enter a whole number from %(min)s to %(max)s in plain digits.")
DATE_FORMAT_MESSAGE = _("Enter a date as year-month-day, e.g. 2026-05-14.")
MONTH_FORMAT_MESSAGE = _("Enter a month as year-month, e.g. 2026-05.")


def _digits_pattern(places: int, *, signed: bool) -> str:
    """ASCII digits only (\\d would match "１２３"); a minus only where a negative makes sense."""
    decimals = rf"(\.[0-9]{{1,{places}}})?" if places else ""
    return ("-?" if signed else "") + "[0-9]+" + decimals


def _plain(limit: Decimal | int, places: int) -> str:
    """A limit as it should be typed: no separators, the field's decimals."""
    return f"{limit:.{places}f}" if places else str(limit)


class ExactDecimalField(forms.Field):
    """A decimal in plain ASCII digits with at most ``places`` decimals, between two limits.

    ``message`` says what is accepted; it gets %(min)s and %(max)s and is the one message
    for any refusal (blank when required, bad form, out of range), so the person always
    reads the rule rather than what was wrong with one attempt.
    """

    def __init__(
        self, *, min_value: Decimal, max_value: Decimal, message, places: int = 2, **kwargs
    ):
        self.min_value, self.max_value, self.places = Decimal(min_value), Decimal(max_value), places
        self.message = message
        self.pattern = _digits_pattern(places, signed=self.min_value < 0)
        self.regex = re.compile(self.pattern)
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {
                "inputmode": "decimal" if self.places else "numeric",
                "autocomplete": "off",
                "pattern": self.pattern,
            }
        )
        return attrs

    def validate(self, value):
        # Blank in a required field gets the rule too, not a bare "this field is required".
        if value is None and self.required:
            raise self.refusal()

    def refusal(self) -> ValidationError:
        return ValidationError(
            self.message,
            code="invalid",
            params={
                "min": _plain(self.min_value, self.places),
                "max": _plain(self.max_value, self.places),
            },
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return self._checked(Decimal(value))  # an initial value, not typed text
        text = str(value).strip()
        if not text:
            return None
        if not self.regex.fullmatch(text):
            raise self.refusal()
        return self._checked(Decimal(text))

    def _checked(self, number: Decimal) -> Decimal:
        if not self.min_value <= number <= self.max_value:
            raise self.refusal()
        number = number.quantize(Decimal(1).scaleb(-self.places))
        return number if number else abs(number)  # "-0" is zero, not minus zero


class MoneyField(ExactDecimalField):
    """An amount in yuan: plain digits, at most two decimals (fen), 0.01 up to MAX_AMOUNT."""

    def __init__(
        self, *, min_value=Decimal("0.01"), max_value=MAX_AMOUNT, message=MONEY_MESSAGE, **kwargs
    ):
        super().__init__(
            min_value=min_value, max_value=max_value, message=message, places=2, **kwargs
        )


class QuantityField(ExactDecimalField):
    """A whole number in plain digits between two limits (a quantity, a count of notes)."""

    def __init__(self, *, min_value=1, max_value, message=QUANTITY_MESSAGE, **kwargs):
        super().__init__(
            min_value=min_value, max_value=max_value, message=message, places=0, **kwargs
        )

    def to_python(self, value):
        number = super().to_python(value)
        return None if number is None else int(number)


class BoundedDateBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        # The date picker greys out what the server would refuse; computed at render time
        # so that a page drawn after midnight offers the new day.
        attrs = super().build_widget_attrs(attrs, widget)
        bounds = self.field.bounds(timezone.localdate())
        attrs.setdefault("min", bounds.first.isoformat())
        attrs.setdefault("max", bounds.last.isoformat())
        return attrs


class BoundedDateField(forms.DateField):
    """A date from ``days_back`` before today (default: the centre's first records) to
    ``days_ahead`` after it. A form narrows the start for one record by setting
    ``not_before`` (e.g. a paper receipt is not older than its book)."""

    def __init__(self, *, days_back: int | None = None, days_ahead: int = 0, **kwargs):
        self.days_back, self.days_ahead = days_back, days_ahead
        self.not_before = None
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = DATE_FORMAT_MESSAGE

    def bounds(self, today):
        return date_bounds(
            today,
            days_back=self.days_back,
            days_ahead=self.days_ahead,
            not_before=self.not_before,
        )

    def validate(self, value):
        super().validate(value)
        if value is not None:
            self.bounds(timezone.localdate()).check(value)

    def get_bound_field(self, form, field_name):
        return BoundedDateBoundField(form, self, field_name)


def money_field(label, *, required=True, minimum=Decimal("0.01"), maximum=MAX_AMOUNT) -> MoneyField:
    """An amount a desk types: a cent to the most one receipt may carry, unless told."""
    return MoneyField(label=label, required=required, min_value=minimum, max_value=maximum)


class YearMonthField(forms.CharField):
    """A calendar month typed as year-month ("2026-05"), cleaned to (year, month); the form
    says which months it takes (its clean_<name>). Years before ``min_year`` (at least year
    1, which a date can hold) are refused as not a month."""

    def __init__(self, *, min_year: int | None = None, **kwargs):
        self.min_year = min_year
        kwargs.setdefault("label", _("Month"))
        kwargs.setdefault("help_text", _("Year and month, e.g. 2026-05."))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "month", "placeholder": "2026-05"})
        )
        super().__init__(max_length=7, **kwargs)

    def clean(self, value):
        # After CharField's own checks (required, at most 7 characters), as a clean_<name>
        # of the form would be.
        value = super().clean(value)
        if value in self.empty_values:
            return None
        # [0-9], not \d: \d and int() would read full-width digits as well.
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", value)
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < (self.min_year or 1):
            raise ValidationError(str(MONTH_FORMAT_MESSAGE))
        return int(match[1]), int(match[2])
