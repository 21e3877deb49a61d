"""The daily register: everyone employed that day recorded at once, and corrections of a
past day as amendments with their reason. A signed month is amended by the manager only."""

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from attendance.enums import Presence
from attendance.models import Amendment, AttendanceRecord, MonthSignoff
from attendance.selectors.register import employed_on
from attendance.validators import minutes_between, validate_entry
from config.permissions import require
from config.states import save_change
from config.validators import RuleError
from config.workdays import is_working_day

REGISTER = "attendance.register_attendance"
AMEND_SIGNED = "attendance.amend_signed_month"


@dataclass(frozen=True)
class Entry:
    """What the desk says of one person's day."""

    staff_id: int
    presence: str
    leave_kind: str = ""
    time_in: time | None = None
    time_out: time | None = None
    note: str = ""


@dataclass(frozen=True)
class Registered:
    day: date
    created: int
    changed: int


def figures(
    *, presence: str, time_in, time_out, start: time, end: time, working_day: bool
) -> tuple[int, int, int]:
    """Minutes late, left early and of overtime: on a working day counted against the
    shift (overtime: the time worked before its start and after its end); on a rest day
    every minute worked is overtime."""
    if presence != Presence.PRESENT:
        return 0, 0, 0
    if not working_day:
        return 0, 0, minutes_between(time_in, time_out)
    late = max(0, minutes_between(start, time_in))
    early = max(0, minutes_between(time_out, end))
    overtime = max(0, minutes_between(time_in, start)) + max(0, minutes_between(end, time_out))
    return late, early, overtime


def _apply(record: AttendanceRecord, entry: Entry, working_day: bool) -> None:
    record.presence = entry.presence
    record.leave_kind = entry.leave_kind if entry.presence == Presence.LEAVE else ""
    present = entry.presence == Presence.PRESENT
    record.time_in = entry.time_in if present else None
    record.time_out = entry.time_out if present else None
    record.note = (entry.note or "").strip()[:200]
    record.working_day = working_day
    record.late_minutes, record.early_minutes, record.overtime_minutes = figures(
        presence=entry.presence,
        time_in=record.time_in,
        time_out=record.time_out,
        start=record.planned_start,
        end=record.planned_end,
        working_day=working_day,
    )


def _same(record: AttendanceRecord, entry: Entry) -> bool:
    present = entry.presence == Presence.PRESENT
    return (
        record.presence == entry.presence
        and record.leave_kind == (entry.leave_kind if entry.presence == Presence.LEAVE else "")
        and record.time_in == (entry.time_in if present else None)
        and record.time_out == (entry.time_out if present else None)
        and record.note == (entry.note or "").strip()[:200]
    )


def check_open(*, by, day: date, reason: str) -> MonthSignoff | None:
    """Refuse a change of a signed month to whoever may not amend one, and without a reason;
    the month's signature (None: open)."""
    signoff = MonthSignoff.objects.filter(year=day.year, month=day.month).first()
    if signoff is not None:
        if not by.has_perm(AMEND_SIGNED):
            raise ValidationError(
                _(
                    "The manager has signed %(month)s: only the manager can amend its "
                    "attendance now."
                )
                % {"month": f"{day:%Y-%m}"}
            )
        if not reason.strip():
            raise RuleError(
                _("The month is signed: say why it is amended."),
                field="reason",
            )
    return signoff


@transaction.atomic
def register_take(
    *, by, day: date, entries: list[Entry], reason: str = "", today: date | None = None
) -> Registered:
    """Record the day of everyone employed on ``day`` at once. Entries of people already
    recorded replace their record: on the day itself freely, after it (or in a signed
    month) as amendments with ``reason``. Unchanged entries write nothing."""
    require(by, REGISTER)
    today = today or timezone.localdate()
    if day > today:
        raise RuleError(_("A day to come cannot be registered yet."), field="day")
    reason = (reason or "").strip()[:200]
    check_open(by=by, day=day, reason=reason)
    staff = {person.pk: person for person in employed_on(day)}
    given = {entry.staff_id for entry in entries}
    if len(given) != len(entries):
        raise RuleError(_("A person is given twice."))
    strangers = given - set(staff)
    if strangers:
        raise RuleError(_("Only the staff employed on the day are registered."))
    for entry in entries:
        try:
            validate_entry(
                presence=entry.presence,
                leave_kind=entry.leave_kind,
                time_in=entry.time_in,
                time_out=entry.time_out,
            )
        except ValidationError as exc:
            raise RuleError(
                _("%(name)s: %(problem)s")
                % {"name": staff[entry.staff_id].name, "problem": " ".join(exc.messages)}
            ) from None
    existing = {
        record.staff_id: record
        for record in AttendanceRecord.objects.select_for_update().filter(day=day)
    }
    working = is_working_day(day)
    now = timezone.now()
    changes = [
        entry
        for entry in entries
        if entry.staff_id in existing and not _same(existing[entry.staff_id], entry)
    ]
    if changes and day < today and not reason:
        raise RuleError(_("The day is past: say why its attendance is amended."), field="reason")
    created = 0
    for entry in entries:
        if entry.staff_id in existing:
            continue
        shift = staff[entry.staff_id].shift
        record = AttendanceRecord(
            staff=staff[entry.staff_id],
            day=day,
            planned_start=shift.starts_at,
            planned_end=shift.ends_at,
            recorded_by=by,
            recorded_at=now,
        )
        _apply(record, entry, working)
        save_change(record, gettext_noop("registered"))
        created += 1
    for entry in changes:
        record = existing[entry.staff_id]
        before = record.described
        _apply(record, entry, working)
        if day < today or reason:
            Amendment.objects.create(
                record=record,
                reason=reason,
                before=before,
                after=record.described,
                amended_by=by,
                amended_at=now,
            )
            save_change(record, gettext_noop("amended"), reason)
        else:
            save_change(record, gettext_noop("registered again"))
    return Registered(day=day, created=created, changed=len(changes))


def planned_entries(day: date) -> list[Entry]:
    """Everyone as planned: present for their shift's times on a working day, resting on
    a rest day (the register's defaults; one submit records a normal day)."""
    working = is_working_day(day)
    return [
        Entry(person.pk, Presence.PRESENT, "", person.shift.starts_at, person.shift.ends_at)
        if working
        else Entry(person.pk, Presence.REST)
        for person in employed_on(day)
    ]
