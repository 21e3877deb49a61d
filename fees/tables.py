import django_filters as df
import django_tables2 as tables
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.filters import StyledFilterSet
from config.people import PersonColumn, PersonFilter, holders_of
from fees.models import DailyClose, DayState, Discrepancy, PaymentMethod, Receipt, ReceiptStatus


class ReceiptTable(tables.Table):
    number = tables.Column(linkify=True)
    issued_at = tables.DateTimeColumn(format="Y-m-d H:i")
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
        css = {"issued": "success", "void_requested": "warning", "void": "secondary"}[record.status]
        label = value
        if record.reverses_id:
            label = _("Reversal")
            css = "danger"
        return format_html('<span class="badge text-bg-{}">{}</span>', css, label)

    def render_total(self, value):
        return f"{value:,.2f}"


class ReceiptFilter(StyledFilterSet):
    number = df.CharFilter(label=_("number"), lookup_expr="icontains")
    date_from = df.DateFilter(
        label=_("from"),
        field_name="business_date",
        lookup_expr="gte",
        widget=df.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    date_to = df.DateFilter(
        label=_("to"),
        field_name="business_date",
        lookup_expr="lte",
        widget=df.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    payer = df.CharFilter(label=_("payer or unit"), method="filter_payer")
    method = df.ChoiceFilter(label=_("payment method"), choices=PaymentMethod.choices)
    status = df.ChoiceFilter(label=_("status"), choices=ReceiptStatus.choices)
    # The people who may issue receipts, not every login (a join over every receipt to
    # find who actually issued some would cost more than the page).
    cashier = PersonFilter(label=_("cashier"), queryset=holders_of("fees.issue_receipt"))

    class Meta:
        model = Receipt
        fields = ["number", "date_from", "date_to", "payer", "method", "status", "cashier"]

    def filter_payer(self, queryset, name, value):
        return queryset.filter(Q(payer_name__icontains=value) | Q(unit__code__icontains=value))


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


class DayFilter(StyledFilterSet):
    state = df.ChoiceFilter(label=_("state"), choices=DayState.choices)
    month = df.CharFilter(label=_("month (YYYY-MM)"), method="filter_month")
    submitted_by = PersonFilter(label=_("submitted by"), queryset=holders_of("fees.submit_day"))
    approved_by = PersonFilter(label=_("approved by"), queryset=holders_of("fees.approve_day"))

    class Meta:
        model = DailyClose
        fields = ["state", "month", "submitted_by", "approved_by"]

    def filter_month(self, queryset, name, value):
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            return queryset.none()
        return queryset.filter(business_date__year=year, business_date__month=month)


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


class DiscrepancyFilter(StyledFilterSet):
    signed_off = df.BooleanFilter(
        label=_("signed off"), field_name="signed_off_at", lookup_expr="isnull", exclude=True
    )
    signed_off_by = PersonFilter(
        label=_("signed off by"), queryset=holders_of("fees.sign_off_discrepancy")
    )

    class Meta:
        model = Discrepancy
        fields = ["signed_off", "signed_off_by"]
