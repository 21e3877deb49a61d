"""The monthly fee statement (办证收费及其它收费统计表) as Excel and PDF, for a month or any
period, and the frozen files of a locked month (their figures: fees.selectors.statements).

Every later download of a locked month is the file stored at its lock, checked against
the SHA-256 taken then. The statement is a Chinese document whatever the reader's
language: its headers and labels are fixed Chinese text, not gettext.
"""

import hashlib
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from config.centre import current_centre
from config.dates import earliest_record_date
from config.excel import XLSX_CONTENT_TYPE, Column, add_table_sheet, workbook_bytes
from config.exporters import Exporter, ExportRefused, Period, Progress, no_progress, register
from config.fields import YearMonthField
from config.forms import BootstrapMixin, DatePeriodForm
from config.pdf import render_pdf
from config.people import person_name
from fees.models import MonthLock
from fees.selectors.days import withheld_dates
from fees.selectors.statements import (
    METHOD_NAMES,
    METHODS,
    DayRow,
    Figures,
    month_bounds,
    month_figures,
    period_figures,
    receipt_detail_rows,
)

TITLE = "办证收费及其它收费统计表"
SIGNATURE_ROLES = ["制表人", "复核人", "财务负责人"]
UNLOCKED_NOTE = "未锁定：本表为临时统计，月结锁定后以锁定版为准"
COUNTING_RULE = "作废收据列出但不计入；红冲收据在其开具当日以负数计入"
FLOAT_RULE = "实点合计与点款差额不含备用金；交款现金＝实点现金－留存备用金"
# About half a minute of Excel writing on a slow server (~0.5 ms a receipt): longer
# periods are taken month by month (each month's file is frozen at its lock anyway).
MAX_EXCEL_RECEIPTS = 40_000


class StatementIntegrityError(Exception):
    """A locked month's stored file no longer matches the checksum taken when it was locked."""


def locked_note(by, when) -> str:
    return f"已锁定：{person_name(by)} 于 {when:%Y-%m-%d %H:%M} 月结锁定，此后的更正以红冲计入次月"


def chain_note(head: tuple[str, str] | None) -> str:
    """Where the receipt chain stood at a locked month's end (fees.chain), as printed."""
    if head is None:
        return "截至月末尚无收据"
    number, digest = head
    return f"截至收据 {number}，其 SHA-256 链值 {digest}"


# --- Excel -------------------------------------------------------------------------------

DETAIL_COLUMNS = [
    Column("收据号", width=13),
    Column("营业日期", "date"),
    Column("开具时间", "datetime"),
    Column("付款人", width=26),
    Column("铺位"),
    Column("收费项目", width=26),
    Column("付款方式"),
    Column("交易参考号", width=16),
    Column("收款人"),
    Column("票面金额", "money", total=False),
    Column("计入金额", "money"),
    Column("状态", width=8),
    Column("备注", width=36),
]


def too_big_for_excel(figures: Figures) -> bool:
    return figures.receipt_count + figures.void_count > MAX_EXCEL_RECEIPTS


def _shown(day: DayRow, values: list) -> list:
    """A withheld day's cells stay empty: a 0.00 would say that nothing was taken."""
    return [None] * len(values) if day.withheld else values


def figures_xlsx(figures: Figures) -> bytes:
    """One sheet per view; real numbers with formats, frozen header, filters, SUM totals."""
    centre = current_centre()
    wb = Workbook(write_only=True)
    wb.properties.title = f"{TITLE} {figures.period}"
    wb.properties.creator = centre.name

    fee_columns = [Column(fee.name_zh, "money") for fee in figures.fee_types]
    add_table_sheet(
        wb,
        "按日按收费项目",
        [
            Column("日期", "date"),
            Column("日结状态", width=12),
            *fee_columns,
            Column("合计", "money"),
            Column("收据张数", "int", total=True),
            Column("作废张数", "int", total=True),
        ],
        (
            [
                day.date,
                day.state_zh,
                *_shown(day, [*day.by_fee, day.fee_total, day.receipts, day.voids]),
            ]
            for day in figures.days
        ),
        totals="合计",
    )
    add_table_sheet(
        wb,
        "按付款方式",
        [
            Column("日期", "date"),
            *(Column(METHOD_NAMES[m], "money") for m in METHODS),
            Column("合计", "money"),
        ],
        ([day.date, *_shown(day, [*day.by_method, day.total])] for day in figures.days),
        totals="合计",
    )
    add_table_sheet(
        wb,
        "收据明细",
        DETAIL_COLUMNS,
        receipt_detail_rows(figures.start, figures.end, withheld=frozenset(figures.withheld)),
        totals="合计",
    )
    add_table_sheet(
        wb,
        "折扣明细",
        [
            Column("收据号", width=13),
            Column("营业日期", "date"),
            Column("付款人", width=26),
            Column("收费项目", width=16),
            Column("数量", "int", total=False),
            Column("单价", "money", total=False),
            Column("折扣金额", "money"),
            Column("折扣原因", width=30),
            Column("超限批准人"),
            Column("备注", width=16),
        ],
        (
            [
                row.receipt.number,
                row.receipt.business_date,
                row.receipt.payer_name,
                row.line.fee_type.name_zh,
                row.line.quantity,
                row.line.unit_price,
                row.amount,
                row.line.discount_reason,
                row.approver,
                row.note_zh,
            ]
            for row in figures.discounts
        ),
        totals="合计",
    )
    add_table_sheet(
        wb,
        "日结与交款",
        [
            Column("日期", "date"),
            Column("日结状态", width=12),
            Column("系统合计", "money"),
            Column("日结应收", "money"),
            Column("实点合计", "money"),
            Column("点款差额", "money"),
            Column("差额说明", width=30),
            Column("交款现金", "money"),
            Column("财务实收", "money"),
            Column("交款差额", "money"),
            Column("款袋/封条号", width=14),
            Column("交款差异签认", width=26),
            Column("提交人"),
            Column("审核人"),
            Column("收款人"),
            Column("期初备用金", "money", total=False),
            Column("留存备用金", "money", total=False),
            Column("重新清点次数", "int", total=False),
        ],
        (
            [
                row.date,
                row.state_zh,
                row.system_total,
                row.expected_total,
                row.counted_total,
                row.count_difference,
                row.explanations_zh,
                row.cash_handed,
                row.cash_received,
                row.handover_difference,
                row.handover.bag_number if row.handover else "",
                row.discrepancy_zh,
                person_name(row.close.submitted_by),
                person_name(row.close.approved_by),
                person_name(row.handover.received_by) if row.handover else "",
                row.opening_float,
                row.float_left,
                row.recounts,
            ]
            for row in figures.closes
        ),
        totals="合计",
    )
    add_table_sheet(
        wb,
        "说明",
        [Column("项目", width=14), Column("内容", width=60)],
        [
            ["报表", TITLE],
            ["单位", centre.name],
            ["地址", centre.address],
            ["电话", centre.telephone],
            ["统计期间", figures.period],
            ["生成时间", f"{figures.generated_at:%Y-%m-%d %H:%M}"],
            ["状态", figures.status_note or UNLOCKED_NOTE],
            *([["收据链", figures.chain_note]] if figures.chain_note else []),
            ["计入收据", f"{figures.receipt_count} 张（含红冲 {figures.reversal_count} 张）"],
            ["作废收据", f"{figures.void_count} 张，票面 {figures.void_total:,.2f} 元，不计入"],
            ["口径", COUNTING_RULE],
            ["备用金", FLOAT_RULE],
            *([["未清点日期", figures.withheld_note]] if figures.withheld else []),
        ],
    )
    return workbook_bytes(wb)


# --- PDF ---------------------------------------------------------------------------------


def figures_pdf(figures: Figures) -> bytes:
    """The summary only (by day × fee, by method, closes, discounts); the detail is in Excel."""
    return render_pdf(
        "fees/pdf/statement.html",
        {
            "title": f"{TITLE}（{figures.period}）",
            "figures": figures,
            "status_note": figures.status_note or UNLOCKED_NOTE,
            "counting_rule": COUNTING_RULE,
            "float_rule": FLOAT_RULE,
            "generated_at": figures.generated_at,
            "signature_roles": SIGNATURE_ROLES,
        },
    )


# --- a month's files ---------------------------------------------------------------------


def statement_xlsx(year: int, month: int) -> bytes:
    """A fresh build from today's data (a locked month's frozen file: statement_file)."""
    return figures_xlsx(month_figures(year, month))


def statement_pdf(year: int, month: int) -> bytes:
    return figures_pdf(month_figures(year, month))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _stored(lock: MonthLock, kind: str) -> bytes:
    field_file = lock.statement_xlsx if kind == "xlsx" else lock.statement_pdf
    expected = lock.xlsx_sha256 if kind == "xlsx" else lock.pdf_sha256
    with field_file.open("rb") as handle:
        content = handle.read()
    if sha256(content) != expected:
        raise StatementIntegrityError(f"{lock} {kind}: the stored file does not match its SHA-256")
    return content


def statement_file(
    year: int, month: int, kind: str, *, withheld: frozenset[date] = frozenset()
) -> bytes:
    """The month's statement as "xlsx" or "pdf": the frozen file once the month is locked
    (every day of a locked month is counted, so it has no day to withhold)."""
    if kind not in ("xlsx", "pdf"):
        raise ValueError(f"unknown statement kind {kind!r}")
    lock = MonthLock.objects.filter(year=year, month=month).first()
    if lock is not None:
        return _stored(lock, kind)
    figures = month_figures(year, month, withheld=withheld)
    return figures_xlsx(figures) if kind == "xlsx" else figures_pdf(figures)


def statement_files(year: int, month: int) -> tuple[bytes, bytes]:
    """(xlsx, pdf) of the month: the frozen files once it is locked, else built now from one
    reading of the figures (for the audit pack, which bundles both)."""
    lock = MonthLock.objects.filter(year=year, month=month).first()
    if lock is not None:
        return _stored(lock, "xlsx"), _stored(lock, "pdf")
    figures = month_figures(year, month)
    return figures_xlsx(figures), figures_pdf(figures)


def statement_filename(period: str, kind: str) -> str:
    """e.g. 办证收费及其它收费统计表-2026-05.xlsx"""
    return f"{TITLE}-{period}.{kind}"


# --- the exporters and their parameters (the finance pages ask the same) ------------------

MAX_PERIOD_DAYS = 366


class MonthForm(BootstrapMixin, forms.Form):
    """A month of the records, as year-month: the month statement's parameter."""

    month = YearMonthField()

    def clean_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"]
        first, last = earliest_record_date().replace(day=1), timezone.localdate()
        if not first <= date(year, month, 1) <= last:
            raise forms.ValidationError(
                _("Enter a month from %(first)s to %(last)s."),
                params={"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"},
            )
        return year, month


class PeriodForm(DatePeriodForm):
    """Any period of at most MAX_PERIOD_DAYS: the period statement's parameters."""

    max_days = MAX_PERIOD_DAYS


CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "pdf": "application/pdf"}
KIND_LABELS = {"xlsx": "Excel", "pdf": "PDF"}


class MonthStatement(Exporter):
    """A month's statement: the frozen file once the month is locked, else built now without
    the days its reader may not see yet (the blind count, fees.selectors.days)."""

    permission = "fees.download_statement"
    form_class = MonthForm

    def __init__(self, kind: str, *, pack_order: int | None = None):
        self.kind = kind
        self.name = f"month_statement_{kind}"
        self.label = format_lazy("{} ({})", gettext_lazy("Monthly statement"), KIND_LABELS[kind])
        self.content_type = CONTENT_TYPES[kind]
        self.pack_order = pack_order

    def filename(self, params: dict) -> str:
        year, month = params["month"]
        return statement_filename(f"{year}-{month:02d}", self.kind)

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        year, month = params["month"]
        by = params.get("by")
        withheld = withheld_dates(by, *month_bounds(year, month)) if by else frozenset()
        try:
            content = statement_file(year, month, self.kind, withheld=withheld)
        except StatementIntegrityError as exc:
            raise ExportRefused(
                _(
                    "The frozen statement file of this month does not match its checksum: it "
                    "was changed after the lock. Restore it from the backup before anyone "
                    "uses it."
                )
            ) from exc
        out.write(content)

    def pack_part(self, period: Period) -> "StatementsPart":
        return StatementsPart(period)


class StatementsPart:
    """The pack's statements: both files of every month the period touches (the frozen ones
    of a locked month), month by month."""

    COST = 30  # a month's two files, in receipt pages

    def __init__(self, period: Period):
        self.months = period.months
        self.cost = len(self.months) * self.COST

    def write(self, pack) -> None:
        for year, month in self.months:
            xlsx, pdf = statement_files(year, month)
            pack.add(f"statement_{year}-{month:02d}.xlsx", xlsx)
            pack.add(f"statement_{year}-{month:02d}.pdf", pdf)
            pack.advance(
                self.COST,
                format_lazy(gettext_lazy("Monthly statement {month}"), month=f"{year}-{month:02d}"),
            )

    def summary(self) -> str:
        return ""


class PeriodStatement(Exporter):
    """The same figures for any period (never frozen, even over locked months)."""

    permission = "fees.download_statement"
    form_class = PeriodForm

    def __init__(self, kind: str):
        self.kind = kind
        self.name = f"period_statement_{kind}"
        self.label = format_lazy(
            "{} ({})", gettext_lazy("Statement of a period"), KIND_LABELS[kind]
        )
        self.content_type = CONTENT_TYPES[kind]

    def filename(self, params: dict) -> str:
        return statement_filename(f"{params['date_from']}_{params['date_to']}", self.kind)

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        start, end, by = params["date_from"], params["date_to"], params.get("by")
        withheld = withheld_dates(by, start, end) if by else frozenset()
        figures = period_figures(start, end, withheld=withheld)
        if self.kind == "pdf":
            out.write(figures_pdf(figures))
            return
        if too_big_for_excel(figures):
            raise ExportRefused(
                _("This period holds too many receipts for one Excel file: take it month by month.")
            )
        out.write(figures_xlsx(figures))


# The xlsx carries the pack's section, which brings both files of each month.
register(MonthStatement("xlsx", pack_order=60))
register(MonthStatement("pdf"))
register(PeriodStatement("xlsx"))
register(PeriodStatement("pdf"))
