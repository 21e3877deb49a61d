"""Tasks from the manager (临时安排的其它工作): given to a person with a due date, on their
home page until they mark it done with a note."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.people import person_column
from config.states import StateChoices


class TaskStatus(StateChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


TaskStatus.describe(
    {
        "open": ("warning", "未完成", {"done"}),
        "done": ("success", "已完成", set()),
    }
)


class Task(models.Model):
    title = models.CharField(_("task"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    assigned_to = person_column(_("assigned to"), related_name="attendance_tasks")
    given_by = person_column(_("given by"))
    given_at = models.DateTimeField(_("given at"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("note on completion"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="task_named"),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(done_at__isnull=False) & ~Q(done_note="")),
                name="task_done_with_note",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="task_status_due")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("attendance:task_detail", args=[self.pk])

    @property
    def status_enum(self) -> TaskStatus:
        return TaskStatus(self.status)
