import django_filters as df
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import Loan
from config.filters import StyledFilterSet
from config.people import PersonFilter

STATES = (("open", _("Out on loan")), ("overdue", _("Overdue")), ("returned", _("Returned")))


class LoanFilter(StyledFilterSet):
    state = df.ChoiceFilter(label=_("state"), choices=STATES, method="filter_state")
    item = df.CharFilter(label=_("file or record number, title"), method="filter_item")
    borrower = PersonFilter(label=_("borrower"), queryset=None, field_name="borrower")

    class Meta:
        model = Loan
        fields = ["state", "item", "borrower"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        borrowers = (
            get_user_model()
            .objects.filter(pk__in=Loan.objects.values("borrower"))
            .order_by("first_name", "last_name", "username")
        )
        self.filters["borrower"].queryset = borrowers
        self.form.fields["borrower"].queryset = borrowers

    def filter_state(self, queryset, name, value):
        if value == "returned":
            return queryset.filter(returned_on__isnull=False)
        queryset = queryset.filter(returned_on__isnull=True)
        if value == "overdue":
            return queryset.filter(due_on__lt=timezone.localdate())
        return queryset

    def filter_item(self, queryset, name, value):
        return queryset.filter(
            Q(document__file__number__icontains=value)
            | Q(document__title__icontains=value)
            | Q(record__number__icontains=value)
            | Q(record__title__icontains=value)
        )
