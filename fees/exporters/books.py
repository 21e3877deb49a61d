"""The gap report of the paper receipt books (收据本缺号报告) in Excel: every issued book
with numbers neither transcribed nor recorded as void."""

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from config.excel import XLSX_CONTENT_TYPE, Column, add_table_sheet, workbook_bytes
from config.exporters import Exporter, Progress, no_progress, register
from config.people import person_name
from fees.selectors.books import open_gaps

GAP_COLUMNS = [
    Column("收据本", width=22),
    Column("领用人", width=14),
    Column("领用日期", "date"),
    Column("交回日期", "date"),
    Column("号码数", "int", total=True),
    Column("已录入", "int", total=True),
    Column("已作废", "int", total=True),
    Column("未核销", "int", total=True),
    Column("未核销号码", width=60),
]


class BookGapReport(Exporter):
    name = "book_gaps_xlsx"
    label = format_lazy("{} (Excel)", gettext_lazy("Receipt book gap report"))
    permission = "fees.view_receiptbook"
    content_type = XLSX_CONTENT_TYPE

    def filename(self, params: dict) -> str:
        return f"收据本缺号报告 {timezone.localdate().isoformat()}.xlsx"

    def render(self, params: dict, out, progress: Progress = no_progress) -> None:
        rows = [
            [
                str(entry.book),
                person_name(entry.book.issued_to),
                entry.book.issued_on,
                entry.book.returned_on,
                entry.size,
                entry.used,
                entry.spoiled,
                entry.unaccounted,
                entry.ranges_text,
            ]
            for entry in open_gaps()
        ]
        wb = Workbook()
        add_table_sheet(wb, "收据本缺号", GAP_COLUMNS, rows, totals="合计")
        out.write(workbook_bytes(wb))


register(BookGapReport())
