"""The manager's tasks: the list (everyone's for the manager and the auditor, one's own for
anybody else), giving one, a task's page and marking it done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from attendance.filters.tasks import TaskFilter
from attendance.forms.tasks import TaskDoneForm, TaskForm
from attendance.models import TaskStatus
from attendance.selectors.tasks import may_see_task, tasks_listed, visible_tasks
from attendance.services import tasks as service
from attendance.tables.tasks import TaskTable
from config.actions import form_messages, form_page
from config.history import history_entries


class TaskList(SingleTableMixin, FilterView):
    """Every logged-in user may open it: it lists what they may read."""

    filterset_class = TaskFilter
    table_class = TaskTable
    template_name = "list.html"
    paginate_by = None
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return visible_tasks(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_give = self.request.user.has_perm(service.ADD)
        context.update(
            title=_("Tasks"),
            create_url=reverse("attendance:task_create") if can_give else "",
        )
        return context


@never_cache
@permission_required(service.ADD, raise_exception=True)
def task_create(request):
    form = TaskForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: service.task_give(by=request.user, **form.cleaned_data),
        success=_("Task given."),
        done=lambda task: task.get_absolute_url(),
        title=_("Give a task"),
        cancel_url=reverse("attendance:task_list"),
    )


@login_required
def task_detail(request, pk):
    task = get_object_or_404(tasks_listed(), pk=pk)
    if not may_see_task(request.user, task):
        raise PermissionDenied
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    can_complete = task.assigned_to_id == request.user.pk and task.status == TaskStatus.OPEN
    return render(
        request,
        "attendance/tasks/detail.html",
        {
            "task": task,
            "done_form": TaskDoneForm() if can_complete else None,
            "history": history_entries(task),
        },
    )


@require_POST
def task_complete(request, pk):
    """Only the assignee, whatever their role (a task may be given to anybody)."""
    task = get_object_or_404(tasks_listed(), pk=pk)
    if task.assigned_to_id != request.user.pk:
        raise PermissionDenied
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        for text in form_messages(form):
            messages.error(request, text)
        return redirect(task.get_absolute_url())
    try:
        service.task_complete(task=task, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Task marked done."))
    return redirect(task.get_absolute_url())


urls = [
    path("tasks/", login_required(TaskList.as_view()), name="task_list"),
    path("tasks/new/", task_create, name="task_create"),
    path("tasks/<int:pk>/", task_detail, name="task_detail"),
    path("tasks/<int:pk>/done/", task_complete, name="task_complete"),
]
