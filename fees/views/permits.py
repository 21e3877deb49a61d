"""Worker permits: the lists, issuing with a receipt, return, loss and reissue, the card."""

import base64
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView

from archives.models import AccessKind, id_doc_label
from archives.services import access_record, id_number_reveal
from config.actions import action, checked, submit
from config.history import history_entries
from config.lists import FilteredList
from config.money import format_money
from config.pdf import pdf_response, render_pdf
from config.privacy import ID_NUMBER, WHOLE
from fees.filters.permits import PermitFilter
from fees.forms.permits import LostForm, PermitIssueForm, WorkerFormSet
from fees.models import FeeType, Permit, Receipt
from fees.selectors.permits import (
    card_printable,
    current_status,
    permit_actions,
    permits_expiring_soon,
    permits_not_returned,
    permits_with_status,
)
from fees.services import permits as service
from fees.tables.permits import PermitTable

PHOTO_TYPES = {".jpg": "image/jpeg", ".png": "image/png"}
# Who opened which personal file (a permit's photo); settings.LOGGING keeps it.


class PermitList(FilteredList):
    permission_required = "fees.view_permit"
    filterset_class = PermitFilter
    table_class = PermitTable
    template_name = "fees/permits/list.html"
    title = gettext_lazy("Worker permits")
    create_url_name = "fees:permit_issue"
    create_permission = "fees.issue_permit"
    tab = "all"

    def get_queryset(self):
        return permits_with_status(timezone.localdate())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tab": self.tab}


class PermitExpiringList(PermitList):
    title = gettext_lazy("Permits expiring soon")
    tab = "expiring"

    def get_queryset(self):
        return permits_expiring_soon(timezone.localdate())

    def get_table_kwargs(self):
        return {"order_by": "valid_to"}


class PermitNotReturnedList(PermitExpiringList):
    title = gettext_lazy("Permits not returned")
    tab = "not_returned"

    def get_queryset(self):
        return permits_not_returned(timezone.localdate())


def _fee_amounts() -> dict[str, object]:
    codes = [service.PERMIT_FEE, service.CARD_FEE, service.CARD_DEPOSIT]
    return dict(FeeType.objects.filter(code__in=codes).values_list("code", "default_amount"))


@permission_required("fees.issue_permit", raise_exception=True)
def permit_issue(request):
    if request.method == "POST":
        form = PermitIssueForm(request.POST)
        formset = WorkerFormSet(request.POST, request.FILES, prefix="workers")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            done = submit(
                request,
                form,
                lambda: service.permit_issue(
                    by=request.user,
                    contractor=data["contractor"],
                    unit=data["unit"],
                    workers=formset.workers(),
                    **form.issue_terms(),
                ),
                success=_issued,
                done=lambda issued: reverse("fees:permit_batch", args=[issued[0].pk]),
            )
            if done:
                return done
    else:
        form = PermitIssueForm()
        formset = WorkerFormSet(prefix="workers")
    return render(
        request,
        "fees/permits/issue.html",
        {"form": form, "formset": formset, "fees": _fee_amounts(), "shown_rows": 3},
    )


def _issued(issued) -> str | tuple[int, str]:
    receipt, permits, created = issued
    if created:
        return _("Permits %(numbers)s issued on receipt %(receipt)s.") % {
            "numbers": ", ".join(p.number for p in permits),
            "receipt": receipt.number,
        }
    return messages.WARNING, _(
        "This form was submitted already: receipt %(number)s was issued once, not twice."
    ) % {"number": receipt.number}


@permission_required("fees.view_permit", raise_exception=True)
@require_safe
def permit_batch(request, receipt_pk):
    """The permits issued on one receipt, with their cards to print."""
    receipt = get_object_or_404(Receipt, pk=receipt_pk)
    today = timezone.localdate()
    permits = list(permits_with_status(today).filter(receipt=receipt).order_by("number"))
    if not permits:
        raise Http404
    return render(
        request,
        "fees/permits/batch.html",
        {
            "receipt": receipt,
            "permits": permits,
            "printable": any(card_printable(p.current_status) for p in permits),
        },
    )


class PermitDetail(PermissionRequiredMixin, DetailView):
    permission_required = "fees.view_permit"
    raise_exception = True
    template_name = "fees/permits/detail.html"
    context_object_name = "permit"

    def get_queryset(self):
        return Permit.objects.select_related(
            "contractor", "unit", "receipt", "replaces", "issued_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        permit = self.object
        actions = permit_actions(permit, self.request.user, timezone.localdate())
        context.update(
            status=actions.status,
            actions=actions,
            lost_form=LostForm(initial={"reissue": actions.reissue_offered}),
            replaced_by=Permit.objects.filter(replaces=permit).first(),
            history=history_entries(permit),
        )
        return context


def _permit(pk) -> Permit:
    return get_object_or_404(Permit, pk=pk)


@action("fees.issue_permit", back="fees:permit_detail")
def permit_return(request, pk):
    permit = service.permit_return(by=request.user, permit=_permit(pk))
    text = _("Permit %(number)s returned.") % {"number": permit.number}
    if permit.deposit_released_on:
        text += " " + _("Its card deposit of %(amount)s may now be refunded.") % {
            "amount": format_money(permit.card_deposit)
        }
    return text


@action("fees.issue_permit", back="fees:permit_detail")
def permit_lost(request, pk):
    permit = _permit(pk)
    data = checked(LostForm(request.POST))
    permit, replacement = service.permit_report_lost(
        by=request.user,
        permit=permit,
        reissue=data["reissue"],
        method=data["method"],
        reference=data["reference"],
        request_key=data["request_key"],
    )
    if replacement is None:
        return _("Permit %(number)s reported lost; its number is blocked.") % {
            "number": permit.number
        }
    return _("Permit %(old)s reported lost and replaced by %(new)s (receipt %(receipt)s).") % {
        "old": permit.number,
        "new": replacement.number,
        "receipt": replacement.receipt.number,
    }, replacement


@require_POST
@permission_required(WHOLE[ID_NUMBER], raise_exception=True)
def permit_id_number(request, pk):
    """The worker's whole ID number, shown once its viewing is in the access log (the desk
    checks a card brought back or reported lost against it)."""
    permit = _permit(pk)
    number = id_number_reveal(record=permit, by=request.user, page=request.path)
    return render(
        request,
        "whole_id.html",
        {
            "record": permit,
            "doc_type": id_doc_label(permit.id_doc_type),
            "number": number,
            "back": permit.get_absolute_url(),
        },
    )


@permission_required("fees.view_permit", raise_exception=True)
@require_safe
def permit_photo(request, pk):
    """Photos are personal data: served only here, to users who may see permits, as a
    download that no browser may guess another type for and no cache may keep."""
    permit = _permit(pk)
    suffix = PurePath(permit.photo.name or "").suffix.lower()
    content_type = PHOTO_TYPES.get(suffix)
    if content_type is None:
        raise Http404
    try:
        handle = permit.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    access_record(record=permit, by=request.user, kind=AccessKind.PHOTO, page=request.path)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"permit-{permit.number}{suffix}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _photo_data_uri(permit: Permit) -> str:
    # The PDF renderer loads no URLs, so the photo travels inside the document.
    content_type = PHOTO_TYPES.get(PurePath(permit.photo.name or "").suffix.lower())
    if content_type is None:
        return ""
    try:
        with permit.photo.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def _cards_response(request, permits: list[Permit], filename: str, back: str):
    today = timezone.localdate()
    printable = [p for p in permits if card_printable(current_status(p, today))]
    if not printable:
        messages.error(request, _("Only an active permit's card can be printed."))
        return redirect(back)
    cards = [(p, _photo_data_uri(p)) for p in printable]
    pdf = render_pdf("fees/pdf/permit_card.html", {"title": _("Worker permit"), "cards": cards})
    return pdf_response(pdf, filename)


@permission_required("fees.issue_permit", raise_exception=True)
@require_safe
def permit_card(request, pk):
    permit = get_object_or_404(Permit.objects.select_related("contractor", "unit"), pk=pk)
    return _cards_response(
        request, [permit], f"permit-{permit.number}.pdf", permit.get_absolute_url()
    )


@permission_required("fees.issue_permit", raise_exception=True)
@require_safe
def permit_receipt_cards(request, receipt_pk):
    """Every active card paid by one receipt, one card a page, in one document."""
    receipt = get_object_or_404(Receipt, pk=receipt_pk)
    permits = list(receipt.permits.select_related("contractor", "unit").order_by("number"))
    if not permits:
        raise Http404
    back = reverse("fees:permit_batch", args=[receipt.pk])
    return _cards_response(request, permits, f"permits-{receipt.number}.pdf", back)


urls = [
    path("permits/", PermitList.as_view(), name="permit_list"),
    path("permits/expiring/", PermitExpiringList.as_view(), name="permit_expiring"),
    path("permits/not-returned/", PermitNotReturnedList.as_view(), name="permit_not_returned"),
    path("permits/new/", permit_issue, name="permit_issue"),
    path("permits/<int:pk>/", PermitDetail.as_view(), name="permit_detail"),
    path("permits/<int:pk>/return/", permit_return, name="permit_return"),
    path("permits/<int:pk>/lost/", permit_lost, name="permit_lost"),
    path("permits/<int:pk>/photo/", permit_photo, name="permit_photo"),
    path("permits/<int:pk>/id-number/", permit_id_number, name="permit_id_number"),
    path("permits/<int:pk>/card/", permit_card, name="permit_card"),
    path("permits/receipt/<int:receipt_pk>/", permit_batch, name="permit_batch"),
    path(
        "permits/receipt/<int:receipt_pk>/cards/", permit_receipt_cards, name="permit_receipt_cards"
    ),
]
