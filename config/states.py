"""States and their changes, one shape for every app.

An app's state enum is a ``StateChoices``: besides its values and labels it says, per value,
the states it may become (``ALLOWED``), the Bootstrap colour of its badge and the label
printed on Chinese documents. A service changes a state in one way: it re-reads the row
under ``locked()`` (so of two people acting at once, the second sees what the first did),
then calls ``transition()``, which refuses a move that ``ALLOWED`` does not list, and
finally ``save_change()``, which records why in the history; ``change()`` is the first
steps together (the permission, the lock, the move).
"""

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from config.history import set_reason
from config.permissions import require

Model = TypeVar("Model", bound=models.Model)

# Every described state enum by its class name, so that a template can name one.
REGISTRY: dict[str, type["StateChoices"]] = {}


class StateChoices(models.TextChoices):
    """A TextChoices whose values know where they may go and how they look."""

    @classmethod
    def describe(cls, table: Mapping[str, tuple[str, str, Iterable[str]]]) -> None:
        """Attach, for every value: (badge colour, printed label, the states it may become)."""
        if set(table) != set(cls.values):
            raise ValueError(f"{cls.__name__}: describe every value once")
        rows = {cls(value): row for value, row in table.items()}
        cls.BADGES = {value: badge for value, (badge, _printed, _moves) in rows.items()}
        cls.PRINTED = {value: printed for value, (_badge, printed, _moves) in rows.items()}
        cls.ALLOWED = {value: frozenset(map(cls, moves)) for value, (*_, moves) in rows.items()}
        REGISTRY[cls.__name__] = cls

    def can_become(self, target: str) -> bool:
        return target in type(self).ALLOWED[self]

    @classmethod
    def moves(cls) -> set[tuple[str, str]]:
        """Every (from, to) pair of values that can_become() allows: the state diagram."""
        return {
            (current.value, target.value)
            for current in cls
            for target in cls
            if current.can_become(target)
        }

    @property
    def badge(self) -> str:
        """The Bootstrap colour of the badge (``text-bg-<colour>``)."""
        return type(self).BADGES[self]

    @property
    def printed(self) -> str:
        """The label printed on Chinese documents (statements, audit packs, slips)."""
        return type(self).PRINTED[self]

    def badge_html(self, css: str = "", element_id: str = ""):
        classes = f"badge text-bg-{self.badge}" + (f" {css}" if css else "")
        if element_id:
            return format_html(
                '<span class="{}" id="{}">{}</span>', classes, element_id, self.label
            )
        return format_html('<span class="{}">{}</span>', classes, self.label)


def locked(instance: Model, *, queryset=None, missing: str | None = None, **lookup) -> Model:
    """The instance's row read again under select_for_update (found by its pk, or by
    ``lookup``), inside the caller's transaction. ``missing``: the message when there is no
    such row yet; without it the row must exist."""
    rows = queryset if queryset is not None else type(instance)._default_manager
    try:
        return rows.select_for_update().get(**(lookup or {"pk": instance.pk}))
    except ObjectDoesNotExist:
        if missing is None:
            raise
        raise ValidationError(missing) from None


def require_state(
    instance: models.Model, field: str, states: Iterable[str], *, refusal: str
) -> None:
    """Refuse unless the instance is in one of ``states`` (an action that leaves it there)."""
    if getattr(instance, field) not in set(states):
        raise ValidationError(refusal)


def transition(
    instance: models.Model, field: str, target: StateChoices, *, refusal: str = ""
) -> None:
    """Move ``instance.<field>`` to ``target`` if its enum allows it, else refuse with
    ``refusal`` (or a message naming both states). Nothing is saved yet: the service may
    still refuse for other reasons, and saves with ``save_change()``."""
    current = type(target)(getattr(instance, field))
    if not current.can_become(target):
        raise ValidationError(
            refusal
            or _("This record is %(current)s: it cannot become %(target)s.")
            % {"current": str(current.label).lower(), "target": str(target.label).lower()}
        )
    setattr(instance, field, target)


def change(
    instance: Model,
    target: StateChoices,
    *,
    by,
    permission: str,
    field: str = "status",
    refusal: str = "",
) -> Model:
    """The start of every state change: ``by`` must hold ``permission``; the row is read
    again under ``locked()`` and moved to ``target`` by ``transition()``. Returns the locked
    instance, for the service to finish and save with ``save_change()``."""
    require(by, permission)
    instance = locked(instance)
    transition(instance, field, target, refusal=refusal)
    return instance


def stamp(instance: models.Model, action: str, by, at=None) -> None:
    """Record who did ``action`` and when (``at``, else now), in the instance's
    ``<action>_by`` and ``<action>_at`` fields (submitted_by and submitted_at ...)."""
    setattr(instance, f"{action}_by", by)
    setattr(instance, f"{action}_at", at or timezone.now())


def save_change(instance: Model, reason: str, detail: str = "", *, when=None) -> Model:
    """Save the changed instance with the reason its history shows (see set_reason); at the
    history date ``when`` if given, so that records written together share one moment."""
    set_reason(instance, reason, detail)
    if when is not None:
        instance._history_date = when  # django-simple-history's date for its record
    instance.save()
    if when is not None:
        del instance._history_date
    return instance
