"""``{% state_badge day.state "DayState" css="fw-normal" element_id="day-state" %}``: a
state's badge in the colour and with the label its enum gives (config.states)."""

from django import template

from config.states import REGISTRY

register = template.Library()


@register.simple_tag
def state_badge(value, enum_name: str, css: str = "", element_id: str = ""):
    return REGISTRY[enum_name](value).badge_html(css=css, element_id=element_id)
