"""The manager's tasks: the manager gives one to a person with a due date; that person, and
only they, marks it done with a note."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from attendance.models import Task, TaskStatus
from config.history import set_reason
from config.permissions import require
from config.states import locked, save_change, transition

ADD = "attendance.add_task"


@transaction.atomic
def task_give(*, by, assigned_to, title: str, due_on: date, details: str = "") -> Task:
    """A task for an active login, due today or later; given by the manager alone."""
    require(by, ADD)
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what the task is.")})
    if not assigned_to.is_active:
        raise ValidationError({"assigned_to": _("This login is not active.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("A task is due today or later.")})
    task = Task(
        title=title.strip(),
        details=(details or "").strip(),
        assigned_to=assigned_to,
        given_by=by,
        given_at=timezone.now(),
        due_on=due_on,
    )
    set_reason(task, gettext_noop("Task given"))
    task.save()
    return task


@transaction.atomic
def task_complete(*, task: Task, by, note: str) -> Task:
    """Marked done by the person it was given to, with a note of what was done."""
    if task.assigned_to_id != by.pk:
        raise PermissionDenied(_("Only the person the task was given to marks it done."))
    task = locked(task)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what was done.")})
    transition(task, "status", TaskStatus.DONE, refusal=_("This task is done already."))
    task.done_at = timezone.now()
    task.done_note = note.strip()
    return save_change(task, gettext_noop("Task done"))
