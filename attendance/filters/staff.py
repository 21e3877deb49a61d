"""Filters of the manager's lists of staff (name, shift, still employed) and of shifts."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from attendance.models import Shift, Staff
from config.filters import StyledFilterSet


class StaffFilter(StyledFilterSet):
    name = df.CharFilter(label=_("name"), lookup_expr="icontains")
    shift = df.ModelChoiceFilter(label=_("usual shift"), queryset=Shift.objects.all())
    employed = df.BooleanFilter(
        label=_("still employed"), field_name="left_on", lookup_expr="isnull"
    )

    class Meta:
        model = Staff
        fields = ["name", "shift", "employed"]


class ShiftFilter(StyledFilterSet):
    name = df.CharFilter(label=_("name"), lookup_expr="icontains")
    active = df.BooleanFilter(label=_("active"))

    class Meta:
        model = Shift
        fields = ["name", "active"]
