"""Charges (应收): list, billing, the charge page with its settlements and dunning notes,
the tenant's statement of account, and the ageing list with its Excel and PDF report."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from archives.models import Tenant
from config.actions import action, submit
from config.exporters import export_download
from config.history import history_entries
from config.lists import FilteredList
from fees.filters.charges import ChargeFilter
from fees.forms.charges import CancelForm, ChargeForm, DunningNoteForm
from fees.models import Charge, ReceiptLine
from fees.selectors import charges as selectors
from fees.services import charges as service
from fees.tables.charges import ChargeTable


class ChargeList(FilteredList):
    permission_required = "fees.view_charge"
    filterset_class = ChargeFilter
    table_class = ChargeTable
    template_name = "fees/charges/list.html"
    title = gettext_lazy("Charges")
    create_url_name = "fees:charge_create"
    create_permission = "fees.bill_charge"

    def get_queryset(self):
        return selectors.charge_balances(
            Charge.objects.select_related("tenant", "unit", "fee_type")
        )


@permission_required("fees.bill_charge", raise_exception=True)
def charge_create(request):
    if request.method == "POST":
        form = ChargeForm(request.POST)
        if form.is_valid():
            done = submit(
                request,
                form,
                lambda: service.charge_bill(by=request.user, **form.cleaned_data),
                success=lambda charge: (
                    _("Charge billed to %(tenant)s.") % {"tenant": charge.tenant.name}
                ),
                done=lambda charge: charge,
            )
            if done:
                return done
    else:
        initial = {}
        tenant = Tenant.objects.filter(pk=_int(request.GET.get("tenant"))).first()
        if tenant is not None:
            initial["tenant"] = tenant.name
        form = ChargeForm(initial=initial)
    return render(request, "fees/charges/form.html", {"form": form})


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _detail(request, pk, *, dunning_form=None, cancel_form=None, status=200):
    charge = get_object_or_404(
        selectors.charge_balances(Charge.objects.select_related("tenant", "unit", "fee_type")),
        pk=pk,
    )
    today = timezone.localdate()
    settlements = list(
        ReceiptLine.objects.filter(charge=charge)
        .select_related("receipt")
        .order_by("receipt__issued_at", "pk")
    )
    actions = selectors.charge_actions(charge, request.user)
    context = {
        "charge": charge,
        "status": actions.status,
        "days_overdue": selectors.days_overdue(charge, today),
        "settlements": settlements,
        "notes": charge.dunning_notes.select_related("noted_by").order_by("-noted_on", "-pk"),
        "is_open": actions.is_open,
        "can_cancel": actions.can_cancel,
        "settle_url": reverse("fees:receipt_create")
        + f"?tenant={charge.tenant_id}&charge={charge.pk}",
        "dunning_form": dunning_form or DunningNoteForm(),
        "cancel_form": cancel_form or CancelForm(),
        "history": history_entries(charge),
    }
    return render(request, "fees/charges/detail.html", context, status=status)


@permission_required("fees.view_charge", raise_exception=True)
@require_safe
def charge_detail(request, pk):
    return _detail(request, pk)


@action("fees.bill_charge", back="fees:charge_detail")
def charge_cancel(request, pk):
    charge = get_object_or_404(Charge, pk=pk)
    service.charge_cancel(by=request.user, charge=charge, reason=request.POST.get("reason", ""))
    return _("The charge was cancelled.")


@require_POST
@permission_required("fees.add_dunningnote", raise_exception=True)
def dunning_note_add(request, pk):
    charge = get_object_or_404(Charge, pk=pk)
    form = DunningNoteForm(request.POST)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: service.dunning_note_add(by=request.user, charge=charge, **form.cleaned_data),
            success=_("Dunning note recorded."),
            done=lambda _note: charge,
        )
        if done:
            return done
    # Shown again with the errors next to the fields, and nothing written.
    return _detail(request, pk, dunning_form=form, status=400)


@permission_required("fees.view_charge", raise_exception=True)
@require_safe
def tenant_statement(request, tenant_pk):
    tenant = get_object_or_404(Tenant, pk=tenant_pk)
    return render(
        request,
        "fees/charges/statement.html",
        {"statement": selectors.tenant_statement(tenant), "tenant": tenant},
    )


# --- ageing ------------------------------------------------------------------------------

# Tenants a page of the ageing shows; the totals below it are every tenant's.
AGEING_PER_PAGE = 50


@permission_required("fees.view_charge", raise_exception=True)
@require_safe
def ageing(request):
    """The ageing as of today, its rows in the order asked for (?sort=); its Excel and PDF
    are exporters (fees.exporters.charges) behind the same ?sort=."""
    sort = selectors.ageing_sort(request.GET.get("sort"))
    report = selectors.ageing_page(timezone.localdate(), sort)
    # The bands are summed over every tenant (report.totals); only a page of rows is read.
    page = Paginator(report.rows, AGEING_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "fees/charges/ageing.html",
        {"ageing": report, "page": page, "labels": selectors.BUCKET_LABELS, "sort": sort},
    )


urls = [
    path("charges/", ChargeList.as_view(), name="charge_list"),
    path("charges/new/", charge_create, name="charge_create"),
    path("charges/<int:pk>/", charge_detail, name="charge_detail"),
    path("charges/<int:pk>/cancel/", charge_cancel, name="charge_cancel"),
    path("charges/<int:pk>/dunning/", dunning_note_add, name="dunning_note_add"),
    path("charges/statement/<int:tenant_pk>/", tenant_statement, name="tenant_statement"),
    path("charges/ageing/", ageing, name="charge_ageing"),
    path(
        "charges/ageing.xlsx",
        export_download,
        {"name": "charge_ageing_xlsx"},
        name="charge_ageing_xlsx",
    ),
    path(
        "charges/ageing.pdf",
        export_download,
        {"name": "charge_ageing_pdf"},
        name="charge_ageing_pdf",
    ),
]
