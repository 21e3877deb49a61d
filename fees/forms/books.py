"""Forms of the paper receipt books: register a book, transcribe or spoil one number, return."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.forms import tenant_field
from config.fields import BoundedDateField, QuantityField
from config.forms import BootstrapMixin, apply_rule
from config.people import PersonChoiceField, holders_of
from fees.forms.receipts import BaseLineFormSet, PayerForm, ReceiptLineForm
from fees.services.books import MAX_PAPER_NUMBER
from fees.validators import refuse_if_month_locked

MAX_LINES = 8
# The service puts "Paper receipt 0000123, written on 2026-11-20; " before the clerk's note.
NOTE_ROOM = 140


def cashiers():
    """Active users who may issue receipts, the only people a book may be issued to."""
    return holders_of("fees.issue_receipt", active_only=True)


class BookRegisterForm(BootstrapMixin, forms.Form):
    series = forms.CharField(
        label=_("series"),
        max_length=8,
        required=False,
        help_text=_("Letters or digits printed before the number, if any."),
    )
    first_number = QuantityField(label=_("first number"), max_value=MAX_PAPER_NUMBER)
    last_number = QuantityField(label=_("last number"), max_value=MAX_PAPER_NUMBER)
    issued_to = PersonChoiceField(label=_("issued to"), queryset=None)
    issued_on = BoundedDateField(label=_("issued on"))
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_to"].queryset = cashiers()
        self.initial.setdefault("issued_on", timezone.localdate())


class TranscribeForm(PayerForm):
    """What the paper receipt says: its date, who paid, how."""

    paper_date = BoundedDateField(label=_("date on the paper receipt"))
    # The paper names its payer; the desk may pick the tenant directly instead of by unit.
    tenant = tenant_field(required=False)
    payer_name = forms.CharField(
        label=_("payer's name"),
        max_length=100,
        required=False,
        help_text=_("As written on the paper receipt; required for a named person."),
    )
    note = forms.CharField(label=_("note"), max_length=NOTE_ROOM, required=False)

    field_order = [
        "paper_date",
        "payer_kind",
        "unit_code",
        "tenant",
        "contractor",
        "payer_name",
        "method",
        "reference",
        "note",
    ]

    def __init__(self, *args, book=None, **kwargs):
        super().__init__(*args, **kwargs)
        if book is not None:
            # Nothing can be written in a book before it was handed out.
            self.fields["paper_date"].not_before = book.issued_on

    def clean(self):
        data = super().clean()
        if data.get("paper_date"):
            apply_rule(self, "paper_date", refuse_if_month_locked, data["paper_date"])
        return data


class TranscribeLineForm(ReceiptLineForm):
    """A line as the paper shows it; discounts need the manager, so they are not transcribed."""

    description = None
    discount = None
    discount_reason = None
    charge = None


TranscribeLineFormSet = forms.formset_factory(
    TranscribeLineForm,
    formset=BaseLineFormSet,
    extra=3,
    max_num=MAX_LINES,
    validate_max=True,
)


class SpoilForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("why the paper receipt is void"),
        max_length=200,
        help_text=_("E.g. written wrong and cancelled, torn, lost."),
    )


class ReturnForm(BootstrapMixin, forms.Form):
    returned_on = BoundedDateField(label=_("returned on"))

    def __init__(self, *args, book=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("returned_on", timezone.localdate())
        if book is not None:
            self.fields["returned_on"].not_before = book.issued_on
