"""What a day of a member of staff was (出勤, 旷工, 假, 休息), the kinds of leave, and the
symbols the monthly sheet prints for them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Presence(models.TextChoices):
    # In context: the archives' inventory has its own "Present" (在库, a file on its shelf).
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    ABSENT = "absent", _("Absent")
    LEAVE = "leave", _("On leave")
    REST = "rest", _("Rest day")


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    PERSONAL = "personal", _("Personal leave")
    TRIP = "trip", _("Business trip")
    COMPENSATORY = "compensatory", _("Compensatory leave")


# The symbols of the paper sheet (考勤表), printed whatever the reader's language.
PRESENT_SYMBOL = "√"
LATE_SYMBOL = "迟"
EARLY_SYMBOL = "早"
ABSENT_SYMBOL = "旷"
REST_SYMBOL = "休"
LEAVE_SYMBOLS = {
    LeaveKind.ANNUAL: "年",
    LeaveKind.SICK: "病",
    LeaveKind.PERSONAL: "事",
    LeaveKind.TRIP: "差",
    LeaveKind.COMPENSATORY: "调",
}
