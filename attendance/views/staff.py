"""The manager's staff and shifts: lists, adding, changing, and a member of staff marked as
left (never deleted: the register keeps naming them)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from attendance.filters.staff import ShiftFilter, StaffFilter
from attendance.forms.staff import ShiftForm, StaffForm, StaffLeaveForm
from attendance.models import Shift, Staff
from attendance.services import staff as service
from attendance.tables.staff import ShiftTable, StaffTable
from config.actions import form_page
from config.lists import FilteredList


class StaffList(FilteredList):
    permission_required = "attendance.view_staff"
    filterset_class = StaffFilter
    table_class = StaffTable
    title = gettext_lazy("Staff")
    create_url_name = "attendance:staff_create"
    create_permission = service.ADD_STAFF

    def get_queryset(self):
        return Staff.objects.select_related("shift")


class ShiftList(FilteredList):
    permission_required = "attendance.view_shift"
    filterset_class = ShiftFilter
    table_class = ShiftTable
    title = gettext_lazy("Shifts")
    create_url_name = "attendance:shift_create"
    create_permission = service.ADD_SHIFT

    def get_queryset(self):
        return Shift.objects.all()


def _staff_list() -> str:
    return reverse("attendance:staff_list")


def _shift_list() -> str:
    return reverse("attendance:shift_list")


@never_cache
@permission_required(service.ADD_STAFF, raise_exception=True)
def staff_create(request):
    form = StaffForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: service.staff_save(by=request.user, **form.cleaned_data),
        success=lambda staff: _("%(name)s added to the staff.") % {"name": staff.name},
        done=lambda staff: _staff_list(),
        title=_("Add a member of staff"),
        cancel_url=_staff_list(),
    )


@never_cache
@permission_required(service.CHANGE_STAFF, raise_exception=True)
def staff_update(request, pk):
    staff = get_object_or_404(Staff, pk=pk)
    initial = {
        "name": staff.name,
        "position": staff.position,
        "shift": staff.shift_id,
        "joined_on": staff.joined_on,
        "user": staff.user_id,
    }
    form = StaffForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: service.staff_save(by=request.user, staff=staff, **form.cleaned_data),
        success=lambda changed: _("%(name)s changed.") % {"name": changed.name},
        done=lambda changed: _staff_list(),
        title=staff.name,
        cancel_url=_staff_list(),
    )


@never_cache
@permission_required(service.CHANGE_STAFF, raise_exception=True)
def staff_leave(request, pk):
    staff = get_object_or_404(Staff, pk=pk)
    form = StaffLeaveForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: service.staff_leave(by=request.user, staff=staff, **form.cleaned_data),
        success=lambda left: _("%(name)s marked as left.") % {"name": left.name},
        done=lambda left: _staff_list(),
        title=_("%(name)s leaves the centre") % {"name": staff.name},
        cancel_url=_staff_list(),
    )


@never_cache
@permission_required(service.ADD_SHIFT, raise_exception=True)
def shift_create(request):
    form = ShiftForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: service.shift_save(by=request.user, **form.cleaned_data),
        success=lambda shift: _("Shift %(name)s added.") % {"name": shift.name},
        done=lambda shift: _shift_list(),
        title=_("Add a shift"),
        cancel_url=_shift_list(),
    )


@never_cache
@permission_required(service.CHANGE_SHIFT, raise_exception=True)
def shift_update(request, pk):
    shift = get_object_or_404(Shift, pk=pk)
    initial = {
        "name": shift.name,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "active": shift.active,
    }
    form = ShiftForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: service.shift_save(by=request.user, shift=shift, **form.cleaned_data),
        success=lambda changed: _("Shift %(name)s changed.") % {"name": changed.name},
        done=lambda changed: _shift_list(),
        title=_("Shift %(name)s") % {"name": shift.name},
        cancel_url=_shift_list(),
    )


urls = [
    path("staff/", StaffList.as_view(), name="staff_list"),
    path("staff/new/", staff_create, name="staff_create"),
    path("staff/<int:pk>/", staff_update, name="staff_update"),
    path("staff/<int:pk>/leave/", staff_leave, name="staff_leave"),
    path("shifts/", ShiftList.as_view(), name="shift_list"),
    path("shifts/new/", shift_create, name="shift_create"),
    path("shifts/<int:pk>/", shift_update, name="shift_update"),
]
