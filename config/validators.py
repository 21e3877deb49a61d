"""Checks for the identifiers people bring to the desk, with messages that say what is wrong."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from config.money import CENT, MAX_AMOUNT, ZERO

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")

# Provinces of GB/T 2260. Only the province is checked: the county part of a number is the
# county where the card was first issued, which stdnum's birth-year rule wrongly rejects
# for people born before their county got its present code.
PROVINCE_CODES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
}


def _compact(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def _eighteen(value: str, message: str) -> str:
    """The compacted identifier, which must be 18 characters long (both national formats)."""
    compact = _compact(value)
    if len(compact) != 18:
        raise ValidationError(message, code="length", params={"n": len(compact)})
    return compact


def validate_resident_id(value: str) -> None:
    """The 18-character resident identity card number (居民身份证号) with its check digit."""
    number = _eighteen(value, _("A resident ID number has 18 characters; this one has %(n)d."))
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."), code="format"
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("The first two digits (%(code)s) are not a province code."),
            code="province",
            params={"code": number[:2]},
        )
    try:
        ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("The birth date inside this ID number (characters 7 to 14) is not a real date."),
            code="birth_date",
        ) from None
    # stdnum's calc_check_digit takes the whole number and ignores its last character.
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(
            _("The check digit (last character) does not match: please re-check the number."),
            code="checksum",
        )


def validate_credit_code(value: str) -> None:
    """The 18-character unified social credit code (统一社会信用代码) with its check character."""
    code = _eighteen(
        value, _("A unified social credit code has 18 characters; this one has %(n)d.")
    )
    try:
        uscc.validate(code)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("The check character (last character) does not match: please re-check the code."),
            code="checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _(
                "A unified social credit code uses digits and capital letters "
                "(not I, O, S, V or Z) in a fixed layout."
            ),
            code="format",
        ) from None


def validate_mobile(value: str) -> None:
    """A mainland China mobile number: 11 digits starting with 13–19."""
    number = _compact(value).removeprefix("+86")
    if not number.isdigit():
        raise ValidationError(_("A mobile number has digits only."), code="format")
    if len(number) != 11:
        raise ValidationError(
            _("A mainland mobile number has 11 digits; this one has %(n)d."),
            code="length",
            params={"n": len(number)},
        )
    if not MOBILE_RE.match(number):
        raise ValidationError(
            _("A mainland mobile number starts with 1 followed by 3 to 9."), code="prefix"
        )


def normalise_identifier(value: str) -> str:
    return _compact(value)


def normalise_mobile(value: str) -> str:
    return _compact(value).removeprefix("+86")


class RuleError(ValidationError):
    """A broken rule of an app's validators. A service raises it as it is (its message reads
    on its own); a form puts ``field_message`` next to ``field``, where the field's label
    makes a shorter wording enough."""

    def __init__(self, message, *, field: str | None = None, field_message=None):
        super().__init__(message)
        self.field = field
        self.field_message = field_message or message


def check_amount(value) -> Decimal:
    """An amount of money given to a service (a form's MoneyField checks typed ones): a
    number more than 0 and at most MAX_AMOUNT, with at most two decimals."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("Enter the amount as a number, e.g. 350.00."))
    if not ZERO < amount <= MAX_AMOUNT:
        raise ValidationError(_("The amount must be more than 0 and at most 1,000,000.00."))
    if amount != amount.quantize(CENT):
        raise ValidationError(_("The amount can have at most two decimals."))
    return amount.quantize(CENT)
