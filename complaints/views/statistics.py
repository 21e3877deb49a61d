"""The monthly case statistics: a month picker (the previous month unless asked), the
figures as bar charts and tables, and their Excel and PDF files (the exporters')."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from complaints.charts import bar_chart
from complaints.exporters.statistics import (
    PERMISSION,
    StatisticsMonthForm,
    previous_month,
    report_title,
)
from complaints.selectors.statistics import month_statistics


@never_cache
@permission_required(PERMISSION, raise_exception=True)
@require_safe
def statistics(request):
    year, month = previous_month(timezone.localdate())
    form = StatisticsMonthForm(
        request.GET if "month" in request.GET else None,
        initial={"month": f"{year}-{month:02d}"},
    )
    stats = charts = None
    if form.is_bound and form.is_valid():
        year, month = form.cleaned_data["month"]
    if not form.is_bound or form.is_valid():
        stats = month_statistics(year, month)
        charts = [
            bar_chart(_("Cases by kind"), stats.by_kind),
            bar_chart(_("Cases by category"), stats.by_top_category),
            bar_chart(_("Cases by department"), stats.by_department),
            bar_chart(_("Cases by channel"), stats.by_channel),
            bar_chart(_("Callbacks by satisfaction"), stats.satisfaction),
        ]
    context = {
        "form": form,
        "stats": stats,
        "charts": charts,
        "title": report_title(stats) if stats else _("Case statistics"),
        "month_query": f"month={year}-{month:02d}",
    }
    return render(request, "complaints/statistics/page.html", context)


urls = [path("statistics/", statistics, name="statistics")]
