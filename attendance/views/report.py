"""The daily report to the manager (每日情况汇报): a page and its PDF, for any date."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from attendance.selectors.report import daily_report
from config.fields import BoundedDateField
from config.forms import BootstrapMixin
from config.pdf import pdf_response, render_pdf

VIEW = "attendance.view_daily_report"


class ReportDayForm(BootstrapMixin, forms.Form):
    # From the centre's first records to today (a report of a day to come is empty).
    day = BoundedDateField(label=gettext_lazy("date"))


def _report_of(request):
    """The report of the day asked for (today when none, or a bad one, with its message)."""
    today = timezone.localdate()
    form = ReportDayForm(request.GET or {"day": today})
    day = form.cleaned_data["day"] if form.is_valid() else today
    return form, daily_report(request.user, day, today)


@permission_required(VIEW, raise_exception=True)
@require_safe
@never_cache
def report_page(request):
    form, report = _report_of(request)
    title = _("Daily report %(day)s") % {"day": report.day.isoformat()}
    return render(
        request, "attendance/report/page.html", {"title": title, "form": form, "report": report}
    )


@permission_required(VIEW, raise_exception=True)
@require_safe
def report_pdf(request):
    _form, report = _report_of(request)
    with translation.override("zh-hans"):
        pdf = render_pdf(
            "attendance/pdf/report.html",
            {"title": f"客服中心每日情况汇报 {report.day:%Y-%m-%d}", "report": report},
            request=request,
        )
    return pdf_response(pdf, f"每日汇报-{report.day:%Y%m%d}.pdf")


urls = [
    path("report/", report_page, name="report"),
    path("report/pdf/", report_pdf, name="report_pdf"),
]
