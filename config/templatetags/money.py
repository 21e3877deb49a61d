"""Template filters for amounts: ``{{ receipt.total|money }}`` and ``{{ receipt.total|daxie }}``.

Like Django's own filters they never raise: a missing or malformed amount renders as an
empty string rather than breaking a page or a printed receipt.
"""

from django import template

from config.money import amount_in_words, format_money

register = template.Library()


def _never_raises(convert, value) -> str:
    if value is None or value == "":
        return ""
    try:
        return convert(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def money(value):
    return _never_raises(format_money, value)


@register.filter
def daxie(value):
    return _never_raises(amount_in_words, value)
