"""The refund procedure's pages (退款程序): prepare a deposit's refund through its gate, the
refund's page where the manager approves or returns it and finance pays it, the list of
refunds by status with the days they have waited, and the approval form as a PDF."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from config.actions import action, checked
from config.history import history_entries
from config.lists import FilteredList
from config.money import ZERO, amount_in_words, format_money
from config.pdf import pdf_response, render_pdf
from deposits.enums import DepositStatus, RefundStatus
from deposits.filters.refunds import RefundFilter
from deposits.forms.deposits import DeductionFormSet
from deposits.forms.refunds import RefundPayForm, RefundPrepareForm, RefundReturnForm
from deposits.models import Refund
from deposits.selectors.deposits import deposit_balance, deposits_listed
from deposits.selectors.refunds import (
    days_waiting,
    refund_doers,
    refund_gate,
    refund_request_gate,
    refunds_listed,
)
from deposits.services import refunds as service
from deposits.tables.refunds import RefundTable
from deposits.views.forms import call_service
from deposits.views.gate import gate_rows


class RefundList(FilteredList):
    permission_required = "deposits.view_refund"
    filterset_class = RefundFilter
    table_class = RefundTable
    title = gettext_lazy("Refunds")

    def get_queryset(self):
        return refunds_listed()


def _left(held: Decimal, formset) -> Decimal | None:
    """Held less the deductions typed so far (None while one of them is not valid)."""
    if not formset.is_bound or not formset.is_valid():
        return held if not formset.is_bound else None
    return held - sum((item.amount for item in formset.deductions()), ZERO)


@permission_required("deposits.prepare_refund", raise_exception=True)
def refund_prepare(request, pk):
    deposit = get_object_or_404(deposits_listed(), pk=pk)
    held = deposit_balance(deposit)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = RefundPrepareForm(
        data, initial={"payee": deposit.payer_name, "amount": held}, prefix="refund"
    )
    formset = DeductionFormSet(data, files, deposit=deposit, prefix="deductions")
    left = _left(held, formset)
    if request.method == "POST" and "preview" not in request.POST:
        if form.is_valid() and formset.is_valid():
            refund = call_service(
                form,
                lambda: service.refund_prepare(
                    by=request.user,
                    deposit=deposit,
                    amount=form.cleaned_data["amount"],
                    deductions=formset.deductions(),
                    receipt_collected=form.cleaned_data["receipt_collected"],
                    payee=form.cleaned_data["payee"],
                ),
                formset=formset,
            )
            if refund is not None:
                messages.success(request, _("The refund request is sent to the manager."))
                return redirect(refund)
    elif request.method == "POST" and left is not None:
        # The preview: the refund amount becomes what is left after the deductions.
        changed = request.POST.copy()
        changed["refund-amount"] = f"{left:.2f}"
        form = RefundPrepareForm(changed, prefix="refund")
    gate = refund_gate(deposit)
    context = {
        "deposit": deposit,
        "held": held,
        "left": left,
        "form": form,
        "formset": formset,
        "gate": gate_rows(gate),
        "gate_ready": gate.ready,
        "can_submit": deposit.status == DepositStatus.HELD,
    }
    return render(request, "deposits/refunds/prepare.html", context)


def _refund(pk) -> Refund:
    return get_object_or_404(
        Refund.objects.select_related(
            "deposit__application",
            "deposit__receipt_line__receipt",
            "deposit__unit",
            "deposit__tenant",
            "prepared_by",
            "decided_by",
            "paid_by",
        ),
        pk=pk,
    )


def _deductions(refund: Refund):
    return refund.deductions.select_related("charge", "violation", "photo").order_by("pk")


@permission_required("deposits.view_refund", raise_exception=True)
@require_safe
def refund_detail(request, pk):
    refund = _refund(pk)
    user = request.user
    doers = refund_doers(refund)
    requested = refund.status == RefundStatus.REQUESTED
    approved = refund.status == RefundStatus.APPROVED
    may_decide = requested and user.has_perm("deposits.approve_refund")
    may_pay = approved and user.has_perm("deposits.pay_refund")
    context = {
        "refund": refund,
        "deposit": refund.deposit,
        "deductions": _deductions(refund),
        "gate": gate_rows(refund_request_gate(refund)) if requested else [],
        "waiting": days_waiting(refund, timezone.localdate()),
        "can_decide": may_decide and user.pk not in doers["decide"],
        "decide_by_another": may_decide and user.pk in doers["decide"],
        "can_pay": may_pay and user.pk not in doers["pay"],
        "pay_by_another": may_pay and user.pk in doers["pay"],
        "return_form": RefundReturnForm(),
        "pay_form": RefundPayForm(),
        "history": history_entries(refund),
    }
    return render(request, "deposits/refunds/detail.html", context)


@action("deposits.approve_refund", back="deposits:refund_detail")
def refund_approve(request, pk):
    service.refund_approve(by=request.user, refund=_refund(pk))
    return _("The refund is approved: finance pays it.")


@action("deposits.approve_refund", back="deposits:refund_detail")
def refund_return(request, pk):
    data = checked(RefundReturnForm(request.POST))
    service.refund_return(by=request.user, refund=_refund(pk), comment=data["comment"])
    return _("The refund is returned to the desk; the deposit is held again.")


@action("deposits.pay_refund", back="deposits:refund_detail")
def refund_pay(request, pk):
    data = checked(RefundPayForm(request.POST))
    refund = service.refund_pay(
        by=request.user,
        refund=_refund(pk),
        method=data["method"],
        reference=data.get("reference", ""),
        paid_on=data["paid_on"],
    )
    return _("The refund of %(amount)s is paid; the payee signs the printed form.") % {
        "amount": format_money(refund.amount)
    }


@permission_required("deposits.view_refund", raise_exception=True)
@require_safe
def refund_pdf(request, pk):
    """The refund approval form (装修保证金退款审批表), printed for the signatures."""
    refund = _refund(pk)
    deposit = refund.deposit
    with translation.override("zh-hans"):
        pdf = render_pdf(
            "deposits/pdf/refund.html",
            {
                "title": "装修保证金退款审批表"
                if deposit.kind == "decoration"
                else "保证金退款审批表",
                "refund": refund,
                "deposit": deposit,
                "receipt": deposit.receipt_line.receipt,
                "deductions": list(_deductions(refund)),
                "gate": gate_rows(refund_request_gate(refund)),
                "held_words": amount_in_words(refund.held),
                "deducted_words": amount_in_words(refund.deducted),
                "amount_words": amount_in_words(refund.amount),
            },
            request=request,
        )
    return pdf_response(pdf, f"refund-{refund.pk}.pdf")


urls = [
    path("refunds/", RefundList.as_view(), name="refund_list"),
    path("<int:pk>/refund/", refund_prepare, name="refund_prepare"),
    path("refunds/<int:pk>/", refund_detail, name="refund_detail"),
    path("refunds/<int:pk>/approve/", refund_approve, name="refund_approve"),
    path("refunds/<int:pk>/return/", refund_return, name="refund_return"),
    path("refunds/<int:pk>/pay/", refund_pay, name="refund_pay"),
    path("refunds/<int:pk>/form.pdf", refund_pdf, name="refund_pdf"),
]
