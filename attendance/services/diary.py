"""The work diary's writes: a member of staff writes their entry of a shift and a date, and
changes it; a change after the day says why, and the history keeps every version."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from attendance.models import Shift, WorkDiary
from attendance.selectors.diary import staff_of
from config.history import set_reason
from config.permissions import require

ADD = "attendance.add_workdiary"
CHANGE = "attendance.change_workdiary"
TEXT_FIELDS = ("happened", "visitors", "calls", "unusual")


def _staff(by):
    staff = staff_of(by)
    if staff is None:
        raise ValidationError(_("Your login is not linked to a member of staff."))
    return staff


def _check_text(happened: str) -> None:
    if not (happened or "").strip():
        raise ValidationError({"happened": _("Say what happened on the shift.")})


@transaction.atomic
def diary_write(
    *,
    by,
    shift: Shift,
    date: date,
    happened: str,
    visitors: str = "",
    calls: str = "",
    unusual: str = "",
) -> WorkDiary:
    """The writer's own entry of the shift and date: one per person, shift and date, and
    never for a day to come."""
    require(by, ADD)
    staff = _staff(by)
    today = timezone.localdate()
    if date > today:
        raise ValidationError({"date": _("A diary is written on the day or after it.")})
    _check_text(happened)
    if WorkDiary.objects.filter(staff=staff, shift=shift, date=date).exists():
        raise ValidationError(
            _("%(name)s already wrote the diary of %(shift)s on %(date)s: change that entry.")
            % {"name": staff.name, "shift": shift.name, "date": date}
        )
    now = timezone.now()
    entry = WorkDiary(
        staff=staff,
        shift=shift,
        date=date,
        happened=happened.strip(),
        visitors=visitors.strip(),
        calls=calls.strip(),
        unusual=unusual.strip(),
        written_by=by,
        written_at=now,
        changed_at=now,
    )
    set_reason(entry, gettext_noop("Diary written"))
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # written at the same moment in another window
        raise ValidationError(_("This diary entry was just written: change it instead.")) from None
    return entry


@transaction.atomic
def diary_change(
    *,
    entry: WorkDiary,
    by,
    happened: str,
    visitors: str = "",
    calls: str = "",
    unusual: str = "",
    reason: str = "",
) -> WorkDiary:
    """Only the writer changes their entry; after its day, only with a reason, which the
    history keeps with the change."""
    require(by, CHANGE)
    entry = WorkDiary.objects.select_for_update().select_related("staff").get(pk=entry.pk)
    if entry.staff.user_id != by.pk:
        raise PermissionDenied(_("Only the writer changes a diary entry."))
    _check_text(happened)
    late = timezone.localdate() > entry.date
    if late and not reason.strip():
        raise ValidationError({"reason": _("Say why the entry of a past day is changed.")})
    for name, value in zip(TEXT_FIELDS, (happened, visitors, calls, unusual), strict=True):
        setattr(entry, name, value.strip())
    entry.changed_at = timezone.now()
    if late:
        set_reason(entry, gettext_noop("Changed after its day"), reason.strip())
    else:
        set_reason(entry, gettext_noop("Diary changed"))
    entry.save()
    return entry
