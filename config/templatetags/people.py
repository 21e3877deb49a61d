"""``{{ receipt.cashier|person }}``: a user by name (config.people), never the login name."""

from django import template

from config.people import person_name

register = template.Library()


@register.filter
def person(user) -> str:
    return person_name(user) if user else ""
