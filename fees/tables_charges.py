"""The charge list's table and filter bar (the queryset carries settled/outstanding)."""

import django_filters as df
import django_tables2 as tables
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archives.filters import YES_NO, StyledFilterSet
from config.money import format_money
from fees.models import ZERO, Charge

# "Open" alone is already the verb of the "open a record" links: these carry a context.
OPEN = pgettext_lazy("charge status", "Open")
SETTLED = pgettext_lazy("charge status", "Settled")
CANCELLED = pgettext_lazy("charge status", "Cancelled")
STATUS_CHOICES = (("open", OPEN), ("settled", SETTLED), ("cancelled", CANCELLED))


class ChargeFilter(StyledFilterSet):
    tenant = df.CharFilter(label=_("tenant"), field_name="tenant__name", lookup_expr="icontains")
    unit = df.CharFilter(label=_("unit code"), field_name="unit__code", lookup_expr="icontains")
    status = df.ChoiceFilter(label=_("status"), choices=STATUS_CHOICES, method="filter_status")
    overdue = df.ChoiceFilter(label=_("overdue"), choices=YES_NO, method="filter_overdue")

    class Meta:
        model = Charge
        fields = ["tenant", "unit", "status", "overdue"]

    def filter_status(self, queryset, name, value):
        if value == "cancelled":
            return queryset.filter(cancelled=True)
        if value == "open":
            return queryset.filter(cancelled=False, outstanding__gt=ZERO)
        return queryset.filter(cancelled=False, outstanding__lte=ZERO)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(cancelled=False, outstanding__gt=ZERO, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)


class MoneyColumn(tables.Column):
    attrs = {"td": {"class": "money text-end"}, "th": {"class": "text-end"}}

    def render(self, value):
        return format_money(value)


def charge_status(record) -> tuple[str, str]:
    """(label, Bootstrap colour) of a charge with its balance annotated."""
    if record.cancelled:
        return CANCELLED, "secondary"
    if record.outstanding <= ZERO:
        return SETTLED, "success"
    if record.settled > ZERO:
        return pgettext_lazy("charge status", "Part paid"), "warning"
    return OPEN, "primary"


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
        label, colour = charge_status(record)
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)
