"""The deposit ledger (保证金台账): the totals held by age, then one section at a time, each
paginated: what is held by unit, refunds waiting at each step and open gates without a
request (each with its refund clock), dormant deposits. Its Excel and PDF files are
exporters (deposits.exporters.ledger)."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from config.exporters import export_download
from deposits.selectors import ledger as selectors

# The ledger's sections, one shown at a time under the totals, each paginated.
SECTIONS = {
    "units": _("Held by unit"),
    "waiting": _("Refunds waiting"),
    "gates": _("Gates open, refund not requested"),
    "dormant": _("Dormant deposits"),
}
PER_PAGE = 50


def _section_rows(show: str, today):
    """The rows of a section (a list or a queryset, paged by the view) and how to turn a
    page of them into what the template shows."""
    if show == "waiting":
        return selectors.refunds_under_way(), lambda r: selectors.refund_waiting(r, today)
    if show == "gates":
        return selectors.gates_open_without_refund(), lambda d: selectors.gate_waiting(d, today)
    if show == "dormant":
        return selectors.dormant_deposits(today), lambda d: (d, selectors.dormant_days(d, today))
    return selectors.LedgerUnits(today), lambda row: row


@permission_required("deposits.view_deposit", raise_exception=True)
@require_safe
def ledger(request):
    today = timezone.localdate()
    report = selectors.ledger_totals(today)
    show = request.GET.get("show")
    show = show if show in SECTIONS else "units"
    counts = {
        "units": selectors.LedgerUnits(today).count(),
        "waiting": selectors.refunds_under_way_count(),
        "gates": selectors.gates_open_count(),
        "dormant": selectors.dormant_count(today),
    }
    rows, shown = _section_rows(show, today)
    paginator = Paginator(rows, PER_PAGE)
    paginator.count = counts[show]  # counted above: not counted again
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "deposits/ledger/ledger.html",
        {
            "ledger": report,
            "labels": selectors.BUCKET_LABELS,
            "show": show,
            "sections": [(key, label, counts[key]) for key, label in SECTIONS.items()],
            "page": page,
            "rows": [shown(row) for row in page],
            "dormant_days": settings.DEPOSIT_DORMANT_DAYS,
            "target": settings.REFUND_TARGET_WORKING_DAYS,
        },
    )


urls = [
    path("ledger/", ledger, name="ledger"),
    path("ledger.xlsx", export_download, {"name": "deposit_ledger_xlsx"}, name="ledger_xlsx"),
    path("ledger.pdf", export_download, {"name": "deposit_ledger_pdf"}, name="ledger_pdf"),
]
