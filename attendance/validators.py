"""Rules of a day's entry that the register's form (beside each field) and the service
(under the lock) both apply."""

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from attendance.enums import Presence


def minutes_between(start: time, end: time) -> int:
    """Minutes from ``start`` to ``end`` of one day (negative when ``end`` is earlier)."""
    day = date(2000, 1, 1)
    return int((datetime.combine(day, end) - datetime.combine(day, start)).total_seconds() // 60)


def validate_entry(
    *, presence: str, leave_kind: str, time_in: time | None, time_out: time | None
) -> None:
    """Raise a ValidationError keyed by field for an entry that cannot be recorded."""
    errors = {}
    if presence == Presence.LEAVE and not leave_kind:
        errors["leave_kind"] = _("Say which kind of leave.")
    if presence != Presence.LEAVE and leave_kind:
        errors["leave_kind"] = _("A kind of leave only goes with a day of leave.")
    if presence == Presence.PRESENT:
        if time_in is None:
            errors["time_in"] = _("A person present needs the time they came in.")
        if time_out is None:
            errors["time_out"] = _("A person present needs the time they left.")
        if time_in and time_out and time_out <= time_in:
            errors["time_out"] = _("The time out must be after the time in.")
    elif time_in is not None or time_out is not None:
        errors["time_in"] = _("Times are only recorded for a person present.")
    if errors:
        raise ValidationError(errors)
