"""The worker permits' table."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.dates import DateColumn
from config.privacy import mobile_for
from fees.enums import PermitStatus
from fees.models import Permit


class PermitTable(tables.Table):
    """Rows come from fees.selectors.permits (contractor and unit joined, current_status
    annotated), so the table costs one query a page."""

    number = tables.Column(linkify=True)
    worker_name = tables.Column()
    id_number = tables.Column(
        verbose_name=_("ID number"), accessor="id_number_masked", orderable=False
    )
    contractor = tables.Column(
        verbose_name=_("contractor"), accessor="contractor__name", order_by="contractor__name"
    )
    unit = tables.Column(verbose_name=_("unit"), accessor="unit__code", order_by="unit__code")
    valid_from = DateColumn(format="Y-m-d")
    valid_to = DateColumn(format="Y-m-d")
    current_status = tables.Column(verbose_name=_("status"), order_by="current_status")

    class Meta:
        model = Permit
        fields = [
            "number",
            "worker_name",
            "id_number",
            "phone",
            "contractor",
            "unit",
            "valid_from",
            "valid_to",
            "current_status",
        ]
        order_by = "-number"
        empty_text = _("No permit matches.")

    def render_phone(self, value):
        return mobile_for(self.request.user, value)

    def render_current_status(self, value):
        return PermitStatus(value).badge_html()
