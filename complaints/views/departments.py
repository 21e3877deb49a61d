"""The manager's departments: the list, adding one, changing one, deactivating one (never
deleting: cases point to it) and making it active again."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from complaints.enums import OPEN
from complaints.filters.departments import DepartmentFilter
from complaints.forms.departments import DepartmentForm
from complaints.models import Department
from complaints.services import departments as service
from complaints.tables.departments import DepartmentTable
from config.actions import action, form_page
from config.lists import FilteredList

VIEW = "complaints.view_department"


class DepartmentList(FilteredList):
    permission_required = VIEW
    filterset_class = DepartmentFilter
    table_class = DepartmentTable
    title = gettext_lazy("Departments")
    create_url_name = "complaints:department_create"
    create_permission = service.ADD

    def get_queryset(self):
        return Department.objects.prefetch_related("members").annotate(
            open_cases=Count("cases", filter=Q(cases__status__in=OPEN))
        )


def _list() -> str:
    return reverse("complaints:department_list")


@never_cache
@permission_required(service.ADD, raise_exception=True)
def department_create(request):
    form = DepartmentForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: service.department_save(by=request.user, **form.cleaned_data),
        success=lambda department: _("Department %(name)s added.") % {"name": department},
        done=lambda department: _list(),
        title=_("Add a department"),
        cancel_url=_list(),
    )


@never_cache
@permission_required(service.CHANGE, raise_exception=True)
def department_update(request, pk):
    department = get_object_or_404(Department, pk=pk)
    initial = {
        "code": department.code,
        "name": department.name,
        "extension": department.extension,
        "members": list(department.members.all()),
    }
    form = DepartmentForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: service.department_save(
            by=request.user, department=department, **form.cleaned_data
        ),
        success=lambda changed: _("Department %(name)s changed.") % {"name": changed},
        done=lambda changed: _list(),
        title=_("Department %(name)s") % {"name": department.name},
        cancel_url=_list(),
    )


def _back(pk) -> str:
    return _list()


@action(service.CHANGE, back=_back)
def department_deactivate(request, pk):
    department = service.department_deactivate(
        by=request.user, department=get_object_or_404(Department, pk=pk)
    )
    return _("Department %(name)s is inactive: no new case goes to it.") % {"name": department}


@action(service.CHANGE, back=_back)
def department_activate(request, pk):
    department = service.department_activate(
        by=request.user, department=get_object_or_404(Department, pk=pk)
    )
    return _("Department %(name)s is active again.") % {"name": department}


urls = [
    path("departments/", DepartmentList.as_view(), name="department_list"),
    path("departments/new/", department_create, name="department_create"),
    path("departments/<int:pk>/", department_update, name="department_update"),
    path("departments/<int:pk>/deactivate/", department_deactivate, name="department_deactivate"),
    path("departments/<int:pk>/activate/", department_activate, name="department_activate"),
]
