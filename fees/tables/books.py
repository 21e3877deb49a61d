"""The paper receipt books' table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.dates import DateColumn
from config.people import PersonColumn
from fees.models import ReceiptBook


def book_url(record) -> str:
    return reverse("fees:book_detail", args=[record.pk])


class BookTable(tables.Table):
    numbers = tables.Column(
        verbose_name=_("numbers"),
        accessor="first_number",
        order_by=("series", "first_number"),
        linkify=book_url,
    )
    issued_to = PersonColumn(accessor="issued_to")
    issued_on = DateColumn(format="Y-m-d")
    returned_on = DateColumn(format="Y-m-d", default="—")
    used_count = tables.Column(verbose_name=_("transcribed"), attrs={"td": {"class": "money"}})
    spoiled_count = tables.Column(verbose_name=_("spoiled"), attrs={"td": {"class": "money"}})
    unaccounted_count = tables.Column(
        verbose_name=_("unaccounted"), attrs={"td": {"class": "money"}}
    )

    class Meta:
        model = ReceiptBook
        fields = [
            "numbers",
            "issued_to",
            "issued_on",
            "returned_on",
            "used_count",
            "spoiled_count",
            "unaccounted_count",
            "notes",
        ]
        order_by = ("-issued_on",)
        empty_text = _("No receipt book matches.")

    def render_numbers(self, record):
        return str(record)

    def render_unaccounted_count(self, value):
        if value:
            return format_html('<span class="badge text-bg-warning">{}</span>', value)
        return value
