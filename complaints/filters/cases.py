"""Filters of the case list: kind, status, department, priority, overdue, unassigned, text."""

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.enums import OPEN, CaseKind, CaseStatus, Priority
from complaints.models import Case, Department
from config.filters import StyledFilterSet

YES = [("yes", _("Yes"))]


class CaseFilter(StyledFilterSet):
    q = df.CharFilter(label=_("search"), method="filter_text")
    kind = df.ChoiceFilter(label=_("kind"), choices=CaseKind.choices)
    status = df.ChoiceFilter(label=_("status"), choices=CaseStatus.choices)
    department = df.ModelChoiceFilter(
        label=_("department"), queryset=Department.objects.order_by("name")
    )
    priority = df.ChoiceFilter(label=_("priority"), choices=Priority.choices)
    overdue = df.ChoiceFilter(label=_("overdue"), choices=YES, method="filter_overdue")
    unassigned = df.ChoiceFilter(label=_("unassigned"), choices=YES, method="filter_unassigned")

    class Meta:
        model = Case
        fields = ["q", "kind", "status", "department", "priority", "overdue", "unassigned"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(description__icontains=value)
            | Q(unit__code__icontains=value)
            | Q(tenant__name__icontains=value)
            | Q(visitor_name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(status__in=OPEN, paused_at__isnull=True, due_at__lt=timezone.now())

    def filter_unassigned(self, queryset, name, value):
        return queryset.filter(status=CaseStatus.NEW)
