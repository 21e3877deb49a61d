"""Forms of the charges pages: billing a charge and recording a dunning note."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import Tenant, Unit
from archives.selectors.register import TENANTS
from config.fields import BoundedDateField, MoneyField
from config.forms import BootstrapMixin, by_typed_code
from config.search import LookupInput, starts_with
from fees.enums import DunningChannel
from fees.models import FeeType
from fees.services.charges import CANCEL_REASON_MAX

# The usual term the desk gives a tenant to pay a bill; the assistant can change it.
DEFAULT_TERM_DAYS = 30
# A bill is due within two years; a promise to pay, within one.
DUE_DAYS_AHEAD = 731
PROMISE_DAYS_AHEAD = 366
MAX_LISTED = 5


class ChargeForm(BootstrapMixin, forms.Form):
    # A text field with the tenants' names suggested as the desk types (the register's
    # suggestions, config.search), checked here to find exactly one tenant.
    tenant = forms.CharField(
        label=_("tenant"),
        max_length=120,
        help_text=_("Name, mobile or credit code; it must match exactly one tenant."),
        widget=LookupInput,
    )
    unit = forms.CharField(
        label=_("unit"),
        max_length=20,
        required=False,
        help_text=_("Optional: the code of a unit the tenant occupies or occupied."),
    )
    fee_type = forms.ModelChoiceField(label=_("fee"), queryset=FeeType.objects.none())
    description = forms.CharField(label=_("description"), max_length=200)
    amount = MoneyField(label=_("amount"))
    billed_on = BoundedDateField(label=_("billed on"))
    due_on = BoundedDateField(label=_("due on"), days_ahead=DUE_DAYS_AHEAD)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].widget.suggest_url = reverse("archives:tenant_suggestions")
        self.fields["fee_type"].queryset = FeeType.objects.filter(active=True)
        today = timezone.localdate()
        self.fields["billed_on"].initial = today
        self.fields["due_on"].initial = today + timedelta(days=DEFAULT_TERM_DAYS)

    def clean_tenant(self) -> Tenant:
        text = self.cleaned_data["tenant"].strip()
        # A suggestion chosen ("name #key"), the whole name, else the start of the name, the
        # mobile or the credit code: each on its index (config.search).
        chosen = TENANTS.chosen(text)
        if chosen is not None:
            return chosen
        exact = list(Tenant.objects.filter(name=text).order_by("pk")[: MAX_LISTED + 1])
        found = exact or list(
            Tenant.objects.filter(
                starts_with("name", text) | Q(phone=text) | Q(credit_code=text.upper())
            ).order_by("name", "pk")[: MAX_LISTED + 1]
        )
        if not found:
            raise forms.ValidationError(_("No tenant matches “%(text)s”.") % {"text": text})
        if len(found) > 1:
            # With the mobile, so that two tenants of the same name can be told apart.
            names = "、".join(f"{t.name} ({t.phone})" for t in found[:MAX_LISTED])
            if len(found) > MAX_LISTED:
                names += "…"
            raise forms.ValidationError(
                _("Several tenants match (%(names)s): type more of the name, or the mobile.")
                % {"names": names}
            )
        return found[0]

    def clean_unit(self) -> Unit | None:
        return by_typed_code(
            Unit.objects, self.cleaned_data["unit"], _("No unit has the code %(code)s.")
        )


class DunningNoteForm(BootstrapMixin, forms.Form):
    noted_on = BoundedDateField(label=_("date"))
    channel = forms.ChoiceField(label=_("channel"), choices=DunningChannel.choices)
    contact = forms.CharField(label=_("contact"), max_length=60)
    result = forms.CharField(label=_("result"), max_length=200)
    promised_on = BoundedDateField(
        label=_("promised payment date"), days_ahead=PROMISE_DAYS_AHEAD, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["noted_on"].initial = timezone.localdate()


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=CANCEL_REASON_MAX)
