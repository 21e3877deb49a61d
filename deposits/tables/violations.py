"""The violations' table."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from config.dates import DateColumn
from config.money import format_money
from deposits.models import Violation


class ViolationTable(tables.Table):
    occurred_on = DateColumn(format="Y-m-d")
    description = tables.Column(
        linkify=("deposits:violation_detail", [tables.A("pk")]), orderable=False
    )
    application = tables.Column(order_by=("application__number",))
    tenant = tables.Column(order_by=("tenant__name",))
    unit = tables.Column(order_by=("unit__code",))
    penalty = tables.Column(
        verbose_name=_("penalty"),
        order_by=("penalty__amount",),
        attrs={"td": {"class": "money text-end"}, "th": {"class": "text-end"}},
    )
    resolved_on = tables.Column(verbose_name=_("state"), empty_values=())

    class Meta:
        model = Violation
        fields = [
            "occurred_on",
            "description",
            "application",
            "tenant",
            "unit",
            "penalty",
            "resolved_on",
        ]
        order_by = "-occurred_on"
        empty_text = _("No violation matches.")

    def render_application(self, record):
        return record.application.number

    def render_tenant(self, record):
        return record.tenant.name

    def render_unit(self, record):
        return record.unit.code

    def render_penalty(self, record):
        return format_money(record.penalty.amount)

    def render_resolved_on(self, record):
        if record.resolved_on is None:
            return format_html(
                '<span class="badge text-bg-danger">{}</span>', pgettext_lazy("violation", "Open")
            )
        return format_html(
            '<span class="badge text-bg-success">{}</span> <span class="small">{}</span>',
            pgettext_lazy("violation", "Resolved"),
            record.resolved_on.isoformat(),
        )
