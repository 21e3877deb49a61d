"""The table of inventory checks, one row per month."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archives.models import InventoryRun, RunState
from config.people import PersonColumn


class RunTable(tables.Table):
    month = tables.Column(
        verbose_name=_("month"), linkify=True, order_by=("year", "month"), empty_values=()
    )
    count_all = tables.Column(verbose_name=_("lines"), attrs={"td": {"class": "num"}})
    count_present = tables.Column(verbose_name=_("present"), attrs={"td": {"class": "num"}})
    count_missing = tables.Column(verbose_name=_("missing"), attrs={"td": {"class": "num"}})
    count_damaged = tables.Column(verbose_name=_("damaged"), attrs={"td": {"class": "num"}})
    count_unmarked = tables.Column(verbose_name=_("not marked"), attrs={"td": {"class": "num"}})
    problem_count = tables.Column(verbose_name=_("scan problems"), attrs={"td": {"class": "num"}})
    started_by = PersonColumn(accessor="started_by", verbose_name=_("started by"))

    class Meta:
        model = InventoryRun
        fields = ["month", "state", "started_by", "completed_at"]
        sequence = [
            "month",
            "state",
            "count_all",
            "count_present",
            "count_missing",
            "count_damaged",
            "count_unmarked",
            "problem_count",
            "started_by",
            "completed_at",
        ]
        order_by = ("-month",)
        empty_text = _("No inventory check yet.")

    def render_month(self, record):
        return str(record)

    def render_state(self, record):
        css = "success" if record.state == RunState.COMPLETED else "warning"
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', css, record.get_state_display()
        )

    def _alarm(self, value):
        if value:
            return format_html('<span class="badge text-bg-danger">{}</span>', value)
        return "0"

    def render_count_missing(self, value):
        return self._alarm(value)

    def render_count_damaged(self, value):
        return self._alarm(value)

    def render_problem_count(self, value):
        return self._alarm(value)
