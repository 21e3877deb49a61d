import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archives.models import Loan
from config.people import PersonColumn


class LoanTable(tables.Table):
    pk = tables.Column(verbose_name="#", linkify=True)
    item = tables.Column(verbose_name=_("item"), empty_values=(), orderable=False)
    borrower = PersonColumn(accessor="borrower", verbose_name=_("borrower"))
    due_on = tables.Column()
    returned_on = tables.Column()

    class Meta:
        model = Loan
        fields = ["pk", "item", "borrower", "lent_on", "due_on", "returned_on", "condition"]
        order_by = "-lent_on"
        empty_text = _("No loan matches.")

    def render_item(self, record):
        # The item and its file are selected with the loan (archives.selectors.loans).
        return record.item_label

    def render_due_on(self, value, record):
        if record.is_overdue_on(timezone.localdate()):
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>', value, _("overdue")
            )
        return value
