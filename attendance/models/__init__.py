"""The centre's staff, their attendance, the work diary, the shift handover and the
manager's tasks. One module per concern, every model re-exported here."""

from attendance.models.diary import WorkDiary
from attendance.models.handovers import (
    HandoverItem,
    HandoverState,
    ItemAnswer,
    ItemKind,
    ShiftHandover,
)
from attendance.models.register import Amendment, AttendanceRecord, MonthSignoff
from attendance.models.staff import Shift, Staff
from attendance.models.tasks import Task, TaskStatus

__all__ = [
    "Amendment",
    "AttendanceRecord",
    "HandoverItem",
    "HandoverState",
    "ItemAnswer",
    "ItemKind",
    "MonthSignoff",
    "Shift",
    "ShiftHandover",
    "Staff",
    "Task",
    "TaskStatus",
    "WorkDiary",
]
