"""The work diary's table: one query, whatever the rows."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from attendance.models import WorkDiary
from config.dates import DateColumn


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


class DiaryTable(tables.Table):
    date = DateColumn(
        format="Y-m-d",
        verbose_name=_("date"),
        linkify=("attendance:diary_detail", [tables.A("pk")]),
    )
    shift = tables.Column(verbose_name=_("shift"), order_by=("shift__starts_at", "shift__name"))
    staff = tables.Column(verbose_name=_("member of staff"), order_by=("staff__name", "staff__pk"))
    happened = tables.Column(verbose_name=_("what happened"), orderable=False)
    unusual = tables.Column(verbose_name=_("anything unusual"), orderable=False)
    changed_at = DateColumn(format="Y-m-d H:i", verbose_name=_("last changed at"))

    class Meta:
        model = WorkDiary
        fields = ["date", "shift", "staff", "happened", "unusual", "changed_at"]
        order_by = "-date"
        empty_text = _("No diary entry.")

    def render_shift(self, value):
        return value.name

    def render_happened(self, value):
        return _short(value)

    def render_unusual(self, value):
        return _short(value)
