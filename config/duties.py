"""Separation of duties: whoever did one step of a piece of work never does the step that
checks it (approves, decides, receives, signs off). The check compares people, never
rights: being a superuser changes nothing here.

An app says, for each checking step, who did the earlier steps (its selectors read them
from the record) and what to tell one of them; ``took_part`` answers the pages that
decide whether to offer the button, ``refuse_own_work`` the services that act.
"""

from collections.abc import Iterable

from config.validators import RuleError


def _pk(person) -> int | None:
    """A user's pk, or the pk itself (records name people by their ``*_id`` columns)."""
    return getattr(person, "pk", person)


def took_part(user, doers: Iterable) -> bool:
    """Whether ``user`` is one of ``doers`` (users or their pks; None is nobody)."""
    pk = _pk(user)
    return pk is not None and pk in {_pk(doer) for doer in doers if doer is not None}


def refuse_own_work(user, doers: Iterable, message: str, *, field: str | None = None) -> None:
    """Refuse ``user`` with ``message`` (next to ``field`` in a form) when they are one of
    ``doers``."""
    if took_part(user, doers):
        raise RuleError(message, field=field)
