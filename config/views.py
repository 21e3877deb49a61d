from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from config.health import health_checks
from config.home import home_sections, wide_panels
from config.roles import user_roles


@require_safe
def home(request):
    roles = user_roles(request.user)
    return render(
        request,
        "home.html",
        {
            "sections": home_sections(request.user, roles),
            "has_role": bool(roles),
            "wide_panels": wide_panels(request.user, roles),
        },
    )


@login_not_required
@require_safe
def health(request):
    """For monitors, without a login: each check of config.health as true or false, and
    503 when one fails. Nothing else (no version, path or count) is told."""
    checks = health_checks()
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks},
        status=200 if healthy else 503,
    )


AREAS = {
    "fees": (_("Fees"), _("Receipts, worker permits, charges and the daily close.")),
    "deposits": (_("Deposits"), _("Decoration applications, deposits and their refunds.")),
    "complaints": (_("Cases"), _("Complaints, enquiries and repair requests.")),
}
