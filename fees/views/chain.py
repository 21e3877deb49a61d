"""The verification of the receipt chain for a period, for finance, the manager and the
auditor (fees.selectors.chain; the same as ``manage.py verify_receipts``)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from fees.forms.chain import ChainPeriodForm
from fees.selectors.chain import chain_verify


@permission_required("fees.verify_receipts", raise_exception=True)
@require_safe
def chain_verify_page(request):
    """A GET form: the period's chain is verified as soon as a valid period is given."""
    today = timezone.localdate()
    form = ChainPeriodForm(
        request.GET or None, initial={"date_from": today.replace(day=1), "date_to": today}
    )
    report = None
    if form.is_valid():
        report = chain_verify(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    return render(request, "fees/chain/verify.html", {"form": form, "report": report})


urls = [
    path("finance/chain/", chain_verify_page, name="chain_verify"),
]
