"""The manager's lists of staff and of shifts: one query per page."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from attendance.models import Shift, Staff
from config.dates import DateColumn


class StaffTable(tables.Table):
    name = tables.Column(
        linkify=lambda record: reverse("attendance:staff_update", args=[record.pk])
    )
    position = tables.Column()
    shift = tables.Column(order_by=("shift__starts_at", "shift__name"))
    joined_on = DateColumn()
    left_on = DateColumn()
    buttons = tables.TemplateColumn(
        template_name="attendance/staff/_buttons.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Staff
        fields = ["name", "position", "shift", "joined_on", "left_on"]
        order_by = "name"
        empty_text = _("No member of staff yet.")


class ShiftTable(tables.Table):
    name = tables.Column(
        linkify=lambda record: reverse("attendance:shift_update", args=[record.pk])
    )
    starts_at = tables.TimeColumn(format="H:i")
    ends_at = tables.TimeColumn(format="H:i")
    active = tables.BooleanColumn()

    class Meta:
        model = Shift
        fields = ["name", "starts_at", "ends_at", "active"]
        order_by = "starts_at"
        empty_text = _("No shift yet.")

    def render_active(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("active"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("inactive"))
