"""Filter of the tasks: by status, whom they were given to and their due dates."""

import django_filters as df
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from attendance.models import Task, TaskStatus
from attendance.selectors.tasks import VIEW
from config.filters import StyledFilterSet, date_range
from config.people import PersonFilter


def _assignees(request):
    """The people tasks were given to (the manager's choice; anybody else sees their own)."""
    people = get_user_model().objects.filter(attendance_tasks__isnull=False)
    if request is None or not request.user.has_perm(VIEW):
        people = people.filter(pk=getattr(getattr(request, "user", None), "pk", None))
    return people.distinct().order_by("first_name", "last_name", "username")


class TaskFilter(StyledFilterSet):
    status = df.ChoiceFilter(label=_("status"), choices=TaskStatus.choices)
    assigned_to = PersonFilter(label=_("assigned to"), queryset=_assignees)
    due_from, due_to = date_range("due_on")

    class Meta:
        model = Task
        fields = ["status", "assigned_to", "due_from", "due_to"]
