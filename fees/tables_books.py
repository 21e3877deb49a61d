"""The list of paper receipt books and its filter."""

import django_filters as df
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet
from config.people import PersonColumn, PersonFilter, holders_of
from fees.models import ReceiptBook

YES_NO = (("yes", _("Yes")), ("no", _("No")))


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
    issued_on = tables.DateColumn(format="Y-m-d")
    returned_on = tables.DateColumn(format="Y-m-d", default="—")
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


class BookFilter(StyledFilterSet):
    number = df.NumberFilter(label=_("holds number"), method="filter_number")
    series = df.CharFilter(label=_("series"), lookup_expr="iexact")
    # Books go only to people who may issue receipts (fees.services.books).
    issued_to = PersonFilter(label=_("issued to"), queryset=holders_of("fees.issue_receipt"))
    returned = df.ChoiceFilter(label=_("returned"), choices=YES_NO, method="filter_returned")
    unaccounted = df.ChoiceFilter(
        label=_("unaccounted numbers"), choices=YES_NO, method="filter_unaccounted"
    )

    class Meta:
        model = ReceiptBook
        fields = ["number", "series", "issued_to", "returned", "unaccounted"]

    def filter_number(self, queryset, name, value):
        return queryset.filter(first_number__lte=value, last_number__gte=value)

    def filter_returned(self, queryset, name, value):
        return queryset.filter(returned_on__isnull=value != "yes")

    def filter_unaccounted(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(unaccounted_count__gt=0)
        return queryset.filter(unaccounted_count=0)
