"""The centre's staff, their attendance, the work diary, the shift handover and the
manager's tasks. One module per concern, every model re-exported here."""

from attendance.models.register import Amendment, AttendanceRecord, MonthSignoff
from attendance.models.staff import Shift, Staff

__all__ = ["Amendment", "AttendanceRecord", "MonthSignoff", "Shift", "Staff"]
