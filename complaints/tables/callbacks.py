"""The callbacks list's table: resolved cases waiting for the desk's call, one query."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints.models import Case
from config.dates import DateColumn


class CallbackTable(tables.Table):
    callback_due_on = DateColumn(format="Y-m-d", verbose_name=_("callback due"))
    number = tables.Column(
        verbose_name=_("number"),
        accessor="pk",
        linkify=("complaints:case_detail", [tables.A("pk")]),
    )
    kind = tables.Column()
    raised = tables.Column(verbose_name=_("raised by"), empty_values=(), orderable=False)
    department = tables.Column(order_by=("department__name",))
    resolved_at = DateColumn(format="Y-m-d H:i")
    resolution = tables.Column(orderable=False)

    class Meta:
        model = Case
        fields = [
            "callback_due_on",
            "number",
            "kind",
            "raised",
            "department",
            "resolved_at",
            "resolution",
        ]
        order_by = "callback_due_on"
        empty_text = _("No callback is due.")

    def render_callback_due_on(self, value):
        text = value.isoformat()
        if value < timezone.localdate():
            return format_html('<span class="text-danger fw-semibold">{}</span>', text)
        return text

    def render_number(self, record):
        return record.number

    def render_raised(self, record):
        who = record.tenant.name if record.tenant_id else record.visitor_name
        return f"{record.unit.code} · {who}" if record.unit_id else who

    def render_department(self, record):
        return record.department.name

    def render_resolution(self, value):
        return value if len(value) <= 30 else value[:30] + "…"
