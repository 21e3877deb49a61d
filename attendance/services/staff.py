"""The staff of the centre and their shifts, kept by the manager: added, changed, and a
member of staff marked as left (never deleted: the register names them)."""

from datetime import date, time

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from attendance.models import Shift, Staff
from config.permissions import require
from config.states import locked, save_change
from config.validators import RuleError

ADD_STAFF = "attendance.add_staff"
CHANGE_STAFF = "attendance.change_staff"
ADD_SHIFT = "attendance.add_shift"
CHANGE_SHIFT = "attendance.change_shift"


@transaction.atomic
def shift_save(
    *, by, shift: Shift | None = None, name: str, starts_at: time, ends_at: time, active=True
) -> Shift:
    """Add a shift (``shift`` None) or change one; it starts before it ends, in one day."""
    require(by, CHANGE_SHIFT if shift else ADD_SHIFT)
    name = (name or "").strip()
    if not name:
        raise RuleError(_("Name the shift."), field="name")
    if ends_at <= starts_at:
        raise RuleError(_("A shift ends after it starts, on the same day."), field="ends_at")
    if Shift.objects.exclude(pk=shift.pk if shift else None).filter(name=name).exists():
        raise RuleError(_("Another shift has this name."), field="name")
    if shift is None:
        shift, reason = Shift(), gettext_noop("added")
    else:
        shift, reason = locked(shift), gettext_noop("changed")
    shift.name, shift.starts_at, shift.ends_at, shift.active = name, starts_at, ends_at, active
    return save_change(shift, reason)


@transaction.atomic
def staff_save(
    *,
    by,
    staff: Staff | None = None,
    name: str,
    shift: Shift,
    joined_on: date,
    position: str = "",
    user=None,
) -> Staff:
    """Add a member of staff (``staff`` None) or change one; a login belongs to one person."""
    require(by, CHANGE_STAFF if staff else ADD_STAFF)
    name = (name or "").strip()
    if not name:
        raise RuleError(_("Name the member of staff."), field="name")
    if staff is None and not shift.active:
        raise RuleError(_("This shift is no longer worked."), field="shift")
    if user is not None:
        others = Staff.objects.exclude(pk=staff.pk if staff else None)
        if others.filter(user=user).exists():
            raise RuleError(_("This login is another member of staff's."), field="user")
    if staff is None:
        staff, reason = Staff(), gettext_noop("added")
    else:
        staff, reason = locked(staff), gettext_noop("changed")
        if staff.left_on is not None and joined_on > staff.left_on:
            raise RuleError(_("They cannot join after they left."), field="joined_on")
    staff.name, staff.shift, staff.joined_on = name, shift, joined_on
    staff.position, staff.user = (position or "").strip(), user
    return save_change(staff, reason)


@transaction.atomic
def staff_leave(*, by, staff: Staff, left_on: date) -> Staff:
    """Mark a member of staff as left on ``left_on`` (their last day): the register lists
    them no more after it; their records stay."""
    require(by, CHANGE_STAFF)
    staff = locked(staff)
    if staff.left_on is not None:
        raise RuleError(_("%(name)s has already left.") % {"name": staff.name})
    if left_on < staff.joined_on:
        raise RuleError(_("They cannot leave before they joined."), field="left_on")
    later = staff.attendance.filter(day__gt=left_on).exclude(presence="rest")
    if later.exists():
        raise RuleError(
            _("%(name)s has attendance recorded after that day.") % {"name": staff.name},
            field="left_on",
        )
    staff.left_on = left_on
    return save_change(staff, gettext_noop("left"))
