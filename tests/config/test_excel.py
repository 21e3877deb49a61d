import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from config.excel import Column, add_table_sheet, set_text, workbook_bytes, workbook_response

INJECTED = ["=1+1", "+86 138", "-5", "@SUM(A1)"]
COLUMNS = [
    ("收据号", "text"),
    ("缴费人", "text", 20),
    ("金额", "money"),
    ("日期", "date"),
    ("收款时间", "datetime"),
    Column("张数", "int", total=True),
    ("占比", "percent"),
]


def sample_rows():
    # 02:30 UTC is 10:30 on the desk's clock in Shanghai.
    paid_at = datetime(2025, 1, 5, 2, 30, tzinfo=UTC)
    amounts = [Decimal("1234.50"), Decimal("10"), Decimal("0.05"), Decimal("-35.00")]
    return [
        [f"R{n:03}", payer, amount, date(2025, 1, 5), paid_at, 1, Decimal("0.25")]
        for n, (payer, amount) in enumerate(zip(INJECTED, amounts, strict=True), start=1)
    ]


@pytest.fixture
def saved():
    """The workbook written to bytes, and both the bytes and the sheet read back."""
    wb = Workbook()
    add_table_sheet(wb, "收费明细 2025/01", COLUMNS, sample_rows(), totals="合计")
    content = workbook_bytes(wb)
    return content, load_workbook(io.BytesIO(content)).active


def test_user_text_that_looks_like_a_formula_stays_text(saved):
    _, ws = saved

    for row, text in enumerate(INJECTED, start=2):
        cell = ws.cell(row=row, column=2)
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix


def test_the_file_holds_formulas_only_in_the_totals_row(saved):
    content, _ = saved

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert xml.count("<f>") == 2
    assert "<f>SUM(C2:C5)</f>" in xml
    assert "<f>SUM(F2:F5)</f>" in xml


def test_numbers_and_dates_are_real_values_with_formats(saved):
    _, ws = saved

    money = ws["C2"]
    assert money.value == Decimal("1234.50")
    assert money.data_type == "n"
    assert money.number_format == "#,##0.00"
    assert ws["C5"].value == -35
    assert ws["D2"].value == datetime(2025, 1, 5)
    assert ws["D2"].is_date
    assert ws["D2"].number_format == "yyyy-mm-dd"
    assert ws["E2"].value == datetime(2025, 1, 5, 10, 30)
    assert ws["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["F2"].value == 1
    assert ws["F2"].number_format == "0"
    assert ws["G2"].value == 0.25
    assert ws["G2"].number_format == "0.00%"


def test_header_frozen_filtered_and_totalled(saved):
    _, ws = saved

    assert ws.title == "收费明细 2025_01"  # "/" is not allowed in sheet names
    assert [c.value for c in ws[1]] == [c[0] if isinstance(c, tuple) else c.header for c in COLUMNS]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G5"
    assert ws.column_dimensions["B"].width == 20
    assert ws["A6"].value == "合计"
    assert ws["C6"].value == "=SUM(C2:C5)"
    assert ws["C6"].data_type == "f"
    assert ws["C6"].number_format == "#,##0.00"
    assert ws["F6"].value == "=SUM(F2:F5)"
    assert ws["B6"].value is None
    assert ws["G6"].value is None


def test_default_sheet_is_reused_and_more_sheets_are_added():
    wb = Workbook()
    add_table_sheet(wb, "一", [("A", "text")], [["x"]])
    add_table_sheet(wb, "二", [("A", "text")], [])

    assert wb.sheetnames == ["一", "二"]
    assert wb["二"].auto_filter.ref == "A1:A1"


def test_empty_table_totals_to_zero():
    wb = Workbook()
    ws = add_table_sheet(wb, "空", [("名称", "text"), ("金额", "money")], [], totals="合计")

    assert ws["B2"].value == 0
    assert ws["A2"].value == "合计"


@pytest.mark.parametrize("text", [*INJECTED, "\t=cmd", "普通文字", ""])
def test_set_text_forces_a_string_cell(text):
    cell = Workbook().active["A1"]
    set_text(cell, text)

    assert cell.value == text
    assert cell.data_type == "s"


def test_set_text_drops_characters_xml_cannot_hold():
    cell = Workbook().active["A1"]
    set_text(cell, "租户\x00名称\x1f")

    assert cell.value == "租户名称"


def test_rows_must_match_the_columns():
    with pytest.raises(ValueError):
        add_table_sheet(Workbook(), "表", [("A", "text"), ("B", "money")], [["only one"]])


def test_numeric_columns_reject_non_numbers():
    with pytest.raises(TypeError):
        add_table_sheet(Workbook(), "表", [("金额", "money")], [[True]])


def test_workbook_response_is_an_xlsx_attachment():
    response = workbook_response(Workbook(), "押金台账.xlsx")

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="download.xlsx"; '
        "filename*=UTF-8''%E6%8A%BC%E9%87%91%E5%8F%B0%E8%B4%A6.xlsx"
    )
    assert load_workbook(io.BytesIO(response.content)).sheetnames
