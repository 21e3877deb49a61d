"""Template filters for amounts: ``{{ receipt.total|money }}`` and ``{{ receipt.total|daxie }}``.

Like Django's own filters they never raise: a missing or malformed amount renders as an
empty string rather than breaking a page or a printed receipt.
"""

from django import template

from config.money import amount_in_words, format_money

register = template.Library()


@register.filter
def money(value):
    if value is None or value == "":
        return ""
    try:
        return format_money(value)
    except (TypeError, ValueError):
        return ""


@register.filter
def daxie(value):
    if value is None or value == "":
        return ""
    try:
        return amount_in_words(value)
    except (TypeError, ValueError):
        return ""
