"""The decoration applications' table."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.dates import DateColumn
from deposits.enums import ApplicationStatus
from deposits.models import DecorationApplication


class ApplicationTable(tables.Table):
    number = tables.Column(linkify=("deposits:application_detail", [tables.A("pk")]))
    unit = tables.Column(order_by=("unit__code",))
    tenant = tables.Column(order_by=("tenant__name",))
    contractor = tables.Column(order_by=("contractor__name",))
    planned_start = DateColumn(format="Y-m-d")
    planned_end = DateColumn(format="Y-m-d")
    submitted_at = DateColumn(verbose_name=_("submitted at"), format="Y-m-d H:i")
    status = tables.Column()

    class Meta:
        model = DecorationApplication
        fields = [
            "number",
            "unit",
            "tenant",
            "contractor",
            "planned_start",
            "planned_end",
            "submitted_at",
            "status",
        ]
        order_by = "-submitted_at"
        empty_text = _("No decoration application matches.")

    def render_unit(self, record):
        return record.unit.code

    def render_tenant(self, record):
        return record.tenant.name

    def render_contractor(self, record):
        return record.contractor.name

    def render_status(self, record):
        return ApplicationStatus(record.status).badge_html()
