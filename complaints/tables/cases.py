"""The case list's table: one query for its rows, whatever their number."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints.enums import CaseStatus
from complaints.models import Case
from config.dates import DateColumn


class CaseTable(tables.Table):
    number = tables.Column(
        verbose_name=_("number"),
        accessor="pk",
        linkify=("complaints:case_detail", [tables.A("pk")]),
    )
    received_at = DateColumn(format="Y-m-d H:i")
    kind = tables.Column()
    raised = tables.Column(verbose_name=_("raised by"), empty_values=(), orderable=False)
    description = tables.Column(orderable=False)
    priority = tables.Column()
    department = tables.Column(order_by=("department__name",))
    due_at = DateColumn(format="Y-m-d H:i")
    status = tables.Column()

    class Meta:
        model = Case
        fields = [
            "number",
            "received_at",
            "kind",
            "raised",
            "description",
            "priority",
            "department",
            "due_at",
            "status",
        ]
        order_by = "-received_at"
        empty_text = _("No case matches.")

    def render_number(self, record):
        return record.number

    def render_raised(self, record):
        who = record.tenant.name if record.tenant_id else record.visitor_name
        return f"{record.unit.code} · {who}" if record.unit_id else who

    def render_description(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def render_department(self, record):
        return record.department.name

    def render_due_at(self, record, value):
        text = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if record.is_overdue():
            return format_html('<span class="text-danger fw-semibold">{}</span>', text)
        return text

    def render_status(self, record):
        return CaseStatus(record.status).badge_html()
