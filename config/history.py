"""The audit trail, read from django-simple-history's tables: on detail pages (newest first,
one object) and as the rows of a period's changes (the audit pack's history.xlsx, any models
an app lists)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from config.excel import Column, Sheet
from config.people import person_name
from config.privacy import MASKS

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def set_reason(obj, reason: str, detail: str = "") -> None:
    """Say why the next save happens. `reason` is an English message id marked with
    gettext_noop, stored untranslated so that each reader sees it in their own language;
    `detail` (a number, a comment) is kept as typed."""
    obj._change_reason = reason + (f": {detail}" if detail else "")


def translated_reason(reason: str) -> str:
    """Reasons are stored as English message ids (gettext_noop in the services), so each
    reader sees them in their own language; a free-text tail after ": " stays as typed."""
    head, sep, tail = reason.partition(": ")
    return gettext(head) + sep + tail


# How a field's stored value reads in the history, for values that are not self-explaining
# (money, amounts by payment method). The apps register theirs (fees.history); keyed by
# (model, field name).
Formatter = Callable[[object], str]
_FORMATTERS: dict[tuple[type, str], Formatter] = {}


def register_display(model: type[models.Model], field_name: str, formatter: Formatter) -> None:
    _FORMATTERS[(model, field_name)] = formatter


def register_personal(model: type[models.Model], field_name: str, kind: str) -> None:
    """No history shows personal data whole, to any reader (pages, the admin, the audit
    pack): a field of ``kind`` (config.privacy.ID_NUMBER or MOBILE) reads masked."""
    register_display(model, field_name, MASKS[kind])


def is_masked(model: type[models.Model], field_name: str) -> bool:
    return _FORMATTERS.get((model, field_name)) in MASKS.values()


def display_value(model: type[models.Model], field_name: str, value) -> str:
    """A stored value as a reader of the history should see it, in their language."""
    model_field = model._meta.get_field(field_name)
    if value in (None, "") or value == {} or value == []:
        return "—"
    formatter = _FORMATTERS.get((model, field_name))
    if formatter is not None:
        return formatter(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(model_field, models.DateTimeField):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, dict):
        return pgettext("list separator", ", ").join(f"{key}: {val}" for key, val in value.items())
    return str(value)


def _related_label(obj) -> str:
    return person_name(obj) if isinstance(obj, get_user_model()) else str(obj)


def _related_labels(model, pairs) -> dict:
    """The names of the objects behind changed foreign keys (people by their names), one
    query per related model."""
    wanted: dict[type, set] = {}
    for name, value in pairs:
        related = model._meta.get_field(name).related_model
        wanted.setdefault(related, set()).add(value)
    labels = {}
    for related, pks in wanted.items():
        for obj in related._default_manager.filter(pk__in=pks - {None}):
            labels[(related, obj.pk)] = _related_label(obj)
    return labels


def history_entries(obj: models.Model, limit: int = 50) -> list[HistoryEntry]:
    """Newest first: who did what, when, and each changed field's old and new value."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    model = type(obj)
    entries = []
    fk_values = []
    diffs = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        delta = record.diff_against(previous) if previous is not None else None
        changes = delta.changes if delta else []
        diffs.append((record, changes))
        for change in changes:
            if isinstance(model._meta.get_field(change.field), models.ForeignKey):
                fk_values += [(change.field, change.old), (change.field, change.new)]
    labels = _related_labels(model, fk_values)
    for record, changes in diffs:
        rows = []
        for change in changes:
            model_field = model._meta.get_field(change.field)
            if isinstance(model_field, models.ForeignKey):
                related = model_field.related_model
                old = labels.get((related, change.old), "—")
                new = labels.get((related, change.new), "—")
            else:
                old = display_value(model, change.field, change.old)
                new = display_value(model, change.field, change.new)
            rows.append((str(model_field.verbose_name), old, new))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                reason=translated_reason(record.history_change_reason or ""),
                changes=rows,
            )
        )
    return entries


# --- a period's changes, as sheets --------------------------------------------------------

HISTORY_COLUMNS = [
    Column("时间", "datetime"),
    Column("操作人", width=12),
    Column("操作", width=8),
    Column("记录号", "int", total=False),
    Column("对象", width=20),
    Column("原因", width=24),
    Column("变更内容", width=80),
]
CHANGE_KINDS = {"+": "新建", "~": "修改", "-": "删除"}
# Longer cells are cut: Excel holds at most 32,767 characters in one.
MAX_CELL = 32000

# How an app may describe a model's changes itself: (label, old, new) of each change that a
# historical record made against the object's record before it (None: the creation).
ChangeReader = Callable[[models.Model, models.Model | None], list[tuple[str, str, str]]]
# (model, sheet title, the history table's lookup that names the object, e.g. "number"),
# and optionally the model's ChangeReader (else: the changed fields, none for a creation).
HistorySource = tuple


def history_sheets(sources: Iterable[HistorySource], start: datetime, end: datetime) -> list[Sheet]:
    """One sheet per model: every change made from ``start`` up to ``end`` (exclusive)."""
    users = {user.pk: person_name(user) for user in get_user_model().objects.all()}
    return [
        Sheet(
            title,
            HISTORY_COLUMNS,
            history_rows(model, label, start, end, users, reader[0] if reader else None),
        )
        for model, title, label, *reader in sources
    ]


def history_rows(
    model,
    label: str,
    start: datetime,
    end: datetime,
    users: dict[int, str],
    reader: ChangeReader | None = None,
):
    """One row per historical record made in the period, with the fields it changed
    against the object's previous record (which may be older than the period).

    Consecutive periods' packs thus hold every change exactly once."""
    historical = model.history.model
    changed = historical.objects.filter(history_date__gte=start, history_date__lt=end)
    records = (
        historical.objects.filter(id__in=changed.values("id"), history_date__lt=end)
        .annotate(object_label=F(label))
        .order_by("id", "history_date", "history_id")
    )
    previous = None
    for record in records.iterator(chunk_size=2000):
        before = previous if previous is not None and previous.id == record.id else None
        previous = record
        if record.history_date < start:
            continue
        if reader is not None:
            changes = reader(record, before)
        else:
            changes = _field_changes(model, record, before, users) if before is not None else []
        yield [
            record.history_date,
            users.get(record.history_user_id, ""),
            CHANGE_KINDS.get(record.history_type, record.history_type),
            record.id,
            str(record.object_label),
            translated_reason(record.history_change_reason or ""),
            "；".join(f"{name}：{old} → {new}" for name, old, new in changes)[:MAX_CELL],
        ]


def _field_changes(model, record, before, users: dict[int, str]) -> list[tuple[str, str, str]]:
    return [
        (
            _field_label(model, change.field),
            _cell_value(model, change.field, change.old, users),
            _cell_value(model, change.field, change.new, users),
        )
        for change in record.diff_against(before).changes
    ]


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _cell_value(model, name: str, value, users: dict[int, str]) -> str:
    model_field = model._meta.get_field(name)
    if isinstance(model_field, models.ForeignKey) and value not in (None, ""):
        if model_field.related_model is get_user_model():
            return users.get(value, str(value))
        return f"#{value}"
    # As on the pages: money as ¥, counts and figures by method readably, choices by label.
    return display_value(model, name, value)
