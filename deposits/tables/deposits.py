"""The deposits' table: each row with what it holds now (deposit_balances)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.dates import DateColumn
from config.money import MoneyColumn
from deposits.enums import DepositStatus
from deposits.models import Deposit


class DepositTable(tables.Table):
    id = tables.Column(verbose_name="#", linkify=True)
    kind = tables.Column()
    receipt = tables.Column(
        verbose_name=_("receipt"),
        accessor="receipt_line__receipt__number",
        orderable=False,
        attrs={"td": {"class": "text-nowrap"}},
    )
    payer_name = tables.Column(verbose_name=_("paid by"), orderable=False)
    unit = tables.Column(orderable=False)
    application = tables.Column(verbose_name=_("decoration"), orderable=False)
    taken_at = DateColumn(format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})
    amount = MoneyColumn(verbose_name=_("taken"))
    deducted = MoneyColumn(verbose_name=_("deducted"), orderable=False)
    refunded = MoneyColumn(verbose_name=_("refunded"), orderable=False)
    balance = MoneyColumn(verbose_name=_("balance"))
    status = tables.Column()

    class Meta:
        model = Deposit
        fields = [
            "id",
            "kind",
            "receipt",
            "payer_name",
            "unit",
            "application",
            "taken_at",
            "amount",
            "deducted",
            "refunded",
            "balance",
            "status",
        ]
        order_by = ("-taken_at", "-id")
        empty_text = _("No deposit matches.")

    def render_receipt(self, record):
        receipt = record.receipt_line.receipt
        return format_html('<a href="{}">{}</a>', receipt.get_absolute_url(), receipt.number)

    def render_application(self, record):
        return record.application.number

    def render_status(self, record):
        return DepositStatus(record.status).badge_html()
