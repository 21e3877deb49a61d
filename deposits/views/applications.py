"""Decoration applications (二次装修申请): the list, registering one with its files, its page
with the actions the user may take, its permits, inspections and files."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from archives.models import AccessKind
from archives.services import access_record
from config.actions import action
from config.history import history_entries
from config.lists import FilteredList
from config.money import format_money
from config.validators import RuleError
from deposits.enums import DEPOSIT_FEES, DepositKind
from deposits.filters.applications import ApplicationFilter
from deposits.forms.applications import (
    ApplicationForm,
    ApplicationPermitsForm,
    DepositTakeForm,
    DocumentForm,
    ExtendForm,
    InspectionForm,
    ItemFormSet,
    PermitLinkForm,
    RejectForm,
    StartForm,
)
from deposits.models import (
    ApplicationDocument,
    DecorationApplication,
    InspectionItem,
    InspectionPhoto,
)
from deposits.selectors.applications import (
    application_actions,
    approval_time,
)
from deposits.selectors.deposits import deposit_balances
from deposits.services import applications as service
from deposits.services.deposits import deposit_take
from deposits.tables.applications import ApplicationTable
from deposits.views.common import run, stored_file_response
from fees.forms.permits import WorkerFormSet
from fees.models import FeeType
from fees.services import permits as permit_service

VIEW = "deposits.view_decorationapplication"
MANAGE = service.MANAGE
APPROVE = service.APPROVE
TAKE = "deposits.take_deposit"


class ApplicationList(FilteredList):
    permission_required = VIEW
    filterset_class = ApplicationFilter
    table_class = ApplicationTable
    template_name = "deposits/applications/list.html"
    title = gettext_lazy("Decoration applications")
    create_url_name = "deposits:application_create"
    create_permission = MANAGE

    def get_queryset(self):
        return DecorationApplication.objects.select_related("unit", "tenant", "contractor")


@permission_required(MANAGE, raise_exception=True)
def application_create(request):
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def register():
            application = service.application_submit(
                by=request.user,
                data=service.ApplicationInput(
                    unit=data["unit"],
                    tenant=data["tenant"],
                    contractor=data["contractor"],
                    scope=data["scope"],
                    planned_start=data["planned_start"],
                    planned_end=data["planned_end"],
                ),
            )
            for kind, title, upload in form.uploads():
                field = "drawing" if kind == "drawing" else "document"
                try:
                    service.application_document_add(
                        by=request.user,
                        application=application,
                        kind=kind,
                        title=title,
                        upload=upload,
                    )
                except RuleError as exc:
                    exc.field = field if exc.field == "file" else exc.field
                    raise
            return application

        done = run(
            request,
            form,
            register,
            success=lambda application: (
                _("Decoration application %(number)s registered.") % {"number": application.number}
            ),
            done=lambda application: application,
            back=reverse("deposits:application_create"),
        )
        if done:
            return done
    return render(request, "deposits/applications/form.html", {"form": form})


def _application(pk) -> DecorationApplication:
    return get_object_or_404(
        DecorationApplication.objects.select_related(
            "unit", "tenant", "contractor", "submitted_by", "decided_by", "closed_by"
        ),
        pk=pk,
    )


def _deposit_fee_amount():
    code = DEPOSIT_FEES[DepositKind.DECORATION]
    return FeeType.objects.filter(code=code).values_list("default_amount", flat=True).first()


def _detail(request, pk, *, status=200, **forms):
    application = _application(pk)
    deposits = list(
        deposit_balances(
            application.deposits.select_related("receipt_line__receipt").order_by("taken_at")
        )
    )
    holds = any(not deposit.is_closed for deposit in deposits)
    actions = application_actions(application, request.user, holds_deposit=holds)
    items = InspectionItem.objects.prefetch_related("photos").order_by("position")
    context = {
        "application": application,
        "actions": actions,
        "approval": approval_time(application, timezone.localdate()),
        "extensions": application.extensions.select_related("granted_by"),
        "documents": application.documents.select_related("uploaded_by"),
        "deposits": deposits,
        "permit_links": application.permit_links.select_related("linked_by", "permit").order_by(
            "permit__number"
        ),
        "inspections": application.inspections.select_related(
            "inspector", "recorded_by"
        ).prefetch_related(Prefetch("items", queryset=items)),
        "violations": application.violations.select_related("penalty"),
        "history": history_entries(application),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "start_form": forms.get("start_form") or StartForm(),
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "deposit_form": forms.get("deposit_form")
        or DepositTakeForm(initial={"amount": _deposit_fee_amount()}),
        "link_form": forms.get("link_form") or PermitLinkForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
    }
    return render(request, "deposits/applications/detail.html", context, status=status)


@permission_required(VIEW, raise_exception=True)
@require_safe
def application_detail(request, pk):
    return _detail(request, pk)


def _on_page(request, pk, form_name: str, form, call, success):
    """A form of the application's page: done, back to the page with the message; a field
    refused, the page again with the message next to it (400, nothing written)."""
    application = _application(pk)
    page = application.get_absolute_url()
    if form.is_valid():
        done = run(
            request,
            form,
            lambda: call(application, form.cleaned_data),
            success=success,
            done=lambda _result: page,
            back=page,
        )
        if done:
            return done
    return _detail(request, pk, status=400, **{form_name: form})


@action(APPROVE, back="deposits:application_detail")
def application_approve(request, pk):
    application = service.application_approve(by=request.user, application=_application(pk))
    return _("Decoration application %(number)s approved.") % {"number": application.number}


@require_POST
@permission_required(APPROVE, raise_exception=True)
def application_reject(request, pk):
    return _on_page(
        request,
        pk,
        "reject_form",
        RejectForm(request.POST),
        lambda application, data: service.application_reject(
            by=request.user, application=application, reason=data["reason"]
        ),
        lambda application: (
            _("Decoration application %(number)s rejected.") % {"number": application.number}
        ),
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def application_start(request, pk):
    return _on_page(
        request,
        pk,
        "start_form",
        StartForm(request.POST),
        lambda application, data: service.application_start(
            by=request.user, application=application, started_on=data["started_on"]
        ),
        lambda application: (
            _("The works started on %(date)s.") % {"date": application.started_on.isoformat()}
        ),
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def application_extend(request, pk):
    return _on_page(
        request,
        pk,
        "extend_form",
        ExtendForm(request.POST),
        lambda application, data: service.application_extend(
            by=request.user, application=application, new_end=data["new_end"], reason=data["reason"]
        ),
        lambda extension: _("Extended to %(date)s.") % {"date": extension.new_end.isoformat()},
    )


@action(MANAGE, back="deposits:application_detail")
def application_close(request, pk):
    application = service.application_close(by=request.user, application=_application(pk))
    return _("Decoration application %(number)s closed.") % {"number": application.number}


def _taken(result) -> str:
    deposit, created = result
    receipt = deposit.receipt_line.receipt
    if not created:
        return _("This form was submitted already: receipt %(number)s was issued once.") % {
            "number": receipt.number
        }
    return _("Deposit of %(amount)s taken on receipt %(number)s.") % {
        "amount": format_money(deposit.amount),
        "number": receipt.number,
    }


@require_POST
@permission_required(TAKE, raise_exception=True)
def application_deposit_take(request, pk):
    return _on_page(
        request,
        pk,
        "deposit_form",
        DepositTakeForm(request.POST),
        lambda application, data: deposit_take(
            by=request.user,
            application=application,
            method=data["method"],
            reference=data["reference"],
            amount=data["amount"],
            payer_kind=data["payer_kind"],
            request_key=data["request_key"],
        ),
        _taken,
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def application_permit_link(request, pk):
    return _on_page(
        request,
        pk,
        "link_form",
        PermitLinkForm(request.POST),
        lambda application, data: service.application_permit_link(
            by=request.user, application=application, permit=data["permit"]
        ),
        lambda link: _("Permit %(number)s linked.") % {"number": link.permit.number},
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def application_document_add(request, pk):
    return _on_page(
        request,
        pk,
        "document_form",
        DocumentForm(request.POST, request.FILES),
        lambda application, data: service.application_document_add(
            by=request.user,
            application=application,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
        ),
        lambda document: _("“%(title)s” filed.") % {"title": document.title},
    )


# --- pages of their own: permits and inspections ------------------------------------------


@permission_required(MANAGE, raise_exception=True)
def application_permits(request, pk):
    """Issue the decoration's workers their permits (fees' permit form, the decoration's
    contractor and unit)."""
    application = _application(pk)
    page = application.get_absolute_url()
    form = ApplicationPermitsForm(request.POST or None, application=application)
    formset = WorkerFormSet(request.POST or None, request.FILES or None, prefix="workers")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        done = run(
            request,
            form,
            lambda: service.application_permits_issue(
                by=request.user,
                application=application,
                workers=formset.workers(),
                **form.issue_terms(),
            ),
            success=_issued,
            done=lambda issued: reverse("fees:permit_batch", args=[issued[0].pk]),
            back=page,
        )
        if done:
            return done
    return render(
        request,
        "deposits/applications/permits.html",
        {
            "application": application,
            "form": form,
            "formset": formset,
            "shown_rows": 3,
            "fees": _permit_fee_amounts(),
        },
    )


def _permit_fee_amounts() -> dict[str, object]:
    """The catalogue's amounts the permit form states per worker (as fees' own form does)."""
    codes = [permit_service.PERMIT_FEE, permit_service.CARD_FEE, permit_service.CARD_DEPOSIT]
    return dict(FeeType.objects.filter(code__in=codes).values_list("code", "default_amount"))


def _issued(issued) -> str:
    receipt, permits, created = issued
    if not created:
        return _("This form was submitted already: receipt %(number)s was issued once.") % {
            "number": receipt.number
        }
    return _("Permits %(numbers)s issued on receipt %(receipt)s.") % {
        "numbers": ", ".join(p.number for p in permits),
        "receipt": receipt.number,
    }


@permission_required(MANAGE, raise_exception=True)
def application_inspect(request, pk):
    """Record an inspection: its date, inspector, result and items, each with a photo."""
    application = _application(pk)
    page = application.get_absolute_url()
    form = InspectionForm(request.POST or None)
    items = ItemFormSet(request.POST or None, request.FILES or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [row.cleaned_data for row in items.forms if row.cleaned_data]
        data = form.cleaned_data
        done = run(
            request,
            form,
            lambda: service.inspection_record(
                by=request.user,
                application=application,
                inspected_on=data["inspected_on"],
                inspector=data["inspector"],
                result=data["result"],
                remarks=data["remarks"],
                items=[row.get("description", "") for row in rows],
                photos={n: row["photo"] for n, row in enumerate(rows) if row.get("photo")},
            ),
            success=lambda inspection: (
                _("Inspection of %(date)s recorded: %(result)s.")
                % {
                    "date": inspection.inspected_on.isoformat(),
                    "result": inspection.get_result_display(),
                }
            ),
            done=lambda _inspection: page,
            back=page,
        )
        if done:
            return done
    return render(
        request,
        "deposits/applications/inspect.html",
        {"application": application, "form": form, "items": items},
    )


# --- files --------------------------------------------------------------------------------


@permission_required(VIEW, raise_exception=True)
@require_safe
def application_document(request, pk):
    document = get_object_or_404(ApplicationDocument.objects.select_related("application"), pk=pk)
    return stored_file_response(document.file, f"{document.application.number}-{document.title}")


@permission_required(VIEW, raise_exception=True)
@require_safe
def inspection_photo(request, pk):
    """A photo of an inspection's item: served here only, its download recorded."""
    photo = get_object_or_404(
        InspectionPhoto.objects.select_related("item__inspection__application"), pk=pk
    )
    application = photo.item.inspection.application
    response = stored_file_response(
        photo.file,
        f"{application.number}-{photo.item.inspection.inspected_on}-{photo.item.position}",
    )
    access_record(record=application, by=request.user, kind=AccessKind.PHOTO, page=request.path)
    return response


urls = [
    path("decorations/", ApplicationList.as_view(), name="application_list"),
    path("decorations/new/", application_create, name="application_create"),
    path("decorations/<int:pk>/", application_detail, name="application_detail"),
    path("decorations/<int:pk>/approve/", application_approve, name="application_approve"),
    path("decorations/<int:pk>/reject/", application_reject, name="application_reject"),
    path("decorations/<int:pk>/start/", application_start, name="application_start"),
    path("decorations/<int:pk>/extend/", application_extend, name="application_extend"),
    path("decorations/<int:pk>/close/", application_close, name="application_close"),
    path(
        "decorations/<int:pk>/deposit/", application_deposit_take, name="application_deposit_take"
    ),
    path("decorations/<int:pk>/permits/", application_permits, name="application_permits"),
    path(
        "decorations/<int:pk>/permits/link/",
        application_permit_link,
        name="application_permit_link",
    ),
    path("decorations/<int:pk>/inspect/", application_inspect, name="application_inspect"),
    path(
        "decorations/<int:pk>/documents/", application_document_add, name="application_document_add"
    ),
    path("decorations/documents/<int:pk>/", application_document, name="application_document"),
    path("decorations/photos/<int:pk>/", inspection_photo, name="inspection_photo"),
]
