"""Finance's pages: the months of a year, a month's days and statement, its lock; a period."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.actions import action, checked
from config.dates import earliest_record_date
from config.exporters import ExportRefused, export_response, exporter
from fees.charts import figures_chart
from fees.exporters.statements import MonthForm, PeriodForm
from fees.forms.months import LockForm
from fees.selectors.days import withheld_dates
from fees.selectors.months import month_can_lock, year_overview
from fees.selectors.statements import month_bounds, month_figures, period_figures
from fees.services import months as service


def _month_or_404(year: int, month: int) -> None:
    """A month that exists, has begun and is not older than the records; else no page."""
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        raise Http404
    first = earliest_record_date().replace(day=1)
    if not first <= date(year, month, 1) <= timezone.localdate():
        raise Http404


@permission_required("fees.view_monthlock", raise_exception=True)
@require_safe
def finance_index(request):
    """The months of a year with their takings and lock; forms to open a month or a period."""
    month_form = MonthForm(request.GET if "month" in request.GET else None)
    if month_form.is_valid():
        year, month = month_form.cleaned_data["month"]
        return redirect("fees:finance_month", year, month)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    first_year = earliest_record_date().year
    year = min(max(year, first_year), today.year)
    withheld = withheld_dates(request.user, date(year, 1, 1), date(year, 12, 31))
    return render(
        request,
        "fees/months/index.html",
        {
            "year": year,
            "previous_year": year - 1 if year > first_year else None,
            "next_year": year + 1 if year < today.year else None,
            "months": list(reversed(year_overview(year, today=today, withheld=withheld))),
            "month_form": month_form,
            "period_form": PeriodForm(),
        },
    )


@permission_required("fees.view_monthlock", raise_exception=True)
@require_safe
def finance_month(request, year: int, month: int):
    _month_or_404(year, month)
    withheld = withheld_dates(request.user, *month_bounds(year, month))
    figures = month_figures(year, month, withheld=withheld)
    return render(
        request,
        "fees/months/month.html",
        {
            "figures": figures,
            "chart": figures_chart(figures),
            "year": year,
            "month": month,
            "title": _("Monthly fee statement %(month)s") % {"month": f"{year}-{month:02d}"},
            "lock": figures.lock,
            "check": month_can_lock(year, month) if figures.lock is None else None,
            "lock_form": LockForm(),
            "chain_query": urlencode(
                {
                    "date_from": figures.start.isoformat(),
                    "date_to": min(figures.end, timezone.localdate()).isoformat(),
                }
            ),
        },
    )


def _download(request, year: int, month: int, kind: str):
    _month_or_404(year, month)
    params = {"month": (year, month), "by": request.user}
    try:
        return export_response(exporter(f"month_statement_{kind}"), params)
    except ExportRefused as exc:
        messages.error(request, str(exc))
        return redirect("fees:finance_month", year, month)


@permission_required("fees.download_statement", raise_exception=True)
@require_safe
def month_xlsx(request, year: int, month: int):
    return _download(request, year, month, "xlsx")


@permission_required("fees.download_statement", raise_exception=True)
@require_safe
def month_pdf(request, year: int, month: int):
    return _download(request, year, month, "pdf")


@action("fees.lock_month", back="fees:finance_month")
def month_lock(request, year: int, month: int):
    _month_or_404(year, month)
    checked(LockForm(request.POST), invalid=_("Tick the confirmation to lock the month."))
    service.month_lock(by=request.user, year=year, month=month)
    return _("%(month)s is locked: its statement is frozen.") % {"month": f"{year}-{month:02d}"}


def _period(request):
    form = PeriodForm(request.GET if request.GET else None)
    if not form.is_valid():
        return form, None
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    withheld = withheld_dates(request.user, start, end)
    return form, period_figures(start, end, withheld=withheld)


@permission_required("fees.view_monthlock", raise_exception=True)
@require_safe
def finance_period(request):
    """The same figures for any period (not frozen, even when it covers locked months)."""
    form, figures = _period(request)
    return render(
        request,
        "fees/months/period.html",
        {
            "period_form": form,
            "figures": figures,
            "chart": figures_chart(figures) if figures else None,
            "query": request.GET.urlencode(),
        },
    )


def _period_download(request, kind: str):
    report = exporter(f"period_statement_{kind}")
    form = report.get_form(request.GET or None, user=request.user)
    if form is None or not form.is_valid():
        messages.error(request, _("Choose a valid period first."))
        return redirect("fees:finance_index")
    try:
        return export_response(report, {**form.cleaned_data, "by": request.user})
    except ExportRefused as exc:
        messages.error(request, str(exc))
        return redirect(reverse("fees:finance_period") + "?" + request.GET.urlencode())


@permission_required("fees.download_statement", raise_exception=True)
@require_safe
def period_xlsx(request):
    return _period_download(request, "xlsx")


@permission_required("fees.download_statement", raise_exception=True)
@require_safe
def period_pdf(request):
    return _period_download(request, "pdf")


urls = [
    path("finance/", finance_index, name="finance_index"),
    path("finance/period/", finance_period, name="finance_period"),
    path("finance/period/statement.xlsx", period_xlsx, name="finance_period_xlsx"),
    path("finance/period/statement.pdf", period_pdf, name="finance_period_pdf"),
    path("finance/<int:year>/<int:month>/", finance_month, name="finance_month"),
    path("finance/<int:year>/<int:month>/statement.xlsx", month_xlsx, name="finance_month_xlsx"),
    path("finance/<int:year>/<int:month>/statement.pdf", month_pdf, name="finance_month_pdf"),
    path("finance/<int:year>/<int:month>/lock/", month_lock, name="finance_month_lock"),
]
