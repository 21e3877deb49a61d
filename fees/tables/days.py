"""Tables of daily closes and discrepancies."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from config.people import PersonColumn
from fees.models import DailyClose, Discrepancy


class DayTable(tables.Table):
    business_date = tables.Column(linkify=True)
    submitted_by = PersonColumn(accessor="submitted_by")
    approved_by = PersonColumn(accessor="approved_by")

    class Meta:
        model = DailyClose
        fields = [
            "business_date",
            "state",
            "submitted_by",
            "submitted_at",
            "approved_by",
            "approved_at",
        ]
        order_by = "-business_date"
        empty_text = _("No day matches.")


class DiscrepancyTable(tables.Table):
    day = tables.Column(
        accessor="handover__day__business_date",
        verbose_name=_("business date"),
        linkify=lambda record: record.handover.day.get_absolute_url(),
    )
    amount = tables.Column(attrs={"td": {"class": "money"}})
    signed_off_by = PersonColumn(accessor="signed_off_by")

    class Meta:
        model = Discrepancy
        fields = ["day", "amount", "explanation", "signed_off_by", "signed_off_at"]
        order_by = "-day"
        empty_text = _("No discrepancy.")
