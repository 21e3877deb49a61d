"""The work diary: the list (by person, shift and dates), an entry with its history,
writing one's entry and changing it."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from attendance.filters.diary import DiaryFilter
from attendance.forms.diary import DiaryChangeForm, DiaryForm
from attendance.selectors.diary import diary_listed, staff_of
from attendance.services import diary as service
from attendance.tables.diary import DiaryTable
from config.actions import form_page
from config.history import history_entries
from config.lists import FilteredList

VIEW = "attendance.view_workdiary"


class DiaryList(FilteredList):
    permission_required = VIEW
    filterset_class = DiaryFilter
    table_class = DiaryTable
    title = gettext_lazy("Work diary")
    create_url_name = "attendance:diary_create"
    create_permission = service.ADD

    def get_queryset(self):
        return diary_listed()


@permission_required(VIEW, raise_exception=True)
@require_GET
def diary_detail(request, pk):
    entry = get_object_or_404(diary_listed(), pk=pk)
    return render(
        request,
        "attendance/diary/detail.html",
        {
            "entry": entry,
            "can_change": request.user.has_perm(service.CHANGE)
            and entry.staff.user_id == request.user.pk,
            "history": history_entries(entry),
        },
    )


@never_cache
@permission_required(service.ADD, raise_exception=True)
def diary_create(request):
    staff = staff_of(request.user)
    initial = {"date": timezone.localdate(), "shift": staff.shift if staff else None}
    form = DiaryForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: service.diary_write(by=request.user, **form.cleaned_data),
        success=_("Diary entry written."),
        done=lambda entry: entry.get_absolute_url(),
        title=_("Write the work diary"),
        cancel_url=reverse("attendance:diary_list"),
    )


@never_cache
@permission_required(service.CHANGE, raise_exception=True)
def diary_update(request, pk):
    entry = get_object_or_404(diary_listed(), pk=pk)
    if entry.staff.user_id != request.user.pk:
        raise PermissionDenied
    initial = {name: getattr(entry, name) for name in service.TEXT_FIELDS}
    form = DiaryChangeForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: service.diary_change(entry=entry, by=request.user, **form.cleaned_data),
        success=_("Diary entry changed."),
        done=lambda changed: changed.get_absolute_url(),
        title=_("Diary of %(entry)s") % {"entry": entry},
        cancel_url=entry.get_absolute_url(),
    )


urls = [
    path("diary/", DiaryList.as_view(), name="diary_list"),
    path("diary/new/", diary_create, name="diary_create"),
    path("diary/<int:pk>/", diary_detail, name="diary_detail"),
    path("diary/<int:pk>/change/", diary_update, name="diary_update"),
]
