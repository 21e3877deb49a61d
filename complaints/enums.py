"""Kinds, channels, priorities and states of cases (complaints, enquiries, repairs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.states import StateChoices


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    ENQUIRY = "enquiry", _("Enquiry")
    REPAIR = "repair", _("Repair")
    SUGGESTION = "suggestion", _("Suggestion")


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    LETTER = "letter", _("Letter")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class CaseStatus(StateChoices):
    NEW = "new", pgettext_lazy("case", "New")
    ASSIGNED = "assigned", pgettext_lazy("case", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("case", "In progress")
    WAITING = "waiting", _("Waiting on the tenant")
    RESOLVED = "resolved", pgettext_lazy("case", "Resolved")
    CLOSED = "closed", pgettext_lazy("case", "Closed")
    REOPENED = "reopened", pgettext_lazy("case", "Reopened")


# The desk logs a case and assigns it to a department; the department starts on it, may wait
# on the tenant (the clock pauses) and resolves it; the callback closes it, or reopens it to
# the department when the tenant is not satisfied. The manager may give a case a department
# holds to another one (it is then assigned again).
CaseStatus.describe(
    {
        "new": ("warning", "待派单", {"assigned"}),
        "assigned": ("info", "已派单", {"in_progress", "resolved"}),
        "in_progress": ("primary", "处理中", {"waiting", "resolved", "assigned"}),
        "waiting": ("secondary", "等待租户", {"in_progress", "resolved", "assigned"}),
        "resolved": ("success", "已处理待回访", {"closed", "reopened"}),
        "closed": ("dark", "已结案", set()),
        "reopened": ("danger", "重新处理", {"in_progress", "resolved", "assigned"}),
    }
)

# A case the centre still owes an answer: its due time counts.
OPEN = {
    CaseStatus.NEW,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.WAITING,
    CaseStatus.REOPENED,
}
# A department holds it: the manager may give it to another department.
WITH_DEPARTMENT = OPEN - {CaseStatus.NEW}


class ActionKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", pgettext_lazy("case action", "Assigned")
    REASSIGNED = "reassigned", _("Reassigned")
    STARTED = "started", _("Work started")
    WAITING = "waiting", _("Waiting on the tenant")
    RESUMED = "resumed", _("Resumed")
    UPDATED = "updated", _("Update")
    RESOLVED = "resolved", pgettext_lazy("case action", "Resolved")
    CALLBACK = "callback", _("Callback")
    REOPENED = "reopened", pgettext_lazy("case action", "Reopened")
    CLOSED = "closed", pgettext_lazy("case action", "Closed")


class CallbackMethod(models.TextChoices):
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person")


# A callback scored at most this is unsatisfied: the case goes back to its department.
UNSATISFIED_AT_MOST = 2
