"""Filter of the manager's list of case categories: active or not, name."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from config.filters import StyledFilterSet


class CategoryFilter(StyledFilterSet):
    name = df.CharFilter(label=_("name"), method="filter_name")
    active = df.BooleanFilter(label=_("active"))

    class Meta:
        model = Category
        fields = ["name", "active"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(parent__name__icontains=value))
