"""The deposit ledger (保证金台账): what is held by unit and age, dormant deposits, refunds
waiting at each step and open gates without a request, each with its refund clock. Its
Excel and PDF files are exporters (deposits.exporters.ledger)."""

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from config.exporters import export_download
from deposits.selectors import ledger as selectors

# Units a page of the ledger shows; the lists below it show their first rows (their files
# hold them all).
UNITS_PER_PAGE = 50
LIST_ROWS = 50


@permission_required("deposits.view_deposit", raise_exception=True)
@require_safe
def ledger(request):
    today = timezone.localdate()
    report = selectors.deposit_ledger(today)
    units = Paginator(report.rows, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    dormant = selectors.dormant_deposits(today)
    gates = selectors.gates_waiting(today, limit=LIST_ROWS)
    return render(
        request,
        "deposits/ledger/ledger.html",
        {
            "ledger": report,
            "units": units,
            "labels": selectors.BUCKET_LABELS,
            "dormant": [(d, selectors.dormant_days(d, today)) for d in dormant[:LIST_ROWS]],
            "dormant_count": dormant.count(),
            "dormant_days": settings.DEPOSIT_DORMANT_DAYS,
            "waiting": selectors.refunds_waiting(today, limit=LIST_ROWS),
            "waiting_count": selectors.refunds_under_way_count(),
            "gates": gates.rows,
            "gates_count": gates.count,
            "target": settings.REFUND_TARGET_WORKING_DAYS,
            "list_rows": LIST_ROWS,
        },
    )


urls = [
    path("ledger/", ledger, name="ledger"),
    path("ledger.xlsx", export_download, {"name": "deposit_ledger_xlsx"}, name="ledger_xlsx"),
    path("ledger.pdf", export_download, {"name": "deposit_ledger_pdf"}, name="ledger_pdf"),
]
