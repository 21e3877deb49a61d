"""The attendance area's address: it opens on the daily register for those who read
attendance, and on the task list for everyone else (every user reads the tasks given to
them)."""

from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from attendance.views.register import VIEW


@require_safe
def index(request):
    if request.user.has_perm(VIEW):
        return redirect("attendance:register")
    return redirect("attendance:task_list")
