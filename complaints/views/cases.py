"""Cases: the list, a department's queue, logging one, its page with the timeline and the
actions the reader may take, each action, and the work order (派工单) as PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from archives.models import Unit
from archives.selectors import current_occupancy
from complaints.enums import OPEN, Channel
from complaints.filters.cases import SHOW, CaseFilter
from complaints.forms.callbacks import CallbackForm
from complaints.forms.cases import AssignForm, CaseForm, NoteForm, ReassignForm, ResolveForm
from complaints.models import Case
from complaints.selectors.cases import (
    CALLBACK,
    MANAGE,
    RECEIVE,
    WORK,
    allowed_actions,
    departments_cases,
    may_see,
    timeline,
    unit_recent_cases,
    visible_cases,
)
from complaints.services import callbacks as callback_service
from complaints.services import cases as service
from complaints.tables.cases import CaseTable
from config.actions import action, checked
from config.history import history_entries
from config.lists import PAGINATION, FilteredList, KeysFirstPaginator
from config.pdf import pdf_response, render_pdf
from config.privacy import mobile_for
from config.validators import RuleError

VIEW = "complaints.view_case"


class CaseList(FilteredList):
    permission_required = VIEW
    filterset_class = CaseFilter
    table_class = CaseTable
    template_name = "complaints/cases/list.html"
    title = gettext_lazy("Cases")
    create_url_name = "complaints:case_create"
    create_permission = RECEIVE
    # A word of the search may be in thousands of cases.
    table_pagination = {**PAGINATION, "paginator_class": KeysFirstPaginator}

    def get_queryset(self):
        return visible_cases(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        path = self.request.path
        context["tabs"] = [("", _("All"), path)] + [
            (value, label, f"{path}?show={value}") for value, label in SHOW
        ]
        context["shown"] = self.request.GET.get("show", "")
        if self.request.user.has_perm(CALLBACK):
            context["callbacks_url"] = reverse("complaints:callback_list")
        return context


class DepartmentQueue(CaseList):
    """The cases of the reader's departments that they still hold (派工单 to work)."""

    permission_required = WORK
    title = gettext_lazy("My department's cases")
    create_url_name = ""

    def get_queryset(self):
        return departments_cases(self.request.user).filter(status__in=OPEN)


def _case(request, pk) -> Case:
    case = get_object_or_404(
        Case.objects.select_related(
            "unit",
            "tenant",
            "department",
            "category__parent",
            "received_by",
            "resolved_by",
            "closed_by",
        ),
        pk=pk,
    )
    if not may_see(request.user, case):
        raise PermissionDenied
    return case


def _unit_of(code: str):
    code = (code or "").strip().upper()
    return Unit.objects.filter(code=code).first() if code else None


@never_cache
@permission_required(RECEIVE, raise_exception=True)
def case_create(request):
    """The desk's short form (walk-in, phone): the unit is found by its code (``?unit=``)
    and its recent cases are shown; a repeat is flagged before it is saved."""
    found = _unit_of(request.GET.get("unit", ""))
    initial = {"unit": found.code, "channel": Channel.PHONE} if found else {}
    form = CaseForm(request.POST or None, initial=initial, now=timezone.now())
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                case = service.case_receive(by=request.user, **form.service_data())
        except RuleError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.field_message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Case %(number)s logged, due %(due)s.")
                % {
                    "number": case.number,
                    "due": timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect(case)
    unit = _unit_of(request.POST.get("unit", "")) if request.method == "POST" else found
    context = {
        "form": form,
        "unit": unit,
        "occupant": current_occupancy(unit) if unit else None,
        "recent": unit_recent_cases(unit) if unit else [],
        "looked_for": request.GET.get("unit", "").strip(),
    }
    return render(request, "complaints/cases/form.html", context)


@never_cache
@permission_required(VIEW, raise_exception=True)
@require_safe
def case_detail(request, pk):
    case = _case(request, pk)
    actions = allowed_actions(case, request.user)
    context = {
        "case": case,
        "phone": mobile_for(request.user, case.visitor_phone) if case.visitor_phone else "",
        "actions": actions,
        "timeline": timeline(case),
        "callbacks": case.callbacks.select_related("by"),
        "assign_form": AssignForm(),
        "reassign_form": ReassignForm(),
        "note_form": NoteForm(),
        "resolve_form": ResolveForm(),
        "callback_form": CallbackForm(initial={"called_on": timezone.localdate()}),
        "overdue": case.is_overdue(),
        "history": history_entries(case),
    }
    return render(request, "complaints/cases/detail.html", context)


def _back(pk) -> str:
    return reverse("complaints:case_detail", args=[pk])


def _note(request) -> str:
    return checked(NoteForm(request.POST))["note"]


@action(RECEIVE, back=_back)
def case_assign(request, pk):
    data = checked(AssignForm(request.POST))
    service.case_assign(by=request.user, case=_case(request, pk), **data)
    return _("The case is assigned to %(department)s.") % {"department": data["department"]}


@action(MANAGE, back=_back)
def case_reassign(request, pk):
    data = checked(ReassignForm(request.POST))
    service.case_reassign(by=request.user, case=_case(request, pk), **data)
    return _("The case is reassigned to %(department)s.") % {"department": data["department"]}


@action(WORK, back=_back)
def case_start(request, pk):
    service.case_start(by=request.user, case=_case(request, pk), note=_note(request))
    return _("Work on the case has started.")


@action(WORK, back=_back)
def case_wait(request, pk):
    service.case_wait(by=request.user, case=_case(request, pk), note=_note(request))
    return _("The case waits on the tenant: its clock is paused.")


@action(WORK, back=_back)
def case_resume(request, pk):
    service.case_resume(by=request.user, case=_case(request, pk), note=_note(request))
    return _("Work on the case goes on.")


@action(WORK, back=_back)
def case_update(request, pk):
    service.case_update(by=request.user, case=_case(request, pk), note=_note(request))
    return _("The update is recorded.")


@action(WORK, back=_back)
def case_resolve(request, pk):
    data = checked(ResolveForm(request.POST))
    service.case_resolve(by=request.user, case=_case(request, pk), **data)
    return _("The case is resolved: the desk calls back.")


@action(MANAGE, back=_back)
def case_close(request, pk):
    service.case_close(by=request.user, case=_case(request, pk), note=_note(request))
    return _("The case is closed.")


@action(CALLBACK, back=_back)
def case_callback(request, pk):
    data = checked(CallbackForm(request.POST))
    callback = callback_service.callback_record(by=request.user, case=_case(request, pk), **data)
    if not callback.satisfied:
        return _("The callback is recorded: the case is reopened to its department.")
    return _("The callback is recorded.")


@never_cache
@permission_required(VIEW, raise_exception=True)
@require_safe
def case_work_order(request, pk):
    """The work order (派工单) the department takes to the job."""
    case = _case(request, pk)
    if case.department_id is None:
        messages.error(request, _("A case has a work order once it is assigned."))
        return redirect(case)
    context = {
        "case": case,
        "phone": mobile_for(request.user, case.visitor_phone) if case.visitor_phone else "",
        "timeline": timeline(case),
        "title": "派工单",
    }
    pdf = render_pdf("complaints/pdf/work_order.html", context, request=request)
    return pdf_response(pdf, f"work-order-{case.number}.pdf")


urls = [
    path("cases/", CaseList.as_view(), name="case_list"),
    path("cases/mine/", DepartmentQueue.as_view(), name="case_queue"),
    path("cases/new/", case_create, name="case_create"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/assign/", case_assign, name="case_assign"),
    path("cases/<int:pk>/reassign/", case_reassign, name="case_reassign"),
    path("cases/<int:pk>/start/", case_start, name="case_start"),
    path("cases/<int:pk>/wait/", case_wait, name="case_wait"),
    path("cases/<int:pk>/resume/", case_resume, name="case_resume"),
    path("cases/<int:pk>/update/", case_update, name="case_update"),
    path("cases/<int:pk>/resolve/", case_resolve, name="case_resolve"),
    path("cases/<int:pk>/close/", case_close, name="case_close"),
    path("cases/<int:pk>/callback/", case_callback, name="case_callback"),
    path("cases/<int:pk>/work-order.pdf", case_work_order, name="case_work_order"),
]
