"""The monthly sheet: the page, its Excel and PDF files, the list of months, and the
manager's signature that locks a month."""

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from attendance.exporters.months import (
    LEGEND,
    TOTAL_HEADERS,
    MonthSheetReport,
    total_values,
)
from attendance.selectors.months import month_sheet, recent_months
from attendance.services.months import SIGN, month_sign
from config.actions import action
from config.dates import earliest_record_date
from config.exporters import export_response

VIEW = "attendance.view_attendancerecord"
XLSX, PDF = MonthSheetReport("xlsx"), MonthSheetReport("pdf")


def _month(year: int, month: int) -> tuple[int, int]:
    """A month that has begun and is not before the first records, else 404."""
    if not 1 <= month <= 12 or year < 2000:
        raise Http404
    first = date(year, month, 1)
    if first > timezone.localdate() or first < earliest_record_date().replace(day=1):
        raise Http404
    return year, month


@permission_required(VIEW, raise_exception=True)
@require_safe
@never_cache
def month_list(request):
    return render(
        request,
        "attendance/months/list.html",
        {"title": _("Attendance sheets"), "months": recent_months(timezone.localdate())},
    )


@permission_required(VIEW, raise_exception=True)
@require_safe
@never_cache
def month_sheet_page(request, year: int, month: int):
    sheet = month_sheet(*_month(year, month))
    today = timezone.localdate()
    over = date(year, month, 1) <= today and (year, month) < (today.year, today.month)
    return render(
        request,
        "attendance/months/sheet.html",
        {
            "title": sheet.title,
            "sheet": sheet,
            "rows": [(row, total_values(row)) for row in sheet.rows],
            "total_headers": TOTAL_HEADERS,
            "legend": LEGEND,
            "can_sign": over and sheet.signoff is None and request.user.has_perm(SIGN),
        },
    )


@permission_required(VIEW, raise_exception=True)
@require_safe
def month_xlsx(request, year: int, month: int):
    return export_response(XLSX, {"month": _month(year, month), "by": request.user})


@permission_required(VIEW, raise_exception=True)
@require_safe
def month_pdf(request, year: int, month: int):
    return export_response(PDF, {"month": _month(year, month), "by": request.user})


def _sheet_url(year: int, month: int) -> str:
    return reverse("attendance:month_sheet", args=[year, month])


@action(SIGN, back=_sheet_url)
def month_sign_view(request, year: int, month: int):
    signed = month_sign(by=request.user, year=year, month=month)
    return _("%(month)s signed: its attendance is locked.") % {"month": str(signed)}


urls = [
    path("months/", month_list, name="month_list"),
    path("months/<int:year>/<int:month>/", month_sheet_page, name="month_sheet"),
    path("months/<int:year>/<int:month>/xlsx/", month_xlsx, name="month_xlsx"),
    path("months/<int:year>/<int:month>/pdf/", month_pdf, name="month_pdf"),
    path("months/<int:year>/<int:month>/sign/", month_sign_view, name="month_sign"),
]
