"""The shift handovers' table: one query, whatever the rows."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from attendance.models import HandoverState, ShiftHandover
from config.dates import DateColumn


class HandoverTable(tables.Table):
    date = DateColumn(
        format="Y-m-d",
        verbose_name=_("date"),
        linkify=("attendance:handover_detail", [tables.A("pk")]),
    )
    shift = tables.Column(verbose_name=_("shift"), order_by=("shift__starts_at", "shift__name"))
    outgoing = tables.Column(verbose_name=_("outgoing"), order_by=("outgoing__name",))
    incoming = tables.Column(verbose_name=_("incoming"), order_by=("incoming__name",))
    state = tables.Column(verbose_name=_("state"))
    submitted_at = DateColumn(format="Y-m-d H:i", verbose_name=_("handed over at"))
    acknowledged_at = DateColumn(format="Y-m-d H:i", verbose_name=_("acknowledged at"))

    class Meta:
        model = ShiftHandover
        fields = [
            "date",
            "shift",
            "outgoing",
            "incoming",
            "state",
            "submitted_at",
            "acknowledged_at",
        ]
        order_by = "-date"
        empty_text = _("No shift handover.")

    def render_shift(self, value):
        return value.name

    def render_state(self, value, record):
        return HandoverState(record.state).badge_html()
