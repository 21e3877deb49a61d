"""The centre's staff, their attendance, the work diary, the shift handover and the
manager's tasks. One module per concern, every model re-exported here."""

from attendance.models.staff import Shift, Staff

__all__ = ["Shift", "Staff"]

# The work diary, the shift handover and the manager's tasks (issue #13).
from attendance.models.diary import WorkDiary  # noqa: E402
from attendance.models.handovers import (  # noqa: E402
    HandoverItem,
    HandoverState,
    ItemAnswer,
    ItemKind,
    ShiftHandover,
)
from attendance.models.tasks import Task, TaskStatus  # noqa: E402

__all__ += [
    "HandoverItem",
    "HandoverState",
    "ItemAnswer",
    "ItemKind",
    "ShiftHandover",
    "Task",
    "TaskStatus",
    "WorkDiary",
]
