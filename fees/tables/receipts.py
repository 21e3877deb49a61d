"""The receipt register's table."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.dates import DateColumn
from config.people import PersonColumn
from fees.enums import ReceiptStatus
from fees.models import DiscountApproval, Receipt


class ReceiptTable(tables.Table):
    number = tables.Column(linkify=True)
    issued_at = DateColumn(format="Y-m-d H:i")
    payer_name = tables.Column()
    unit = tables.Column(accessor="unit__code", verbose_name=_("unit"), order_by="unit__code")
    total = tables.Column(attrs={"td": {"class": "money"}, "th": {"class": "money"}})
    cashier = PersonColumn(accessor="cashier", verbose_name=_("cashier"))

    class Meta:
        model = Receipt
        fields = [
            "number",
            "issued_at",
            "payer_name",
            "unit",
            "method",
            "total",
            "cashier",
            "status",
        ]
        order_by = "-issued_at"
        empty_text = _("No receipt matches.")
        row_attrs = {
            "class": lambda record: (
                "table-secondary text-decoration-line-through" if record.is_void else ""
            )
        }

    def render_status(self, value, record):
        css = ReceiptStatus(record.status).badge
        label = value
        if record.reverses_id:
            label = _("Reversal")
            css = "danger"
        return format_html('<span class="badge text-bg-{}">{}</span>', css, label)

    def render_total(self, value):
        return f"{value:,.2f}"


class DiscountApprovalTable(tables.Table):
    """Every try of the manager's on-the-spot approval, approved or refused."""

    asked_at = DateColumn(format="Y-m-d H:i:s")
    asked_by = PersonColumn(accessor="asked_by", verbose_name=_("asked by"))
    approver = PersonColumn(accessor="approver", verbose_name=_("approver"))
    receipt = tables.Column(
        accessor="receipt__number",
        verbose_name=_("receipt"),
        linkify=lambda record: record.receipt.get_absolute_url() if record.receipt_id else None,
    )

    class Meta:
        model = DiscountApproval
        fields = [
            "asked_at",
            "asked_by",
            "terminal",
            "approver_username",
            "approver",
            "outcome",
            "receipt",
        ]
        order_by = "-asked_at"
        empty_text = _("No approval was asked for.")
        # A refused try stands out.
        row_attrs = {"class": lambda record: "" if record.granted else "table-warning"}
