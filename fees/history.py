"""How the fees records' history reads (pages and the audit pack): money as ¥, and a daily
close's figures by payment method, kept in rows of their own, under the close with the
method named beside each figure."""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext

from config.history import (
    CHANGE_TYPES,
    HistoryEntry,
    display_value,
    history_entries,
    register_display,
    register_personal,
    translated_reason,
)
from config.money import format_money
from config.privacy import ID_NUMBER, MOBILE
from fees.enums import PaymentMethod
from fees.models import DailyClose, DailyCloseMethod, Permit

FIGURE_FIELDS = ("expected", "counted", "explanation")


def money_display(value) -> str:
    try:
        return format_money(value)
    except (TypeError, ValueError):
        return str(value)


def _method_label(method: str) -> str:
    return str(PaymentMethod(method).label) if method in PaymentMethod.values else method


def figure_changes(record, before) -> list[tuple[str, str, str]]:
    """(label, old, new) of each figure that a historical record of a close's figures row
    changed against the row's record ``before`` it; a created row (``before`` None) shows
    the figures it was created with. Each label names the payment method."""
    method = _method_label(record.method)
    changes = []
    for name in FIGURE_FIELDS:
        old = getattr(before, name) if before is not None else None
        new = getattr(record, name)
        if old == new or (before is None and new in (None, "")):
            continue
        field = DailyCloseMethod._meta.get_field(name)
        label = gettext("%(field)s (%(method)s)") % {
            "field": field.verbose_name,
            "method": method,
        }
        changes.append(
            (
                label,
                display_value(DailyCloseMethod, name, old),
                display_value(DailyCloseMethod, name, new),
            )
        )
    return changes


def close_history(day: DailyClose, limit: int = 50) -> list[HistoryEntry]:
    """The close's history, newest first, its figures' changes included: a change of the
    figures saved with the close (the services give both one history date) joins the
    close's entry; any other is an entry of its own."""
    entries = history_entries(day, limit)
    by_date = {entry.when: entry for entry in entries}
    records = (
        DailyCloseMethod.history.filter(close_id=day.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous = {}
    for record in records:
        changes = figure_changes(record, previous.get(record.id))
        previous[record.id] = record
        if not changes:
            continue
        entry = by_date.get(record.history_date)
        if entry is None:
            entry = by_date[record.history_date] = HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                reason=translated_reason(record.history_change_reason or ""),
            )
            entries.append(entry)
        entry.changes += changes
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def register() -> None:
    """Called once the models are loaded (FeesConfig.ready)."""
    for model in apps.get_app_config("fees").get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField):
                # Every decimal of the fees app is an amount of money.
                register_display(model, field.name, money_display)
    # A worker's ID and mobile number read masked in the permit's history and the audit pack.
    register_personal(Permit, "id_number", ID_NUMBER)
    register_personal(Permit, "phone", MOBILE)
