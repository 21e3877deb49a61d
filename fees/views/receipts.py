from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView

from config.actions import action, submit
from config.centre import current_centre
from config.history import history_entries
from config.lists import FilteredList
from config.money import amount_in_words, format_money
from config.pdf import pdf_response
from config.validators import RuleError
from fees import originals
from fees.enums import PaymentMethod
from fees.filters.receipts import DiscountApprovalFilter, ReceiptFilter
from fees.forms.receipts import LineFormSet, PayerForm, ReasonForm, ReceiptForm
from fees.models import (
    Charge,
    DailyClose,
    DiscountApproval,
    FeeType,
    Receipt,
    ReceiptLine,
    ReceiptPrint,
)
from fees.selectors.charges import charge_outstanding
from fees.selectors.receipts import (
    next_copy,
    receipt_actions,
    receipt_check,
    receipt_prints,
    unit_at_desk,
)
from fees.services import receipts as service
from fees.tables.receipts import DiscountApprovalTable, ReceiptTable
from fees.validators import validate_discount_approval


@permission_required("fees.view_receipt", raise_exception=True)
@require_safe
def index(request):
    return redirect("fees:receipt_list")


class ReceiptList(FilteredList):
    permission_required = "fees.view_receipt"
    filterset_class = ReceiptFilter
    table_class = ReceiptTable
    title = gettext_lazy("Receipts")
    create_url_name = "fees:receipt_create"
    create_permission = "fees.issue_receipt"

    def get_queryset(self):
        return Receipt.objects.select_related("unit", "cashier")


class DiscountApprovalList(FilteredList):
    """Every try of the manager's approval typed at the desk: who asked, which manager, when,
    the outcome and the receipt it led to."""

    permission_required = "fees.view_discountapproval"
    filterset_class = DiscountApprovalFilter
    table_class = DiscountApprovalTable
    title = gettext_lazy("Discount approvals")

    def get_queryset(self):
        return DiscountApproval.objects.select_related("asked_by", "approver", "receipt")


def _prefill(request) -> tuple[dict, list[dict]]:
    """Initial values from the query string: ?tenant=&charge= (settling a charge)."""
    header, lines = {}, []
    charge = (
        Charge.objects.filter(pk=request.GET.get("charge") or None)
        .select_related("tenant", "unit")
        .first()
    )
    if charge is not None:
        header = {
            "tenant": charge.tenant_id,
            "payer_kind": "tenant",
            "unit_code": getattr(charge.unit, "code", ""),
        }
        lines = [
            {
                "fee_type": charge.fee_type_id,
                "quantity": 1,
                "unit_price": charge_outstanding(charge),
                "charge": charge.pk,
                "description": charge.description,
            }
        ]
    elif request.GET.get("tenant"):
        header = {"tenant": request.GET["tenant"], "payer_kind": "tenant"}
    return header, lines


@permission_required("fees.issue_receipt", raise_exception=True)
def receipt_create(request):
    if request.method == "POST":
        form = ReceiptForm(request.POST)
        formset = LineFormSet(request.POST, prefix="lines")
        if (
            form.is_valid()
            and formset.is_valid()
            and form.ask_approval(by=request.user, terminal=request.META.get("REMOTE_ADDR"))
        ):
            done = submit(
                request,
                form,
                lambda: service.receipt_issue(
                    by=request.user,
                    lines=formset.lines(),
                    discount_approval=form.approval,
                    **form.receipt_fields(),
                ),
                success=_issued,
                done=lambda issued: issued[0],
            )
            if done:
                return done
    else:
        header, lines = _prefill(request)
        form = ReceiptForm(initial=header)
        formset = LineFormSet(prefix="lines", initial=lines)
    # A fee without a default price (a penalty) leaves the price for the desk to type.
    fee_defaults = {
        str(f.pk): f"{f.default_amount}" if f.default_amount > 0 else ""
        for f in FeeType.objects.filter(active=True)
    }
    return render(
        request,
        "fees/receipts/form.html",
        {
            "form": form,
            "formset": formset,
            "fee_defaults": fee_defaults,
            "day": _today_close(),
            "approval_share": _approval_share(),
            "approval_needed": formset.is_bound and formset.needs_approval(),
        },
    )


def _issued(issued) -> str | tuple[int, str]:
    receipt, created = issued
    if created:
        return _("Receipt %(number)s issued.") % {"number": receipt.number}
    return messages.WARNING, _(
        "This form was submitted already: receipt %(number)s was issued once, not twice."
    ) % {"number": receipt.number}


def _approval_share() -> str:
    return f"{settings.DISCOUNT_APPROVAL_SHARE:.0%}"


def _errors_by_field(forms) -> tuple[dict[str, list[str]], list[str]]:
    """Each visible field's messages under its element id; the rest as general messages."""
    by_field, general = {}, []
    for number, form in forms:
        prefix = _("Line %(n)d: ") % {"n": number} if number else ""
        for name, messages_ in form.errors.items():
            texts = [str(m) for m in messages_]
            if name in form.fields and not form[name].is_hidden:
                by_field[form[name].auto_id] = texts
            else:
                general += [prefix + text for text in texts]
    return by_field, general


@require_POST
@permission_required("fees.issue_receipt", raise_exception=True)
def receipt_preview(request):
    """The confirmation's figures (the total in figures and in 大写), or what to correct first.

    It validates as the issue does, but without the manager's password (checked once, on
    issuing, where failed attempts are throttled); nothing is written.
    """
    form = PayerForm(request.POST)
    formset = LineFormSet(request.POST, prefix="lines")
    valid = form.is_valid() & formset.is_valid()  # both, so that every field gets its message
    needs_approval = formset.needs_approval()
    by_field, general = _errors_by_field(
        [(0, form)] + [(n, line) for n, line in enumerate(formset.forms, start=1)]
    )
    try:
        # A manager named is enough here: the password is checked once, on issuing.
        validate_discount_approval(
            needed=needs_approval,
            approved=bool(request.POST.get("approver_username", "").strip()),
        )
    except RuleError as exc:
        # The manager's fields belong to ReceiptForm only; the id is that form's.
        by_field[f"id_{exc.field}"] = [exc.field_message]
        valid = False
    general += [str(e) for e in formset.non_form_errors()]
    answer = {"ok": False, "needs_approval": needs_approval, "errors": by_field, "general": general}
    if not valid:
        return JsonResponse(answer)
    try:
        total = service.receipt_preview(
            by=request.user,
            payer=form.payer(),
            lines=formset.lines(),
            method=form.cleaned_data["method"],
            reference=form.cleaned_data["reference"],
        )
    except ValidationError as exc:
        return JsonResponse({**answer, "general": exc.messages})
    return JsonResponse(
        {
            **answer,
            "ok": True,
            "total": f"{total:.2f}",
            "total_display": format_money(total),
            "words": amount_in_words(total),
            "payer": form.payer().resolved_name(),
            "method": str(PaymentMethod(form.cleaned_data["method"]).label),
        }
    )


@permission_required("fees.issue_receipt", raise_exception=True)
@require_safe
def receipt_unit(request):
    """The unit code as the desk types it: the unit and its current tenant, or no such unit."""
    found = unit_at_desk(request.GET.get("unit_code", "")[:20])
    return render(request, "fees/receipts/_unit.html", {"found": found})


def _today_close():
    return DailyClose.objects.filter(business_date=timezone.localdate()).first()


class ReceiptDetail(PermissionRequiredMixin, DetailView):
    permission_required = "fees.view_receipt"
    raise_exception = True
    template_name = "fees/receipts/detail.html"
    context_object_name = "receipt"

    def get_queryset(self):
        return Receipt.objects.select_related(
            "unit",
            "cashier",
            "tenant",
            "contractor",
            "voided_by",
            "void_requested_by",
            "reverses",
            "discount_approved_by",
        ).prefetch_related(
            Prefetch("lines", ReceiptLine.objects.select_related("fee_type", "charge")), "permits"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        receipt = self.object
        day = DailyClose.objects.filter(business_date=receipt.business_date).first()
        reversal = Receipt.objects.filter(reverses=receipt).first()
        context.update(
            history=history_entries(receipt),
            prints=receipt_prints(receipt),
            day=day,
            reversal=reversal,
            reason_form=ReasonForm(),
            actions=receipt_actions(receipt, self.request.user, day=day, reversal=reversal),
        )
        return context


def _receipt(pk) -> Receipt:
    return get_object_or_404(Receipt, pk=pk)


@action("fees.request_void", back="fees:receipt_detail")
def receipt_request_void(request, pk):
    reason = request.POST.get("reason", "")
    receipt = service.receipt_request_void(receipt=_receipt(pk), by=request.user, reason=reason)
    return _("Void of %(number)s requested; the manager decides.") % {"number": receipt.number}


@action("fees.approve_void", back="fees:receipt_detail")
def receipt_approve_void(request, pk):
    receipt = service.receipt_approve_void(receipt=_receipt(pk), by=request.user)
    return _("Receipt %(number)s is void.") % {"number": receipt.number}


@action("fees.approve_void", back="fees:receipt_detail")
def receipt_reject_void(request, pk):
    receipt = service.receipt_reject_void(
        receipt=_receipt(pk), by=request.user, comment=request.POST.get("reason", "")
    )
    return _("The void of %(number)s was refused; it stays issued.") % {"number": receipt.number}


@action("fees.reverse_receipt", back="fees:receipt_detail")
def receipt_reverse(request, pk):
    reason = request.POST.get("reason", "")
    reversal = service.receipt_reverse(receipt=_receipt(pk), by=request.user, reason=reason)
    return _("Reversal %(number)s issued.") % {"number": reversal.number}, reversal


# Tries before giving up when other desks keep printing the same receipt at the same time.
PRINT_ATTEMPTS = 3


@require_POST
@permission_required("fees.add_receiptprint", raise_exception=True)
def receipt_print(request, pk):
    """Print a paper copy: the first is the original, every later one is marked 重打.

    A POST, because every copy is recorded (who, when, which copy); the PDF is the answer,
    opened in a new tab by the button, so reloading that tab asks before printing again.
    Auditors read receipts in the audit pack, which records nothing.
    """
    receipt = get_object_or_404(
        Receipt.objects.select_related("unit", "cashier", "reverses").prefetch_related(
            "lines__fee_type"
        ),
        pk=pk,
    )
    centre = current_centre(request)
    if not centre.public_url:
        messages.error(
            request,
            _(
                "Receipts cannot be printed until the administrator sets the centre's "
                "public address, which their QR code opens."
            ),
        )
        return redirect(receipt)
    for _attempt in range(PRINT_ATTEMPTS):
        copy = ReceiptPrint(
            receipt=receipt,
            copy=next_copy(receipt),
            printed_by=request.user,
            printed_at=timezone.now(),
        )
        pdf = _receipt_pdf(receipt, centre, copy)
        try:
            service.receipt_print_record(
                receipt=receipt, by=request.user, copy=copy.copy, printed_at=copy.printed_at
            )
        except service.CopyTaken:
            continue
        return pdf_response(pdf, f"{receipt.number}.pdf")
    messages.error(request, _("The receipt is being printed at another desk; try again."))
    return redirect(receipt)


def _receipt_pdf(receipt: Receipt, centre, copy: ReceiptPrint) -> bytes:
    """The original as stored at the first print (a reprint: with its marks on top); a
    void receipt laid out afresh, without the seal."""
    if receipt.is_void:
        return originals.receipt_pdf(receipt, centre, copy)
    pdf = originals.original_bytes(originals.original(receipt, centre))
    return originals.reprint(receipt, centre, copy, pdf) if copy.is_reprint else pdf


@login_not_required
@require_safe
def verify_receipt(request, token):
    """Public: anyone holding the paper can check it; shows only number, date, amount, status."""
    check = receipt_check(token)
    return render(
        request, "fees/receipts/verify.html", {"check": check}, status=200 if check else 404
    )


urls = [
    path("receipts/", ReceiptList.as_view(), name="receipt_list"),
    path("receipts/new/", receipt_create, name="receipt_create"),
    path("receipts/new/check/", receipt_preview, name="receipt_preview"),
    path("receipts/new/unit/", receipt_unit, name="receipt_unit"),
    path("receipts/<int:pk>/", ReceiptDetail.as_view(), name="receipt_detail"),
    path("receipts/<int:pk>/print/", receipt_print, name="receipt_print"),
    path("receipts/<int:pk>/void/request/", receipt_request_void, name="receipt_request_void"),
    path("receipts/<int:pk>/void/approve/", receipt_approve_void, name="receipt_approve_void"),
    path("receipts/<int:pk>/void/reject/", receipt_reject_void, name="receipt_reject_void"),
    path("receipts/<int:pk>/reverse/", receipt_reverse, name="receipt_reverse"),
    path("discount-approvals/", DiscountApprovalList.as_view(), name="discount_approval_list"),
]
