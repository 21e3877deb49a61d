"""Retention and destruction: what is past its retention period and drawing a destruction
list of it, the lists, a list's page (its two approvals, its rejection, its destruction
recorded before a witness) and its print, the destruction register (销毁清册) and its
print, and the holds (placed on a document or a centre record, lifted, kept)."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from archives.filters.retention import DestructionListFilter, HoldFilter
from archives.forms.retention import DestroyForm, DrawForm, HoldForm, LiftForm, RejectForm
from archives.models import CentreRecord, DestructionList, Document, Hold, ListState
from archives.selectors.retention import (
    documents_due,
    holds_listed,
    list_items,
    lists_listed,
    records_due,
    register_items,
)
from archives.services import retention as service
from archives.services.retention import (
    APPROVE,
    DRAW,
    LIFT_HOLD,
    PLACE_HOLD,
    RECORD,
    REVIEW,
    VIEW_HOLD,
    VIEW_LIST,
)
from archives.tables.retention import (
    DestructionListTable,
    DueDocumentTable,
    DueRecordTable,
    HoldTable,
    RegisterTable,
)
from archives.views.actions import form_page, submit
from config.actions import action, checked
from config.history import history_entries
from config.lists import PAGINATION, FilteredList, LatePagePaginator
from config.pdf import pdf_response, render_pdf

LINES_PER_PAGE = 100


# --- what is due, and drawing a list -----------------------------------------------------


@permission_required(VIEW_LIST, raise_exception=True)
@require_safe
def retention_due(request):
    today = timezone.localdate()
    paginate = PAGINATION
    documents = DueDocumentTable(documents_due(today), prefix="d-")
    records = DueRecordTable(records_due(today), prefix="r-")
    RequestConfig(request, paginate=paginate).configure(documents)
    RequestConfig(request, paginate=paginate).configure(records)
    context = {
        "documents": documents,
        "records": records,
        "draw_form": DrawForm() if request.user.has_perm(DRAW) else None,
        "today": today,
    }
    return render(request, "archives/retention/due.html", context)


@action(DRAW, back="archives:retention_due")
def destruction_draw(request):
    data = checked(DrawForm(request.POST))
    drawn = service.destruction_draw(by=request.user, review_due=data["review_due"])
    return _("Destruction list %(number)s is drawn up.") % {"number": drawn.number}, drawn


# --- the lists ----------------------------------------------------------------------------


class DestructionLists(FilteredList):
    permission_required = VIEW_LIST
    filterset_class = DestructionListFilter
    table_class = DestructionListTable
    title = gettext_lazy("Destruction lists")

    def get_queryset(self):
        return lists_listed()


def _list(pk) -> DestructionList:
    return get_object_or_404(
        DestructionList.objects.select_related(
            "drawn_by",
            "manager_approved_by",
            "reviewer_approved_by",
            "rejected_by",
            "destroyed_by",
        ),
        pk=pk,
    )


def _list_page(request, made, *, reject_form=None, destroy_form=None, status=200):
    user = request.user
    undecided = made.state in (ListState.DRAWN, ListState.HALF_APPROVED)
    page = LatePagePaginator(list_items(made), LINES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "made": made,
        "state": made.status,
        "page": page,
        "can_approve": undecided and user.has_perm(APPROVE) and made.manager_approved_by is None,
        "can_review": undecided and user.has_perm(REVIEW) and made.reviewer_approved_by is None,
        "can_reject": undecided and (user.has_perm(APPROVE) or user.has_perm(REVIEW)),
        "can_record": made.state == ListState.APPROVED and user.has_perm(RECORD),
        "reject_form": reject_form or RejectForm(),
        "destroy_form": destroy_form or DestroyForm(initial={"destroyed_on": timezone.localdate()}),
        "history": history_entries(made),
    }
    return render(request, "archives/retention/detail.html", context, status=status)


@permission_required(VIEW_LIST, raise_exception=True)
@require_safe
def destruction_detail(request, pk):
    return _list_page(request, _list(pk))


@action(APPROVE, back="archives:destruction_detail")
def destruction_approve(request, pk):
    made = service.destruction_approve(by=request.user, destruction_list=_list(pk))
    return _("You approved destruction list %(number)s as the manager.") % {"number": made.number}


@action(REVIEW, back="archives:destruction_detail")
def destruction_review(request, pk):
    made = service.destruction_review(by=request.user, destruction_list=_list(pk))
    return _("You approved destruction list %(number)s as the second reviewer.") % {
        "number": made.number
    }


@require_POST
def destruction_reject(request, pk):
    user = request.user
    if not (user.has_perm(APPROVE) or user.has_perm(REVIEW)):
        raise PermissionDenied
    made = _list(pk)
    form = RejectForm(request.POST)
    if form.is_valid() and (
        done := submit(
            request,
            form,
            lambda: service.destruction_reject(
                by=user, destruction_list=made, reason=form.cleaned_data["reason"]
            ),
            success=lambda m: _("Destruction list %(number)s is rejected.") % {"number": m.number},
            done=lambda m: m,
            back=made.get_absolute_url(),
        )
    ):
        return done
    return _list_page(request, made, reject_form=form, status=400)


@require_POST
@permission_required(RECORD, raise_exception=True)
def destruction_record(request, pk):
    made = _list(pk)
    form = DestroyForm(request.POST)
    if form.is_valid() and (
        done := submit(
            request,
            form,
            lambda: service.destruction_record(
                by=request.user, destruction_list=made, **form.cleaned_data
            ),
            success=lambda m: (
                _("The destruction of list %(number)s is recorded in the register.")
                % {"number": m.number}
            ),
            done=lambda m: m,
            back=made.get_absolute_url(),
        )
    ):
        return done
    return _list_page(request, made, destroy_form=form, status=400)


@permission_required(VIEW_LIST, raise_exception=True)
@require_safe
def destruction_pdf(request, pk):
    """The list printed: for the approvers' signatures, and once destroyed, with its record."""
    made = _list(pk)
    with translation.override("zh-hans"):
        pdf = render_pdf(
            "archives/pdf/destruction_list.html",
            {
                "title": f"档案销毁清单 {made.number}",
                "made": made,
                "state": made.status,
                "items": list(list_items(made)),
                "signature_roles": ["主任", "财务复核", "监销人"],
            },
            request=request,
        )
    return pdf_response(pdf, f"销毁清单-{made.number}.pdf")


# --- the register (销毁清册) ---------------------------------------------------------------


@permission_required(VIEW_LIST, raise_exception=True)
@require_safe
def destruction_register(request):
    table = RegisterTable(register_items())
    RequestConfig(request, paginate=PAGINATION).configure(table)
    return render(request, "archives/retention/register.html", {"table": table})


@permission_required(VIEW_LIST, raise_exception=True)
@require_safe
def destruction_register_pdf(request):
    lists = (
        DestructionList.objects.filter(state=ListState.DESTROYED)
        .select_related("manager_approved_by", "reviewer_approved_by", "destroyed_by", "drawn_by")
        .prefetch_related("items")
        .order_by("destroyed_on", "number")
    )
    with translation.override("zh-hans"):
        pdf = render_pdf(
            "archives/pdf/destruction_register.html",
            {"title": "档案销毁清册", "lists": lists},
            request=request,
        )
    return pdf_response(pdf, "档案销毁清册.pdf")


# --- holds --------------------------------------------------------------------------------


class HoldList(FilteredList):
    permission_required = VIEW_HOLD
    filterset_class = HoldFilter
    table_class = HoldTable
    title = gettext_lazy("Holds")

    def get_queryset(self):
        return holds_listed()


def _hold_form_page(request, *, held, title, cancel_url, call):
    return form_page(
        request,
        HoldForm(request.POST or None),
        call,
        success=lambda hold: _("The hold is placed: %(hold)s.") % {"hold": hold},
        done=lambda hold: reverse("archives:hold_list"),
        back=request.path,
        title=title,
        cancel_url=cancel_url,
        template="archives/retention/hold_form.html",
        held=held,
    )


@permission_required(PLACE_HOLD, raise_exception=True)
def hold_place_document(request, pk):
    document = get_object_or_404(Document.objects.select_related("file", "type"), pk=pk)
    return _hold_form_page(
        request,
        held=f"{document.file.number} · {document.title}",
        title=_("Hold a document"),
        cancel_url=document.file.get_absolute_url(),
        call=lambda data: service.hold_place(by=request.user, document=document, **data),
    )


@permission_required(PLACE_HOLD, raise_exception=True)
def hold_place_record(request, pk):
    record = get_object_or_404(CentreRecord, pk=pk)
    return _hold_form_page(
        request,
        held=f"{record.number} · {record.title}",
        title=_("Hold a centre record"),
        cancel_url=record.get_absolute_url(),
        call=lambda data: service.hold_place(by=request.user, record=record, **data),
    )


@permission_required(LIFT_HOLD, raise_exception=True)
def hold_lift(request, pk):
    hold = get_object_or_404(Hold.objects.select_related("document__file", "record"), pk=pk)
    if hold.lifted_at is not None:
        return redirect("archives:hold_list")
    held = (
        f"{hold.document.file.number} · {hold.document.title}"
        if hold.document_id
        else f"{hold.record.number} · {hold.record.title}"
    )
    return form_page(
        request,
        LiftForm(request.POST or None),
        lambda data: service.hold_lift(by=request.user, hold=hold, note=data["lift_note"]),
        success=lambda h: _("The hold is lifted; its record is kept."),
        done=lambda h: reverse("archives:hold_list"),
        back=request.path,
        title=_("Lift a hold"),
        cancel_url=reverse("archives:hold_list"),
        template="archives/retention/hold_form.html",
        held=held,
        hold=hold,
    )


urls = [
    path("retention/due/", retention_due, name="retention_due"),
    path("destruction/", DestructionLists.as_view(), name="destruction_list"),
    path("destruction/draw/", destruction_draw, name="destruction_draw"),
    path("destruction/register/", destruction_register, name="destruction_register"),
    path("destruction/register.pdf", destruction_register_pdf, name="destruction_register_pdf"),
    path("destruction/<int:pk>/", destruction_detail, name="destruction_detail"),
    path("destruction/<int:pk>/approve/", destruction_approve, name="destruction_approve"),
    path("destruction/<int:pk>/review/", destruction_review, name="destruction_review"),
    path("destruction/<int:pk>/reject/", destruction_reject, name="destruction_reject"),
    path("destruction/<int:pk>/destroyed/", destruction_record, name="destruction_record"),
    path("destruction/<int:pk>/list.pdf", destruction_pdf, name="destruction_pdf"),
    path("holds/", HoldList.as_view(), name="hold_list"),
    path("holds/document/<int:pk>/", hold_place_document, name="hold_place_document"),
    path("holds/record/<int:pk>/", hold_place_record, name="hold_place_record"),
    path("holds/<int:pk>/lift/", hold_lift, name="hold_lift"),
]
