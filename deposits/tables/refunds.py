"""The refunds' table: each request with the working days it has waited at its step."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.dates import DateColumn
from config.money import MoneyColumn
from deposits.enums import RefundStatus
from deposits.models import Refund
from deposits.selectors.refunds import days_waiting


class RefundTable(tables.Table):
    id = tables.Column(verbose_name="#", linkify=True)
    deposit = tables.Column(linkify=True, orderable=False)
    payee = tables.Column(orderable=False)
    held = MoneyColumn()
    deducted = MoneyColumn()
    amount = MoneyColumn()
    prepared_at = DateColumn(format="Y-m-d")
    status = tables.Column()
    waiting = tables.Column(
        verbose_name=_("working days waiting"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}},
    )

    class Meta:
        model = Refund
        fields = [
            "id",
            "deposit",
            "payee",
            "held",
            "deducted",
            "amount",
            "prepared_at",
            "status",
            "waiting",
        ]
        order_by = ("-prepared_at", "-id")
        empty_text = _("No refund matches.")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_status(self, record):
        return RefundStatus(record.status).badge_html()

    def render_waiting(self, record):
        days = days_waiting(record, self.today)
        if days is None:
            return "—"
        return format_html('<span class="waiting">{}</span>', days)
