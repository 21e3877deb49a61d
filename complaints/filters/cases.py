"""Filters of the case list: which cases (open, unassigned, due soon, overdue), kind,
status, department, priority, text."""

import re

import django_filters as df
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.models import UNIT_CODE_RE
from complaints.enums import OPEN, CaseKind, CaseStatus, Priority
from complaints.models import Case, Department
from complaints.selectors.cases import due_soon_threshold
from complaints.selectors.search import cases_matching
from config.filters import StyledFilterSet

YES = [("yes", _("Yes"))]
SHOW = [
    ("open", _("Open")),
    ("unassigned", _("Unassigned")),
    ("due_soon", _("Due soon")),
    ("overdue", _("Overdue")),
]
# A case's number as printed (2026-00042), or its digits alone.
NUMBER_RE = re.compile(r"^(?:\d{4}-)?0*(\d{1,9})$")


def open_rows(queryset):
    return queryset.filter(status__in=OPEN)


def overdue_rows(queryset, now=None):
    now = now or timezone.now()
    return open_rows(queryset).filter(paused_at__isnull=True, due_at__lt=now)


def due_soon_rows(queryset, now=None):
    now = now or timezone.now()
    return open_rows(queryset).filter(
        paused_at__isnull=True, due_at__gte=now, due_at__lt=due_soon_threshold(now)
    )


SHOWN = {
    "open": open_rows,
    "unassigned": lambda queryset: queryset.filter(status=CaseStatus.NEW),
    "due_soon": due_soon_rows,
    "overdue": overdue_rows,
}


class CaseFilter(StyledFilterSet):
    show = df.ChoiceFilter(label=_("show"), choices=SHOW, method="filter_show")
    q = df.CharFilter(
        label=_("search"),
        method="filter_text",
        help_text=_(
            "A case number, words of the description or of the visitor's name, or the "
            "start of the tenant's name or of the unit's code."
        ),
    )
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
        fields = ["show", "q", "kind", "status", "department", "priority", "overdue", "unassigned"]

    def filter_show(self, queryset, name, value):
        return SHOWN[value](queryset)

    def filter_text(self, queryset, name, value):
        """A case number or a whole unit code is looked up by its key; other text through
        the indexes of complaints.selectors.search."""
        value = value.strip()
        if not value:
            return queryset
        number = NUMBER_RE.match(value)
        if number:
            return queryset.filter(pk=int(number.group(1)))
        if UNIT_CODE_RE.match(value.upper()):
            return queryset.filter(unit__code=value.upper())
        return queryset.filter(cases_matching(value))

    def filter_overdue(self, queryset, name, value):
        return overdue_rows(queryset)

    def filter_unassigned(self, queryset, name, value):
        return SHOWN["unassigned"](queryset)
