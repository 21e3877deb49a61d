"""Money as people read it on receipts: ¥1,234.50 and 壹仟贰佰叁拾肆元伍角."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an
import django_tables2 as tables
from django.db import models

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# cn2an's RMB mode stops at 玖仟亿; amounts this large are a typing error at a desk anyway.
AMOUNT_LIMIT = Decimal("1e12")
# The most one receipt line, receipt or charge may carry; a larger figure is a typing error.
MAX_AMOUNT = Decimal("1000000.00")
# A whole day's takings by one method (the daily close's counts and finance's recount).
MAX_DAY_TOTAL = MAX_AMOUNT * 100


def to_amount(amount: Decimal | int | str | float) -> Decimal:
    """The amount as a Decimal rounded half-up to cents, as receipts round.

    Floats are read through their shortest repr so that 0.1 means 0.10, not
    0.1000000000000000055...; the code base should not pass floats, but templates may.
    """
    if isinstance(amount, bool):
        raise TypeError("an amount cannot be a bool")
    try:
        value = Decimal(repr(amount)) if isinstance(amount, float) else Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not an amount: {amount!r}")
    # Check before rounding too: quantize() fails on numbers beyond Decimal's precision.
    if abs(value) >= AMOUNT_LIMIT:
        raise ValueError(f"amount out of range: {amount!r}")
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(value) >= AMOUNT_LIMIT:
        raise ValueError(f"amount out of range: {amount!r}")
    # -0.00 must read as zero, not as "负零元整".
    return value if value else abs(value)


def amount_in_words(amount: Decimal | int | str) -> str:
    """Chinese capital numerals (大写) for an RMB amount, e.g. 壹佰伍拾元整."""
    value = to_amount(amount)
    if not value:
        return "零元整"
    words = cn2an.an2cn(f"{abs(value):.2f}", "rmb")
    return f"负{words}" if value < 0 else words


def format_money(amount: Decimal | int | str) -> str:
    """¥1,234.50; negatives as -¥35.00."""
    value = to_amount(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"


def money_column(verbose_name, **kwargs) -> models.DecimalField:
    """A money column: yuan with two places, large enough for a year of a street's takings."""
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class MoneyColumn(tables.Column):
    """A list's column of money: right-aligned, as ¥1,234.50."""

    attrs = {"td": {"class": "money text-end"}, "th": {"class": "text-end"}}

    def render(self, value):
        return format_money(value)
