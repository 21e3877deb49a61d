"""The shop handovers' table."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.people import PersonColumn
from deposits.enums import MoveOutStatus
from deposits.models import MoveOut


class MoveOutTable(tables.Table):
    unit = tables.Column(
        verbose_name=_("unit"), accessor="occupancy__unit__code", linkify=lambda record: record
    )
    tenant = tables.Column(verbose_name=_("tenant"), accessor="occupancy__tenant__name")
    lease_ends_on = tables.Column(
        verbose_name=_("lease ends on"), accessor="occupancy__lease_ends_on"
    )
    planned_on = tables.Column()
    status = tables.Column()
    started_by = PersonColumn(accessor="started_by", verbose_name=_("started by"))
    completed_by = PersonColumn(accessor="completed_by", verbose_name=_("completed by"))

    class Meta:
        model = MoveOut
        fields = [
            "unit",
            "tenant",
            "lease_ends_on",
            "planned_on",
            "status",
            "started_by",
            "completed_by",
        ]
        order_by = "-planned_on"
        empty_text = _("No shop handover matches.")

    def render_status(self, value, record):
        return MoveOutStatus(record.status).badge_html()
