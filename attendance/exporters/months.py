"""The monthly attendance sheet (考勤表) as Excel and as a landscape A4 PDF: the same grid,
totals and 《劳动法》 flags as the page (attendance.selectors.months)."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance.enums import LEAVE_SYMBOLS, LeaveKind
from attendance.selectors.months import MonthSheet, month_sheet
from config.excel import Column, Sheet, streamed_workbook
from config.exporters import MonthFileExporter, register
from config.fields import YearMonthField
from config.forms import BootstrapMixin
from config.pdf import render_pdf
from config.people import person_name

PERMISSION = "attendance.view_attendancerecord"
LEAVE_HEADERS = {
    LeaveKind.ANNUAL: "年假",
    LeaveKind.SICK: "病假",
    LeaveKind.PERSONAL: "事假",
    LeaveKind.TRIP: "出差",
    LeaveKind.COMPENSATORY: "调休",
}
TOTAL_HEADERS = [
    "出勤天数",
    "休息日出勤",
    "迟到次数",
    "迟到分钟",
    "早退次数",
    "早退分钟",
    "旷工天数",
    *LEAVE_HEADERS.values(),
    "加班小时",
]
LEGEND = (
    "√出勤 迟迟到 早早退 旷旷工 "
    + " ".join(f"{symbol}{LEAVE_HEADERS[kind]}" for kind, symbol in LEAVE_SYMBOLS.items())
    + " 休休息日 空白未登记"
)


class MonthForm(BootstrapMixin, forms.Form):
    """A calendar month that has begun, as year-month."""

    month = YearMonthField(min_year=2000)

    def clean_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"]
        if date(year, month, 1) > timezone.localdate():
            raise forms.ValidationError(_("This month has not begun yet."))
        return year, month


def total_values(row) -> list:
    totals = row.totals
    return [
        totals.present_days,
        totals.rest_days_worked,
        totals.late_count,
        totals.late_minutes,
        totals.early_count,
        totals.early_minutes,
        totals.absent_days,
        *(totals.leave_days[kind] for kind in LEAVE_HEADERS),
        totals.overtime_hours,
    ]


def sheet_xlsx(sheet: MonthSheet) -> bytes:
    """One row per person: name, shift, a column per day with its symbol, the totals and
    the breaches; a second sheet with the legend and the signature."""
    columns = [
        Column("姓名", width=10),
        Column("班次", width=8),
        *(Column(f"{day.day.day}日{'' if day.working else '休'}", width=4.5) for day in sheet.days),
        *(Column(header, "int", width=7, total=True) for header in TOTAL_HEADERS[:-1]),
        Column(TOTAL_HEADERS[-1], "money", width=8, total=True),
        Column("违反《劳动法》", width=40),
    ]
    rows = (
        [
            row.staff.name,
            row.staff.shift.name,
            *(cell.symbol for cell in row.cells),
            *total_values(row),
            "；".join(row.breaches),
        ]
        for row in sheet.rows
    )
    signed = sheet.signoff
    about = [
        ["考勤表", sheet.title],
        ["图例", LEGEND],
        ["经理签字", person_name(signed.signed_by) if signed else "未签字"],
        [
            "签字时间",
            timezone.localtime(signed.signed_at).strftime("%Y-%m-%d %H:%M") if signed else "",
        ],
    ]
    return streamed_workbook(
        Sheet(sheet.title, columns, rows, totals="合计"),
        Sheet("说明", [Column("项目", width=12), Column("内容", width=80)], about),
    )


def sheet_pdf(sheet: MonthSheet) -> bytes:
    return render_pdf(
        "attendance/pdf/month.html",
        {
            "title": sheet.title,
            "sheet": sheet,
            "rows": [(row, total_values(row)) for row in sheet.rows],
            "total_headers": TOTAL_HEADERS,
            "legend": LEGEND,
            "signature_roles": ["制表人", "经理"],
            "signer": sheet.signoff.signer_name if sheet.signoff else "",
        },
    )


class MonthSheetReport(MonthFileExporter):
    """A month's attendance sheet as one file."""

    code = "attendance_month"
    title = gettext_lazy("Attendance sheet")
    permission = PERMISSION
    form_class = MonthForm

    def file_title(self) -> str:
        return "考勤表"  # the sheet is printed in Chinese whatever the reader's language

    def xlsx(self, year: int, month: int) -> bytes:
        return sheet_xlsx(month_sheet(year, month))

    def pdf(self, year: int, month: int) -> bytes:
        return sheet_pdf(month_sheet(year, month))


register(MonthSheetReport("xlsx"))
register(MonthSheetReport("pdf"))
