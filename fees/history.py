"""How the fees records' stored values read in the history (pages and the audit pack):
money as ¥, the cash count as denomination × pieces, figures by payment method under the
methods' names, instead of raw numbers and dictionaries."""

from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import models
from django.utils.translation import gettext, pgettext

from config.history import register_display
from config.money import format_money
from fees.enums import PaymentMethod

# JSON fields that hold a count or figures keyed by payment method, by field name, so a
# model that keeps a count the same way (a recount) reads the same.
DENOMINATION_FIELDS = {"cash_count"}
AMOUNT_BY_METHOD_FIELDS = {"counted", "expected"}
TEXT_BY_METHOD_FIELDS = {"explanations"}


def _join(parts: list[str]) -> str:
    return pgettext("list separator", ", ").join(parts) or "—"


def _by_method(value: dict) -> list[tuple[str, object]]:
    """The items in the payment methods' own order (PostgreSQL's jsonb keeps no order)."""
    order = {method: index for index, method in enumerate(PaymentMethod.values)}
    return sorted(value.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


def _method_label(method: str) -> str:
    return str(PaymentMethod(method).label) if method in PaymentMethod.values else method


def denomination_label(denomination: Decimal) -> str:
    """100 → 100元, 0.5 → 5角: notes and coins as the desk names them."""
    if denomination >= 1:
        return gettext("%(value)s yuan") % {"value": f"{denomination.normalize():f}"}
    return gettext("%(value)s jiao") % {"value": f"{(denomination * 10).normalize():f}"}


def cash_count_display(value: dict) -> str:
    """{"100": 3, "50": 1} → 100元 × 3，50元 × 1 (largest note first)."""
    try:
        pieces = sorted(((Decimal(key), count) for key, count in value.items()), reverse=True)
    except (InvalidOperation, AttributeError):
        return str(value)
    return _join([f"{denomination_label(d)} × {count}" for d, count in pieces])


def amounts_by_method_display(value: dict) -> str:
    """{"cash": "300.00", "wechat": "20.00"} → 现金 ¥300.00，微信支付 ¥20.00."""
    parts = []
    for method, amount in _by_method(value):
        try:
            shown = format_money(amount)
        except (TypeError, ValueError):
            shown = str(amount)
        parts.append(f"{_method_label(method)} {shown}")
    return _join(parts)


def text_by_method_display(value: dict) -> str:
    """{"cash": "short by a coin"} → 现金：short by a coin."""
    return pgettext("list separator", "; ").join(
        gettext("%(method)s: %(text)s") % {"method": _method_label(method), "text": text}
        for method, text in _by_method(value)
    )


def money_display(value) -> str:
    try:
        return format_money(value)
    except (TypeError, ValueError):
        return str(value)


def _formatter(field: models.Field):
    if isinstance(field, models.DecimalField):
        return money_display  # every decimal of the fees app is an amount of money
    if isinstance(field, models.JSONField):
        if field.name in DENOMINATION_FIELDS:
            return cash_count_display
        if field.name in AMOUNT_BY_METHOD_FIELDS:
            return amounts_by_method_display
        if field.name in TEXT_BY_METHOD_FIELDS:
            return text_by_method_display
    return None


def register() -> None:
    """Called once the models are loaded (FeesConfig.ready)."""
    for model in apps.get_app_config("fees").get_models():
        for field in model._meta.concrete_fields:
            formatter = _formatter(field)
            if formatter is not None:
                register_display(model, field.name, formatter)
