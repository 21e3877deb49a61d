"""Deposit pages: the list with what each holds, a deposit's page with its refund gate,
recording a deposit taken at the receipt desk, forfeiting, and a deduction's photo."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from config.history import history_entries
from config.lists import FilteredList
from deposits.enums import DepositStatus
from deposits.filters.deposits import DepositFilter
from deposits.forms.deposits import DeductionFormSet, DepositRecordForm
from deposits.models import DeductionPhoto, Deposit
from deposits.selectors.deposits import deposits_listed
from deposits.selectors.refunds import refund_gate
from deposits.services import deposits as service
from deposits.tables.deposits import DepositTable
from deposits.views.forms import call_service
from deposits.views.gate import gate_rows


class DepositList(FilteredList):
    permission_required = "deposits.view_deposit"
    filterset_class = DepositFilter
    table_class = DepositTable
    template_name = "deposits/deposits/list.html"
    title = gettext_lazy("Deposits")
    create_url_name = "deposits:deposit_record"
    create_permission = "deposits.take_deposit"

    def get_queryset(self):
        return deposits_listed()


def _deposit(pk) -> Deposit:
    return get_object_or_404(deposits_listed(), pk=pk)


@permission_required("deposits.view_deposit", raise_exception=True)
@require_safe
def deposit_detail(request, pk):
    deposit = _deposit(pk)
    held = deposit.status == DepositStatus.HELD
    context = {
        "deposit": deposit,
        "receipt": deposit.receipt_line.receipt,
        # The checklist matters while the deposit is held (before a request is prepared).
        "gate": gate_rows(refund_gate(deposit)) if held else [],
        "deductions": deposit.deductions.select_related(
            "refund", "charge", "violation", "recorded_by", "photo"
        ).order_by("pk"),
        "refunds": deposit.refunds.select_related("prepared_by", "decided_by", "paid_by"),
        "can_prepare": held and request.user.has_perm("deposits.prepare_refund"),
        "can_forfeit": held and request.user.has_perm("deposits.forfeit_deposit"),
        "history": history_entries(deposit),
    }
    return render(request, "deposits/deposits/detail.html", context)


@permission_required("deposits.take_deposit", raise_exception=True)
def deposit_record(request):
    form = DepositRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deposit = call_service(
            form,
            lambda: service.deposit_record(
                by=request.user,
                line=form.cleaned_data["line"],
                application=form.cleaned_data.get("application"),
            ),
        )
        if deposit is not None:
            text = _("The deposit is recorded: %(deposit)s.") % {"deposit": deposit}
            messages.success(request, text)
            return redirect(deposit)
    return render(request, "deposits/deposits/record.html", {"form": form})


@permission_required("deposits.forfeit_deposit", raise_exception=True)
def deposit_forfeit(request, pk):
    deposit = _deposit(pk)
    formset = DeductionFormSet(
        request.POST or None, deposit=deposit, with_photo=False, prefix="deductions"
    )
    if request.method == "POST" and formset.is_valid():
        done = call_service(
            formset,
            lambda: service.deposit_forfeit(
                by=request.user, deposit=deposit, deductions=formset.deductions()
            ),
            formset=formset,
        )
        if done is not None:
            deposit, _written = done
            if deposit.status == DepositStatus.FORFEITED:
                messages.success(request, _("The deposit is forfeited."))
            else:
                messages.success(request, _("The amounts are kept from the deposit."))
            return redirect(deposit)
    return render(
        request, "deposits/deposits/forfeit.html", {"deposit": deposit, "formset": formset}
    )


@permission_required("deposits.view_deduction", raise_exception=True)
@require_safe
def deduction_photo(request, pk):
    """A deduction's photo, only here, to those who read deposits, as a download that no
    browser may guess another type for."""
    photo = get_object_or_404(DeductionPhoto.objects.select_related("deduction"), deduction=pk)
    if PurePath(photo.image.name or "").suffix.lower() != ".jpg":
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=f"deduction-{pk}.jpg", content_type="image/jpeg"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urls = [
    path("list/", DepositList.as_view(), name="deposit_list"),
    path("record/", deposit_record, name="deposit_record"),
    path("<int:pk>/", deposit_detail, name="deposit_detail"),
    path("<int:pk>/forfeit/", deposit_forfeit, name="deposit_forfeit"),
    path("deductions/<int:pk>/photo/", deduction_photo, name="deduction_photo"),
]
