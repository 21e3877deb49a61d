"""Forms of loans (借阅): lending an item to a named borrower until a due date, and its
return with the item's condition."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from archives.models import MAX_LOAN_DAYS, ReturnCondition
from config.fields import BoundedDateField
from config.forms import BootstrapMixin
from config.people import PersonChoiceField


def active_people():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class LoanForm(BootstrapMixin, forms.Form):
    borrower = PersonChoiceField(label=_("borrower"), queryset=active_people())
    due_on = BoundedDateField(label=_("due on"), days_back=0, days_ahead=MAX_LOAN_DAYS)
    purpose = forms.CharField(label=_("purpose"), max_length=200, required=False)


class LoanReturnForm(BootstrapMixin, forms.Form):
    condition = forms.ChoiceField(
        label=_("condition on return"),
        choices=ReturnCondition.choices,
        widget=forms.RadioSelect,
    )
    condition_note = forms.CharField(
        label=_("note on the condition"),
        max_length=200,
        required=False,
        help_text=_("Required for a damaged item: what is damaged."),
    )


class LeavingForm(BootstrapMixin, forms.Form):
    # Someone whose login is closed already may still hold a loan.
    person = PersonChoiceField(
        label=_("person leaving"),
        queryset=get_user_model().objects.order_by("first_name", "last_name", "username"),
    )
