"""Reads of the work diary."""

from django.db.models import QuerySet

from attendance.models import Staff, WorkDiary


def diary_listed() -> QuerySet[WorkDiary]:
    return WorkDiary.objects.select_related("staff", "shift", "written_by")


def staff_of(user) -> Staff | None:
    """The member of staff whose login ``user`` is, or None."""
    if not user.is_authenticated:
        return None
    return Staff.objects.select_related("shift").filter(user=user).first()
