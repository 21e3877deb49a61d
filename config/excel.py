"""Excel exports: one sheet per table, real numbers and dates, Chinese headers.

Every cell is written through :func:`write_cell`, and every string through
:func:`set_text`, the single place that stops export injection: text typed by users
(tenant names, complaint notes...) is stored as a string cell, never as a formula, even
when it starts with ``=``, ``+``, ``-`` or ``@``.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from config.downloads import file_response

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NUMBER_FORMATS = {
    "money": "#,##0.00",
    "int": "0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "percent": "0.00%",
}
DEFAULT_WIDTHS = {"text": 14, "money": 14, "int": 8, "date": 12, "datetime": 17, "percent": 9}
# Leading characters that spreadsheet programs read as the start of a formula (OWASP's
# CSV-injection list, tab and carriage return included).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel's sheet names: at most 31 characters, none of these.
SHEET_TITLE_FORBIDDEN = str.maketrans({ch: "_" for ch in "[]:*?/\\"})

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header, its kind (see NUMBER_FORMATS, or "text"),
    its width in Excel character units (None: from the header and kind), and whether
    the totals row sums it (None: money columns only)."""

    header: str
    kind: str = "text"
    width: float | None = None
    total: bool | None = None

    def __post_init__(self):
        if self.kind != "text" and self.kind not in NUMBER_FORMATS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def summed(self) -> bool:
        return self.kind == "money" if self.total is None else self.total

    @property
    def display_width(self) -> float:
        if self.width is not None:
            return self.width
        # Hanzi are about two character units wide in Excel's default font.
        header_width = sum(1 if ch.isascii() else 2 for ch in self.header) + 2
        return max(header_width, DEFAULT_WIDTHS[self.kind])


def set_text(cell: Cell, value: str) -> None:
    """Store ``value`` as a plain string cell: THE export-injection guard.

    openpyxl turns any str starting with "=" into a formula, so the type is forced back
    to string. Text that merely looks like a formula also gets Excel's quote prefix (the
    hidden apostrophe) so that it stays text when someone edits the cell.
    """
    if not isinstance(value, str):
        raise TypeError(f"set_text expects str, got {type(value).__name__}")
    # Control characters cannot be stored in XML at all; openpyxl would raise.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def write_cell(cell: Cell, value, kind: str = "text") -> None:
    """Write one value as the column's kind asks; every export cell goes through here."""
    if value is None:
        cell.value = None
    elif kind == "text" or isinstance(value, str):
        # A str in a numeric column is written as text too: it is still user text.
        set_text(cell, value if isinstance(value, str) else str(value))
    elif kind in ("money", "percent"):
        cell.value = _number(value)
    elif kind == "int":
        cell.value = int(_number(value))
    elif kind == "date":
        cell.value = _local_date(value)
    elif kind == "datetime":
        cell.value = _local_naive(value)
    else:
        raise ValueError(f"unknown column kind {kind!r}")
    if kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]


def _number(value) -> Decimal | int | float:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return value


def _local_naive(value: datetime) -> datetime:
    """Excel has no time zones: write what the wall clock in Shanghai showed."""
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {value!r}")
    if timezone.is_aware(value):
        value = timezone.localtime(value, timezone.get_default_timezone())
    return value.replace(tzinfo=None)


def _local_date(value: date) -> date:
    if isinstance(value, datetime):
        return _local_naive(value).date()
    if not isinstance(value, date):
        raise TypeError(f"expected a date, got {value!r}")
    return value


def _sheet_title(title: str) -> str:
    return title.translate(SHEET_TITLE_FORBIDDEN)[:31] or "Sheet"


def _take_sheet(wb: Workbook, title: str):
    """A new sheet; a fresh Workbook's blank default sheet is reused instead of left empty."""
    sheets = wb.worksheets
    if len(sheets) == 1 and sheets[0].max_row == 1 and sheets[0].cell(1, 1).value is None:
        sheets[0].title = title
        return sheets[0]
    return wb.create_sheet(title)


def add_table_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column | tuple],
    rows: Iterable[Sequence],
    *,
    totals: str | None = None,
):
    """Add a sheet holding one table and return it.

    ``columns`` are :class:`Column` objects or tuples of its fields, e.g.
    ``("金额", "money", 14)``. ``rows`` are sequences of values in column order.
    With ``totals`` (its label, e.g. "合计"), a row below the data sums the money
    columns (or those with ``total=True``) with SUM formulas.

    A ``Workbook(write_only=True)`` gets the same sheet streamed row by row (memory stays
    flat for tens of thousands of rows); the sheet returned then takes no further edits.
    """
    columns = [c if isinstance(c, Column) else Column(*c) for c in columns]
    if wb.write_only:
        return _add_streamed_sheet(wb, _sheet_title(title), columns, rows, totals=totals)
    ws = _take_sheet(wb, _sheet_title(title))

    for index, column in enumerate(columns, start=1):
        _write_header(ws.cell(row=1, column=index), column)
        ws.column_dimensions[get_column_letter(index)].width = column.display_width

    last_row = 1
    for last_row, values in enumerate(rows, start=2):
        if len(values) != len(columns):
            raise ValueError(f"row {last_row} has {len(values)} values for {len(columns)} columns")
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            write_cell(ws.cell(row=last_row, column=index), value, column.kind)

    _finish_sheet(ws, columns, last_row)
    if totals is not None:
        _add_totals_row(ws, columns, totals, first_row=2, last_row=last_row)
    return ws


def _write_header(cell: Cell, column: Column) -> None:
    set_text(cell, column.header)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _finish_sheet(ws, columns: list[Column], last_row: int) -> None:
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    # Printed copies repeat the header on every page and fit the page width.
    ws.print_title_rows = "1:1"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _add_streamed_sheet(wb: Workbook, title: str, columns: list[Column], rows, *, totals):
    """add_table_sheet for a write-only workbook: rows are appended, never revisited."""
    ws = wb.create_sheet(title)
    # A streamed sheet writes its widths and panes before the first row.
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.display_width
    _finish_sheet(ws, columns, 1)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws)
        _write_header(cell, column)
        header.append(cell)
    ws.append(header)
    last_row = 1
    for last_row, values in enumerate(rows, start=2):
        if len(values) != len(columns):
            raise ValueError(f"row {last_row} has {len(values)} values for {len(columns)} columns")
        ws.append(
            [
                _streamed_value(ws, value, column.kind)
                for column, value in zip(columns, values, strict=True)
            ]
        )
    # The filter's range is written after the rows, so it can take the last row now.
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    if totals is not None:
        cells = [WriteOnlyCell(ws) for _column in columns]
        _fill_totals(cells, columns, totals, first_row=2, last_row=last_row)
        ws.append(cells)
    return ws


def _streamed_value(ws, value, kind: str):
    """A cell for the write-only sheet, or the bare value where that is just as safe: plain
    text that no spreadsheet reads as a formula (most of a big export's cells) skips the
    cost of a styled cell object."""
    if value is None:
        return None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value.startswith(FORMULA_TRIGGERS):
            return value
    cell = WriteOnlyCell(ws)
    write_cell(cell, value, kind)
    return cell


def _add_totals_row(ws, columns: list[Column], label: str, *, first_row: int, last_row: int):
    row = last_row + 1
    cells = [ws.cell(row=row, column=index) for index in range(1, len(columns) + 1)]
    _fill_totals(cells, columns, label, first_row=first_row, last_row=last_row)


def _fill_totals(cells, columns: list[Column], label: str, *, first_row: int, last_row: int):
    for index, (cell, column) in enumerate(zip(cells, columns, strict=True), start=1):
        cell.font = HEADER_FONT
        if column.summed:
            letter = get_column_letter(index)
            # With no data rows the range would run upwards into the header.
            cell.value = (
                f"=SUM({letter}{first_row}:{letter}{last_row})" if last_row >= first_row else 0
            )
            if column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
    if cells[0].value is None:
        set_text(cells[0], label)


@dataclass
class Sheet:
    """One table of :func:`streamed_workbook`; ``rows`` may be a generator, read once."""

    title: str
    columns: Sequence[Column | tuple]
    rows: Iterable[Sequence]
    totals: str | None = None


def streamed_workbook(*sheets: Sheet) -> bytes:
    """A write-only workbook of these sheets: rows are written as they come and not kept,
    so a year of receipts stays within a few tens of MB."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        add_table_sheet(wb, sheet.title, sheet.columns, sheet.rows, totals=sheet.totals)
    return workbook_bytes(wb)


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook_response(wb: Workbook, filename: str) -> HttpResponse:
    return file_response(workbook_bytes(wb), filename, XLSX_CONTENT_TYPE)
