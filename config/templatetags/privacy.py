"""``{{ tenant.phone|mobile:user }}``: a mobile number as the reader may see it
(config.privacy: whole or 138****5678)."""

from django import template

from config.privacy import mobile_for

register = template.Library()


@register.filter
def mobile(value: str, user) -> str:
    return mobile_for(user, value)
