"""The centre's staff, their attendance, the work diary, the shift handover and the
manager's tasks. One module per concern, every model re-exported here."""

from attendance.models.staff import Shift, Staff

__all__ = ["Shift", "Staff"]
