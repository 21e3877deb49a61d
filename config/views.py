from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives.selectors import search_register
from config.home import home_sections
from config.roles import Role, user_roles
from fees.charts import month_chart_panel


def home(request):
    roles = user_roles(request.user)
    # The manager watches the month's takings as a chart above the panels.
    month_chart = (
        month_chart_panel(request.user, timezone.localdate()) if Role.MANAGER in roles else None
    )
    return render(
        request,
        "home.html",
        {
            "sections": home_sections(request.user, roles),
            "has_role": bool(roles),
            "month_chart": month_chart,
        },
    )


def search(request):
    """The header's search box: units and tenants, each only for a user who may read them
    (a department user may look up a unit, not the tenants' names and phones)."""
    may_see_units = request.user.has_perm("archives.view_unit")
    may_see_tenants = request.user.has_perm("archives.view_tenant")
    if not (may_see_units or may_see_tenants):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:50]
    results = search_register(query) if query else {"units": [], "tenants": []}
    return render(
        request,
        "search.html",
        {
            "query": query,
            "units": results["units"] if may_see_units else None,
            "tenants": results["tenants"] if may_see_tenants else None,
        },
    )


def area_index(request, *, title, intro):
    """The landing page of an area whose features arrive with a later release."""
    return render(request, "area_index.html", {"title": title, "intro": intro})


@login_not_required
def health(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})


AREAS = {
    "fees": (_("Fees"), _("Receipts, worker permits, charges and the daily close.")),
    "deposits": (_("Deposits"), _("Decoration applications, deposits and their refunds.")),
    "complaints": (_("Cases"), _("Complaints, enquiries and repair requests.")),
    "attendance": (_("Attendance"), _("Staff attendance, work diary and shift handover.")),
}
