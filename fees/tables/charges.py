"""The charges' table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.money import ZERO, MoneyColumn
from fees.enums import ChargeStatus
from fees.models import Charge


class ChargeTable(tables.Table):
    tenant = tables.Column(orderable=False)
    unit = tables.Column(orderable=False)
    fee_type = tables.Column(orderable=False)
    description = tables.Column(linkify=True, orderable=False)
    amount = MoneyColumn()
    settled = MoneyColumn(verbose_name=_("settled"), orderable=False)
    outstanding = MoneyColumn(verbose_name=_("outstanding"))
    billed_on = tables.Column()
    due_on = tables.Column()
    days_overdue = tables.Column(
        verbose_name=_("days overdue"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )
    status = tables.Column(verbose_name=_("status"), empty_values=(), orderable=False)

    class Meta:
        model = Charge
        fields = [
            "tenant",
            "unit",
            "fee_type",
            "description",
            "amount",
            "settled",
            "outstanding",
            "billed_on",
            "due_on",
            "days_overdue",
            "status",
        ]
        order_by = "due_on"
        empty_text = _("No charge matches.")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_tenant(self, record):
        url = reverse("fees:tenant_statement", args=[record.tenant_id])
        return format_html('<a href="{}">{}</a>', url, record.tenant.name)

    def render_days_overdue(self, record):
        if record.cancelled or record.outstanding <= ZERO or record.due_on >= self.today:
            return "—"
        days = (self.today - record.due_on).days
        return format_html('<span class="text-danger fw-semibold">{}</span>', days)

    def render_status(self, record):
        return ChargeStatus.of(record).badge_html()
