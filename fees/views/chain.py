"""The verification of the receipt chain for a period, for finance, the manager and the
auditor (fees.selectors.chain; the same as ``manage.py verify_receipts``)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from fees.forms.chain import ChainPartForm, ChainPeriodForm
from fees.selectors.chain import PART, chain_verify


@permission_required("fees.verify_receipts", raise_exception=True)
@require_safe
def chain_verify_page(request):
    """A GET form: the period's chain is verified as soon as a valid period is given, a part
    of PART receipts at a time (the next part links on): a page costs the same however many
    receipts the period holds. The whole period at once is the receipt_chain export."""
    today = timezone.localdate()
    form = ChainPeriodForm(
        request.GET or None, initial={"date_from": today.replace(day=1), "date_to": today}
    )
    report, next_url, whole_url = None, "", ""
    if form.is_valid():
        part = ChainPartForm(request.GET)
        # A part not understood (a hand-edited link) starts from the period's beginning.
        after = part.cleaned_data["after"] if part.is_valid() else ""
        period = form.cleaned_data
        report = chain_verify(
            period["date_from"], period["date_to"], after=after or None, limit=PART
        )
        dates = {"date_from": period["date_from"], "date_to": period["date_to"]}
        if report.next_after:
            next_url = "?" + urlencode({**dates, "after": report.next_after})
        whole_url = reverse("export", args=["receipt_chain"]) + "?" + urlencode(dates)
    return render(
        request,
        "fees/chain/verify.html",
        {
            "form": form,
            "report": report,
            "next_url": next_url,
            "whole_url": whole_url,
            "part_size": PART,
        },
    )


urls = [
    path("finance/chain/", chain_verify_page, name="chain_verify"),
]
