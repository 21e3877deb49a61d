"""Filter of the desk's callbacks list: the department, and whether to show the callbacks
not due yet as well (by default the list is what is due today, and what is late)."""

import django_filters as df
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Case, Department
from config.filters import StyledFilterSet

YES = [("yes", _("Yes"))]


class CallbackFilter(StyledFilterSet):
    department = df.ModelChoiceFilter(
        label=_("department"), queryset=Department.objects.order_by("name")
    )
    later = df.ChoiceFilter(label=_("not due yet too"), choices=YES, method="keep")

    class Meta:
        model = Case
        fields = ["department", "later"]

    def keep(self, queryset, name, value):
        return queryset  # read by qs below

    @property
    def qs(self):
        rows = super().qs
        later = self.form.is_valid() and self.form.cleaned_data.get("later") == "yes"
        if not later:
            rows = rows.filter(callback_due_on__lte=timezone.localdate())
        return rows
