"""The monthly fee statement: its figures tie out, and its Excel and PDF carry them."""

import csv
import io
import os
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from config.excel import XLSX_CONTENT_TYPE
from fees.charts import figures_chart, month_chart_panel
from fees.enums import DayState, ReceiptStatus
from fees.exporters import statements
from fees.exporters.statements import figures_pdf, figures_xlsx
from fees.models import DailyClose, Receipt
from fees.selectors.statements import METHODS, month_bounds, month_figures, period_figures
from tests.factories.finance import build_month, issue, move

pytestmark = pytest.mark.django_db
D = Decimal
E2E_REQUIRED = os.environ.get("E2E_REQUIRED", "").lower() in {"1", "true", "yes"}
SHEETS = ["按日按收费项目", "按付款方式", "收据明细", "折扣明细", "日结与交款", "说明"]


@pytest.fixture
def month(assistant, manager, finance, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_month(assistant, manager, finance)


@pytest.fixture
def figures(month):
    return month_figures(month.year, month.month)


def by_code(figures, amounts):
    return {fee.code: amount for fee, amount in zip(figures.fee_types, amounts, strict=True)}


# --- figures -----------------------------------------------------------------------------


def test_the_month_ties_out_to_its_days_and_their_receipts(month, figures):
    assert figures.total == D("350.00")
    totals = by_code(figures, figures.fee_totals)
    assert (totals["permit_fee"], totals["card_fee"], totals["waste_removal"]) == (
        D("50.00"),
        D("0.00"),
        D("300.00"),
    )
    assert sum(figures.fee_totals, D(0)) == D("350.00")
    assert dict(zip(METHODS, figures.method_totals, strict=True)) == {
        "cash": D("350.00"),
        "card": D("0.00"),
        "wechat": D("0.00"),
        "alipay": D("0.00"),
        "transfer": D("0.00"),
    }
    days = {day.date: day for day in figures.days}
    assert len(days) == month_bounds(month.year, month.month)[1].day
    assert [days[d].total for d in (month.d1, month.d2, month.d3)] == [
        D("75.00"),
        D("240.00"),
        D("35.00"),
    ]
    assert sum(day.total for day in figures.days) == figures.total
    assert figures.ties_out is True

    # The statement's total is the sum of the month's approved days (their frozen expected
    # takings), which is the sum of their receipts (void ones excluded).
    closes = DailyClose.objects.filter(business_date__month=month.month, state=DayState.HANDED_OVER)
    assert sum(D(v) for close in closes for v in close.expected_by_method.values()) == D("350.00")
    receipts = Receipt.objects.filter(business_date__month=month.month).exclude(
        status=ReceiptStatus.VOID
    )
    assert sum(r.total for r in receipts) == D("350.00")


def test_voids_count_nowhere_and_reversals_count_negative_on_their_own_day(month, figures):
    days = {day.date: day for day in figures.days}
    assert (days[month.d1].receipts, days[month.d1].voids) == (2, 1)
    d2 = by_code(figures, days[month.d2].by_fee)
    assert (d2["permit_fee"], d2["card_fee"], d2["waste_removal"]) == (
        D("-40.00"),
        D("-20.00"),
        D("300.00"),
    )
    assert (figures.void_count, figures.void_total) == (1, D("10.00"))
    assert (figures.reversal_count, figures.reversal_total) == (2, D("-75.00"))
    assert figures.receipt_count == 6


def test_discounts_with_reasons_and_the_reversal_giving_one_back(month, manager, figures):
    rows = [
        (r.receipt.number, r.amount, r.line.discount_reason, r.approver) for r in figures.discounts
    ]
    assert rows == [
        (month.receipts["R2"].number, D("5.00"), "老客户", manager.username),
        (month.receipts["R5"].number, D("10.00"), "批量办证", ""),
        (month.receipts["V2"].number, D("-5.00"), "老客户", ""),
    ]
    assert figures.discount_total == D("10.00")


def test_close_and_handover_figures_with_their_differences(month, figures):
    rows = {row.date: row for row in figures.closes}
    d1, d2, d3 = rows[month.d1], rows[month.d2], rows[month.d3]
    assert (d1.system_total, d1.expected_total, d1.counted_total) == (D("75"), D("75"), D("75"))
    assert (d2.cash_handed, d2.cash_received, d2.handover_difference) == (
        D("240.00"),
        D("230.00"),
        D("-10.00"),
    )
    assert d2.discrepancy_zh == "待经理签认"
    assert (d3.count_difference, d3.explanations_zh) == (D("15.00"), "微信支付：微信原路退款")
    totals = figures.close_totals
    assert (totals["expected_total"], totals["counted_total"], totals["handover_difference"]) == (
        D("350.00"),
        D("365.00"),
        D("-10.00"),
    )


def test_a_period_sums_only_its_own_days(month):
    figures = period_figures(month.d1, month.d2)
    assert figures.total == D("315.00")
    assert [day.date for day in figures.days][0] == month.d1
    assert len(figures.days) == 8


def test_the_current_month_lists_no_future_day(assistant):
    issue(assistant, ("permit_fee", "20", 1))
    today = timezone.localdate()
    figures = month_figures(today.year, today.month)
    assert figures.days[-1].date == today
    assert figures.total == D("20.00")


def test_queries_do_not_grow_with_receipts(month, assistant, flat_queries):
    def build():
        figures = month_figures(month.year, month.month)
        figures_xlsx(figures)

    days = iter(range(12))

    def add_receipts():
        move(issue(assistant, ("permit_fee", "20", 1), ("card_fee", "10", 1)), month.d1, 12)
        move(issue(assistant, ("overtime_work", "100", 1)), month.d2 + timedelta(next(days)), 12)

    flat_queries(build, add_receipts, queries=14)


def test_queries_do_not_grow_with_closes(month, django_assert_num_queries):
    """The closes' figures by method are read in one query, however many closes; so are
    their stored totals (fees.selectors.totals), and the open days' receipts."""
    first = month.d1 - timedelta(days=2)  # two days without a close: read from the receipts
    for last, closes in ((month.d1, 1), (month.d3, 3)):
        with django_assert_num_queries(9):
            assert len(period_figures(first, last).closes) == closes
    # A period of stored days only does not read the receipts at all.
    with django_assert_num_queries(7):
        assert period_figures(month.d1, month.d1).days[0].total == D("75.00")


# --- Excel -------------------------------------------------------------------------------


@pytest.fixture
def workbook(figures):
    return load_workbook(io.BytesIO(figures_xlsx(figures)))


def rows_of(ws):
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def test_excel_has_one_sheet_per_view_with_chinese_headers_frozen_and_filtered(workbook):
    assert workbook.sheetnames == SHEETS
    for name in SHEETS:
        ws = workbook[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
    header = rows_of(workbook["按日按收费项目"])[0]
    assert header[:4] == ["日期", "日结状态", "办证费", "工本费"]
    assert header[-3:] == ["合计", "收据张数", "作废张数"]


def test_excel_numbers_are_numbers_and_totals_are_formulas(workbook, month):
    ws = workbook["按日按收费项目"]
    rows = rows_of(ws)
    d1 = next(row for row in rows[1:] if row[0] and row[0].date() == month.d1)
    assert (d1[1], d1[2], d1[3]) == ("已交款", 55, 20)
    assert ws.cell(row=month.d1.day + 1, column=3).number_format == "#,##0.00"
    last = len(rows)
    assert rows[-1][0] == "合计"
    assert rows[-1][2] == f"=SUM(C2:C{last - 1})"
    methods = rows_of(workbook["按付款方式"])
    assert methods[0] == ["日期", "现金", "银行卡", "微信支付", "支付宝", "银行转账", "合计"]
    assert methods[-1][1] == f"=SUM(B2:B{len(methods) - 1})"


def test_excel_receipt_detail_lists_every_receipt_with_voids_and_reversals_marked(workbook, month):
    rows = rows_of(workbook["收据明细"])
    by_number = {row[0]: row for row in rows[1:-1]}
    r = month.receipts
    assert len(by_number) == 7
    void = by_number[r["R3"].number]
    assert (void[9], void[10], void[11], void[12]) == (10, 0, "作废", "作废原因：开错金额")
    reversal = by_number[r["V1"].number]
    assert (reversal[9], reversal[10], reversal[11]) == (-60, -60, "红冲")
    assert reversal[12] == f"冲销 {r['R1'].number}：重复收费"
    assert by_number[r["R1"].number][11] == "已红冲"
    assert by_number[r["R1"].number][5] == "办证费×2、工本费×2"
    assert rows[-1][10] == f"=SUM(K2:K{len(rows) - 1})"
    assert rows[-1][9] is None  # the face value of void receipts is not summed


def test_excel_discounts_and_closes(workbook, month):
    discounts = rows_of(workbook["折扣明细"])
    assert [row[6] for row in discounts[1:-1]] == [5, 10, -5]
    assert discounts[-1][6] == "=SUM(G2:G4)"
    closes = rows_of(workbook["日结与交款"])
    d2 = next(row for row in closes[1:-1] if row[0].date() == month.d2)
    assert (d2[2], d2[7], d2[8], d2[9], d2[10], d2[11]) == (
        240,
        240,
        230,
        -10,
        f"BAG-{month.d2:%m%d}",
        "待经理签认",
    )


def test_excel_keeps_typed_text_as_text(month, assistant):
    move(issue(assistant, ("permit_fee", "20", 1), payer="=HYPERLINK(1)"), month.d1, 12)
    figures = month_figures(month.year, month.month)
    ws = load_workbook(io.BytesIO(figures_xlsx(figures)))["收据明细"]
    cell = next(row[3] for row in ws.iter_rows(min_row=2) if row[3].value == "=HYPERLINK(1)")
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def soffice_or_skip() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    message = "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
    if E2E_REQUIRED:
        pytest.fail(f"E2E_REQUIRED is set: {message}")
    pytest.skip(message)


def libreoffice_csv(xlsx: bytes, tmp_path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice computes it (formulas evaluated), read back from CSV."""
    soffice = soffice_or_skip()
    source = tmp_path / "statement.xlsx"
    source.write_bytes(xlsx)
    out = tmp_path / "csv"
    # Separator, quote, UTF-8, first line, ..., values not as shown, every sheet (-1).
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheets = {}
    for name in SHEETS:
        with open(out / f"statement-{name}.csv", encoding="utf-8", newline="") as handle:
            sheets[name] = list(csv.reader(handle))
    return sheets


@pytest.mark.slow
def test_libreoffice_computes_the_same_totals(figures, tmp_path):
    sheets = libreoffice_csv(figures_xlsx(figures), tmp_path)

    def totals(name):
        rows = sheets[name]
        assert rows[-1][0] == "合计"
        return rows[0], rows[-1]

    header, total = totals("按日按收费项目")
    computed = dict(zip(header, total, strict=True))
    assert D(computed["办证费"]) == D("50.00")
    assert D(computed["装修垃圾清运费"]) == D("300.00")
    assert D(computed["合计"]) == figures.total == D("350.00")
    assert (computed["收据张数"], computed["作废张数"]) == ("6", "1")
    header, total = totals("按付款方式")
    assert D(dict(zip(header, total, strict=True))["合计"]) == D("350.00")
    header, total = totals("收据明细")
    assert D(dict(zip(header, total, strict=True))["计入金额"]) == D("350.00")
    header, total = totals("折扣明细")
    assert D(dict(zip(header, total, strict=True))["折扣金额"]) == D("10.00")
    header, total = totals("日结与交款")
    closes = dict(zip(header, total, strict=True))
    assert (D(closes["系统合计"]), D(closes["日结应收"]), D(closes["交款差额"])) == (
        D("350.00"),
        D("350.00"),
        D("-10.00"),
    )


# --- PDF ---------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_carries_the_same_totals_and_only_the_summary(figures, month):
    content = figures_pdf(figures)
    reader = PdfReader(io.BytesIO(content))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    text = pdf_text(content)
    assert "办证收费及其它收费统计表" in text
    assert "¥350.00" in text
    assert "¥300.00" in text
    assert "1 张，票面 ¥10.00" in text
    assert "2 张，-¥75.00" in text
    assert "-¥10.00" in text  # the handover discrepancy
    assert "¥365.00" in text  # counted in the month's closes
    assert "微信支付：微信原路退款" in text
    assert f"第 1 页 / 共 {len(reader.pages)} 页" in text
    assert "生成时间" in text
    assert "制表人" in text and "财务负责人" in text
    # The receipt-by-receipt detail is in the Excel file only: R4 had no discount.
    assert month.receipts["R4"].number not in text
    assert month.receipts["R2"].number in text  # listed with its discount


# --- chart -------------------------------------------------------------------------------


def test_chart_stacks_each_day_by_fee_with_reversals_below_zero(figures, month):
    with translation.override("zh-hans"):
        chart = figures_chart(figures)
    assert [name for _colour, name in chart.series] == ["办证费", "工本费", "装修垃圾清运费"]
    assert len(chart.rects) == 6  # d1: permit, card; d2: permit, card, waste; d3: permit
    zero = float(chart.zero_y)
    d2_label = month.d2.isoformat()
    negatives = [r for r in chart.rects if r.label.startswith(d2_label) and "-" in r.label[11:]]
    assert len(negatives) == 2
    assert all(float(r.y) >= zero - 0.01 for r in negatives)
    assert "350.00" in chart.desc
    assert chart.total == D("350.00")


def test_chart_renders_as_accessible_svg_with_a_table(finance, client, month):
    client.force_login(finance)
    html = client.get(reverse("fees:finance_month", args=[month.year, month.month])).content
    html = html.decode()
    assert 'role="img"' in html
    assert "<title id=" in html and "<desc id=" in html
    assert "<details" in html and "¥350.00" in html


def test_home_chart_for_this_month(manager, department, assistant):
    issue(assistant, ("permit_fee", "20", 2))
    today = timezone.localdate()
    chart = month_chart_panel(manager, today)
    assert chart.total == D("40.00")
    assert chart.rows[-1][0] == today
    assert chart.link == reverse("fees:finance_month", args=[today.year, today.month])
    assert month_chart_panel(department, today) is None
    html = render_to_string("fees/months/_chart.html", {"chart": chart})
    assert f'aria-labelledby="{chart.uid}-title {chart.uid}-desc"' in html
    assert html.count("<rect x=") == 1


# --- pages and downloads -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", pytest.param("pdf", marks=pytest.mark.slow)])
def test_finance_and_the_auditor_download(kind, month, finance, auditor, client):
    url = reverse(f"fees:finance_month_{kind}", args=[month.year, month.month])
    for user in (finance, auditor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "filename*=UTF-8''" in response["Content-Disposition"]
    content_type = response["Content-Type"]
    assert content_type == ("application/pdf" if kind == "pdf" else XLSX_CONTENT_TYPE)


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
@pytest.mark.parametrize("role", ["manager", "assistant", "department"])
def test_other_roles_may_not_download(kind, role, month, request, client):
    client.force_login(request.getfixturevalue(role))
    url = reverse(f"fees:finance_month_{kind}", args=[month.year, month.month])
    assert client.get(url).status_code == 403


def test_month_page(month, finance, manager, department, client):
    url = reverse("fees:finance_month", args=[month.year, month.month])
    client.force_login(finance)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["figures"].total == D("350.00")
    html = response.content.decode()
    assert 'id="download-xlsx"' in html
    client.force_login(manager)  # the manager sees the month, but downloads nothing
    html = client.get(url).content.decode()
    assert 'id="download-xlsx"' not in html
    client.force_login(department)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("args", [(2026, 13), (1999, 5), (date.today().year + 1, 1)])
def test_month_pages_of_no_month_are_404(args, finance, client):
    client.force_login(finance)
    assert client.get(reverse("fees:finance_month", args=args)).status_code == 404
    assert client.get(reverse("fees:finance_month_xlsx", args=args)).status_code == 404


def test_month_page_queries_do_not_grow_with_receipts(month, finance, assistant, flat_queries):
    days = iter(range(10))

    def add_receipt():
        discounted = ("permit_fee", "20", 1, "1", "熟客")
        move(issue(assistant, discounted), month.d1 + timedelta(next(days)), 12)

    flat_queries(
        reverse("fees:finance_month", args=[month.year, month.month]),
        add_receipt,
        queries=19,
        user=finance,
    )


def test_period_page_queries_do_not_grow_with_receipts(month, finance, assistant, flat_queries):
    days = iter(range(10))

    def add_receipt():
        move(issue(assistant, ("card_fee", "10", 1)), month.d1 + timedelta(next(days)), 12)

    period = f"?date_from={month.d1.isoformat()}&date_to={month.d3.isoformat()}"
    flat_queries(reverse("fees:finance_period") + period, add_receipt, queries=15, user=finance)


def test_finance_index_lists_the_months(month, finance, client):
    client.force_login(finance)
    response = client.get(reverse("fees:finance_index"), {"year": month.year})
    assert response.status_code == 200
    summary = next(m for m in response.context["months"] if m.month == month.month)
    assert (summary.total, summary.receipts, summary.pending_days, summary.lockable) == (
        D("350.00"),
        6,
        0,
        True,
    )
    jump = client.get(reverse("fees:finance_index"), {"month": f"{month.year}-{month.month:02d}"})
    assert jump.url == reverse("fees:finance_month", args=[month.year, month.month])
    bad = client.get(reverse("fees:finance_index"), {"month": "2026-13"})
    assert bad.status_code == 200
    assert bad.context["month_form"].errors["month"]


def test_period_page_and_downloads(month, finance, manager, client):
    client.force_login(finance)
    query = {"date_from": month.d1.isoformat(), "date_to": month.d2.isoformat()}
    response = client.get(reverse("fees:finance_period"), query)
    assert response.context["figures"].total == D("315.00")
    xlsx = client.get(reverse("fees:finance_period_xlsx"), query)
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content))["按付款方式"]
    assert [row[0].value for row in ws.iter_rows(min_row=2)][-1] == "合计"
    backwards = {"date_from": month.d2.isoformat(), "date_to": month.d1.isoformat()}
    response = client.get(reverse("fees:finance_period"), backwards)
    assert response.context["figures"] is None
    assert response.context["period_form"].errors["date_to"]
    client.force_login(manager)
    assert client.get(reverse("fees:finance_period_pdf"), query).status_code == 403


def test_a_period_too_big_for_one_excel_file_is_refused(month, finance, client, monkeypatch):
    monkeypatch.setattr(statements, "MAX_EXCEL_RECEIPTS", 6)  # the month holds 7 receipts
    client.force_login(finance)
    query = {"date_from": month.d1.isoformat(), "date_to": month.d3.isoformat()}
    response = client.get(reverse("fees:finance_period_xlsx"), query)
    assert response.status_code == 302
    assert response.url.startswith(reverse("fees:finance_period") + "?")
    assert client.get(reverse("fees:finance_period_pdf"), query).status_code == 200
