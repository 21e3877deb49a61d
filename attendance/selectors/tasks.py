"""Reads of the manager's tasks: a person's open ones (their home page), the overdue ones
(the manager's), and the tasks a user may read."""

from datetime import date

from django.db.models import QuerySet

from attendance.models import Task, TaskStatus

VIEW = "attendance.view_task"


def tasks_listed() -> QuerySet[Task]:
    return Task.objects.select_related("assigned_to", "given_by")


def visible_tasks(user) -> QuerySet[Task]:
    """Every task for the manager and the auditor; one's own to anybody else."""
    if user.has_perm(VIEW):
        return tasks_listed()
    return tasks_listed().filter(assigned_to=user)


def may_see_task(user, task: Task) -> bool:
    return user.has_perm(VIEW) or task.assigned_to_id == user.pk


def open_tasks_of(user) -> QuerySet[Task]:
    return tasks_listed().filter(assigned_to=user, status=TaskStatus.OPEN).order_by("due_on", "pk")


def overdue_tasks(today: date) -> QuerySet[Task]:
    """Open tasks whose due date has passed, the longest overdue first."""
    return tasks_listed().filter(status=TaskStatus.OPEN, due_on__lt=today).order_by("due_on", "pk")
