"""Filter of the tasks: by status, and by whom they were given to (the manager's view)."""

import django_filters as df
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from attendance.models import Task, TaskStatus
from config.filters import StyledFilterSet, date_range
from config.people import PersonFilter


class TaskFilter(StyledFilterSet):
    status = df.ChoiceFilter(label=_("status"), choices=TaskStatus.choices)
    assigned_to = PersonFilter(label=_("assigned to"), queryset=None)
    due_from, due_to = date_range("due_on")

    class Meta:
        model = Task
        fields = ["status", "assigned_to", "due_from", "due_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(attendance_tasks__isnull=False)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
