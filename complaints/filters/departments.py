"""Filter of the manager's list of departments: active or not, name."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from complaints.models import Department
from config.filters import StyledFilterSet


class DepartmentFilter(StyledFilterSet):
    name = df.CharFilter(label=_("name"), lookup_expr="icontains")
    active = df.BooleanFilter(label=_("active"))

    class Meta:
        model = Department
        fields = ["name", "active"]
