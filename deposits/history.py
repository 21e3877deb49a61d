"""How the deposits records' history reads: money as ¥."""

from django.apps import apps
from django.db import models

from config.history import register_display
from config.money import format_money


def money_display(value) -> str:
    try:
        return format_money(value)
    except (TypeError, ValueError):
        return str(value)


def register() -> None:
    """Called once the models are loaded (DepositsConfig.ready)."""
    for model in apps.get_app_config("deposits").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField):
                # Every decimal of the deposits app is an amount of money.
                register_display(model, field.name, money_display)
