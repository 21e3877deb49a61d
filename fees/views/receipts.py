import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from pypdf import PdfReader

from config.centre import current_centre
from config.history import history_entries
from config.lists import FilteredList
from config.pdf import pdf_response, render_pdf
from fees.forms import LineFormSet, ReasonForm, ReceiptForm
from fees.models import (
    Charge,
    DailyClose,
    DayState,
    FeeType,
    Receipt,
    ReceiptLine,
    ReceiptPrint,
    ReceiptStatus,
)
from fees.qr import qr_data_uri
from fees.selectors.prints import next_copy, receipt_prints
from fees.services import prints
from fees.services import receipts as service
from fees.tables import ReceiptFilter, ReceiptTable


@permission_required("fees.view_receipt", raise_exception=True)
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
                "unit_price": service.charge_outstanding(charge),
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
        form = ReceiptForm(request.POST, request=request)
        formset = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                receipt, created = service.receipt_issue(
                    by=request.user,
                    payer=form.payer(),
                    lines=formset.lines(),
                    method=form.cleaned_data["method"],
                    reference=form.cleaned_data["reference"],
                    unit=form.cleaned_data["unit_code"],
                    note=form.cleaned_data["note"],
                    request_key=form.cleaned_data["request_key"],
                    discount_approver=form.cleaned_data.get("approver"),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if created:
                    messages.success(
                        request, _("Receipt %(number)s issued.") % {"number": receipt.number}
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "This form was submitted already: "
                            "receipt %(number)s was issued once, not twice."
                        )
                        % {"number": receipt.number},
                    )
                return redirect(receipt)
    else:
        header, lines = _prefill(request)
        form = ReceiptForm(initial=header, request=request)
        formset = LineFormSet(prefix="lines", initial=lines)
    fee_defaults = {str(f.pk): f"{f.default_amount}" for f in FeeType.objects.filter(active=True)}
    return render(
        request,
        "fees/receipt_form.html",
        {"form": form, "formset": formset, "fee_defaults": fee_defaults, "day": _today_close()},
    )


def _today_close():
    return DailyClose.objects.filter(business_date=timezone.localdate()).first()


class ReceiptDetail(PermissionRequiredMixin, DetailView):
    permission_required = "fees.view_receipt"
    raise_exception = True
    template_name = "fees/receipt_detail.html"
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
        day_open = day is None or day.state == DayState.OPEN
        context.update(
            history=history_entries(receipt),
            prints=receipt_prints(receipt),
            day=day,
            day_open=day_open,
            reversal=Receipt.objects.filter(reverses=receipt).first(),
            reason_form=ReasonForm(),
            can_request_void=day_open
            and receipt.status == ReceiptStatus.ISSUED
            and not receipt.is_reversal,
            can_reverse=not day_open
            and receipt.status == ReceiptStatus.ISSUED
            and not receipt.is_reversal,
        )
        return context


def _act(request, pk, action, success):
    receipt = get_object_or_404(Receipt, pk=pk)
    try:
        action(receipt)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success % {"number": receipt.number})
    return redirect(receipt)


@require_POST
@permission_required("fees.request_void", raise_exception=True)
def receipt_request_void(request, pk):
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    return _act(
        request,
        pk,
        lambda r: service.receipt_request_void(receipt=r, by=request.user, reason=reason),
        _("Void of %(number)s requested; the manager decides."),
    )


@require_POST
@permission_required("fees.approve_void", raise_exception=True)
def receipt_approve_void(request, pk):
    return _act(
        request,
        pk,
        lambda r: service.receipt_approve_void(receipt=r, by=request.user),
        _("Receipt %(number)s is void."),
    )


@require_POST
@permission_required("fees.approve_void", raise_exception=True)
def receipt_reject_void(request, pk):
    comment = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda r: service.receipt_reject_void(receipt=r, by=request.user, comment=comment),
        _("The void of %(number)s was refused; it stays issued."),
    )


@require_POST
@permission_required("fees.reverse_receipt", raise_exception=True)
def receipt_reverse(request, pk):
    original = get_object_or_404(Receipt, pk=pk)
    try:
        reversal = service.receipt_reverse(
            receipt=original, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(original)
    messages.success(request, _("Reversal %(number)s issued.") % {"number": reversal.number})
    return redirect(reversal)


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
            prints.receipt_print_record(
                receipt=receipt, by=request.user, copy=copy.copy, printed_at=copy.printed_at
            )
        except prints.CopyTaken:
            continue
        return pdf_response(pdf, f"{receipt.number}.pdf")
    messages.error(request, _("The receipt is being printed at another desk; try again."))
    return redirect(receipt)


def _receipt_pdf(receipt: Receipt, centre, copy: ReceiptPrint) -> bytes:
    # The QR opens the public address the administrator set, whatever host the desk used.
    verify_url = centre.public_link(reverse("verify_receipt", args=[receipt.token]))
    context = {
        "title": "收据",
        "centre": centre,
        "receipt": receipt,
        "qr": qr_data_uri(verify_url),
        "verify_url": verify_url,
        # A void receipt is not evidence of payment: it never carries the seal.
        "seal": "" if receipt.is_void else centre.seal_uri,
        "copy": copy,
    }
    with translation.override("zh-hans"):  # the paper receipt is a Chinese document
        pdf = render_pdf("fees/pdf/receipt.html", context)
        # A receipt fits one page, which carries no page numbers; only one with long
        # lines runs over, and then each page is numbered (a second, rare, render).
        if len(PdfReader(io.BytesIO(pdf)).pages) > 1:
            pdf = render_pdf("fees/pdf/receipt.html", {**context, "paged": True})
    return pdf


@login_not_required
def verify_receipt(request, token):
    """Public: anyone holding the paper can check it; shows only number, date, amount, status."""
    receipt = (
        Receipt.objects.filter(token=token)
        .only("number", "business_date", "total", "status")
        .first()
    )
    return render(request, "fees/verify.html", {"receipt": receipt}, status=200 if receipt else 404)


urls = [
    path("receipts/", ReceiptList.as_view(), name="receipt_list"),
    path("receipts/new/", receipt_create, name="receipt_create"),
    path("receipts/<int:pk>/", ReceiptDetail.as_view(), name="receipt_detail"),
    path("receipts/<int:pk>/print/", receipt_print, name="receipt_print"),
    path("receipts/<int:pk>/void/request/", receipt_request_void, name="receipt_request_void"),
    path("receipts/<int:pk>/void/approve/", receipt_approve_void, name="receipt_approve_void"),
    path("receipts/<int:pk>/void/reject/", receipt_reject_void, name="receipt_reject_void"),
    path("receipts/<int:pk>/reverse/", receipt_reverse, name="receipt_reverse"),
]
