"""The tasks' table: one query, whatever the rows."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from attendance.models import Task, TaskStatus
from config.dates import DateColumn
from config.people import PersonColumn


class TaskTable(tables.Table):
    due_on = DateColumn(format="Y-m-d", verbose_name=_("due on"))
    title = tables.Column(
        verbose_name=_("task"), linkify=("attendance:task_detail", [tables.A("pk")])
    )
    assigned_to = PersonColumn(accessor="assigned_to", verbose_name=_("assigned to"))
    given_by = PersonColumn(accessor="given_by", verbose_name=_("given by"))
    status = tables.Column(verbose_name=_("status"))
    done_at = DateColumn(format="Y-m-d H:i", verbose_name=_("done at"))

    class Meta:
        model = Task
        fields = ["due_on", "title", "assigned_to", "given_by", "status", "done_at"]
        order_by = "due_on"
        empty_text = _("No task.")

    def render_due_on(self, value, record):
        text = value.isoformat()
        if record.status == TaskStatus.OPEN and value < timezone.localdate():
            return format_html('<span class="text-danger fw-semibold">{}</span>', text)
        return text

    def render_status(self, value, record):
        return TaskStatus(record.status).badge_html()
