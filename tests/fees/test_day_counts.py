"""Every count of a day is kept (the blind one and each recount), and the cash float
(备用金) is part of the count: counted cash = opening float + cash takings."""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from config.roles import Role
from fees.exporters.audit_pack import audit_pack
from fees.exporters.statements import figures_pdf, figures_xlsx
from fees.models import DailyClose, DayCount, Discrepancy
from fees.selectors.days import count_record, day_get, day_takings, differences, float_prefill
from fees.selectors.statements import month_figures
from fees.services import days
from tests.factories.finance import close_day, issue, move, previous_month

pytestmark = pytest.mark.django_db
D = Decimal
BASE_URL = "https://desk.example.cn/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk2(make_user):
    return make_user("desk2", Role.ASSISTANT, first_name="周婷")


@pytest.fixture
def today_takings(assistant):
    """Today: cash 150 + 35, WeChat 80."""
    assistant.first_name = "李晓敏"
    assistant.save()
    issue(assistant, ("permit_fee", "150", 1))
    issue(assistant, ("permit_fee", "35", 1))
    issue(assistant, ("permit_fee", "80", 1), method="wechat", reference="WX1")
    return timezone.localdate()


def count(by, business_date, cash, opening_float=None, float_left=None, **non_cash):
    return days.day_record_count(
        day=day_get(business_date),
        by=by,
        cash_count={D(k): v for k, v in cash.items()},
        non_cash={m: D(v) for m, v in non_cash.items()},
        opening_float=opening_float,
        float_left=float_left,
    )


def amounts(day_count: DayCount) -> dict:
    return {row.method: row.amount for row in day_count.amounts.all()}


def notes(day_count: DayCount) -> dict:
    return {row.denomination: row.pieces for row in day_count.cash.all()}


def pdf_text(content: bytes) -> str:
    """The text of every page, each run of whitespace (between table cells) as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# --- every count is kept -----------------------------------------------------------------


def test_the_blind_count_and_a_recount_are_both_kept(today_takings, assistant, desk2):
    short = count(assistant, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1}, wechat="80")
    # 5.00 short: the figures appear, a recount
    assert short.counted_by_method["cash"] == D("180.00")
    day = count(desk2, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1, "5": 1}, wechat="80")
    blind, recount = DayCount.objects.filter(day=day).order_by("sequence")
    assert (blind.sequence, blind.is_blind, blind.counted_by) == (1, True, short.counted_by)
    assert (recount.sequence, recount.is_recount, recount.counted_by) == (2, True, desk2)
    assert blind.counted_at <= recount.counted_at
    assert notes(blind) == {D("100"): 1, D("50"): 1, D("20"): 1, D("10"): 1}
    assert notes(recount) == {D("100"): 1, D("50"): 1, D("20"): 1, D("10"): 1, D("5"): 1}
    method_zero = {"card": D("0.00"), "alipay": D("0.00"), "transfer": D("0.00")}
    assert amounts(blind) == {"cash": D("180.00"), "wechat": D("80.00"), **method_zero}
    assert amounts(recount) == {"cash": D("185.00"), "wechat": D("80.00"), **method_zero}
    # The close keeps the final count for everything that reads it.
    assert day.counted_by_method["cash"] == D("185.00") and day.counted_by == desk2
    assert notes(count_record(day).final) == notes(recount)
    assert differences(day, day_takings(today_takings).by_method) == {}
    reasons = [h.history_change_reason for h in day.history.order_by("history_id")]
    assert reasons[-2:] == ["counted", "recounted"]
    record = count_record(day)
    assert (record.blind, record.final, record.recounts) == (blind, recount, 1)


def test_a_count_after_the_manager_returned_the_day_is_a_recount(today_takings, assistant, manager):
    count(assistant, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1, "5": 1}, wechat="80")
    days.day_submit(day=day_get(today_takings), by=assistant, explanations={})
    days.day_return(day=day_get(today_takings), by=manager, comment="微信对账单再核对")
    day = count(assistant, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1, "5": 1})
    assert list(day.counts.values_list("sequence", flat=True)) == [1, 2]
    assert count_record(day).recounts == 1
    assert day.counted_by_method["wechat"] == D("0.00")  # the final count, not the blind one


def test_the_first_count_creates_the_days_row(assistant):
    quiet = timezone.localdate() - timedelta(days=1)
    assert not DailyClose.objects.filter(business_date=quiet).exists()
    day = count(assistant, quiet, {})
    assert (day.business_date, day.state, day.counted_by_method["cash"]) == (
        quiet,
        "open",
        D("0.00"),
    )
    assert day.counts.get().is_blind


def test_a_refused_count_keeps_nothing(today_takings, assistant):
    with pytest.raises(ValidationError):
        count(assistant, today_takings, {"100": -1})
    with pytest.raises(ValidationError):
        count(assistant, today_takings, {"100": 1}, wechat="-3")
    assert DayCount.objects.count() == 0
    assert DailyClose.objects.get(business_date=today_takings).counted_at is None


def test_the_managers_page_shows_the_blind_count_the_final_count_and_the_recount(
    today_takings, assistant, desk2, manager, client
):
    count(assistant, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1}, wechat="80")
    count(desk2, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1, "5": 1}, wechat="80")
    days.day_submit(day=day_get(today_takings), by=desk2, explanations={})
    client.force_login(manager)
    response = client.get(reverse("fees:day_detail", args=[today_takings.isoformat()]))
    assert response.context["counts"].recounts == 1
    html = response.content.decode()
    assert "Recounted once" in html
    start = html.index('id="counts-table"')
    table = html[start : html.index("</table>", start)]
    first, second = table.split('data-sequence="1"')[1].split('data-sequence="2"')
    assert "Blind count" in first and "Final count" not in first
    assert "李晓敏" in first and "¥180.00" in first
    assert "¥100 × 1, ¥50 × 1, ¥20 × 1, ¥10 × 1" in first
    assert "Recount" in second and "Final count" in second
    assert "周婷" in second and "¥185.00" in second and "¥5 × 1" in second


def test_a_single_count_says_no_recount(today_takings, assistant, manager, client):
    count(assistant, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1, "5": 1}, wechat="80")
    client.force_login(manager)
    html = client.get(reverse("fees:day_detail", args=[today_takings.isoformat()])).content
    assert "No recount" in html.decode() and "Recounted" not in html.decode()


def test_the_slip_prints_the_blind_and_the_final_count(
    today_takings, assistant, desk2, manager, finance, client
):
    count(assistant, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1}, wechat="80")
    count(desk2, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1, "5": 1}, wechat="80")
    day = days.day_submit(day=day_get(today_takings), by=desk2, explanations={})
    days.day_approve(day=day, by=manager)
    client.force_login(finance)
    text = pdf_text(
        client.get(reverse("fees:handover_slip", args=[today_takings.isoformat()])).content
    )
    assert "盲点（第 1 次） 李晓敏" in text
    assert "最终清点（第 2 次） 周婷" in text
    assert "¥180.00" in text and "¥185.00" in text
    assert "重新清点：有，共 1 次" in text


def test_a_slip_without_recount_says_so(today_takings, assistant, manager, finance, client):
    count(assistant, today_takings, {"100": 1, "50": 1, "20": 1, "10": 1, "5": 1}, wechat="80")
    day = days.day_submit(day=day_get(today_takings), by=assistant, explanations={})
    days.day_approve(day=day, by=manager)
    client.force_login(finance)
    text = pdf_text(
        client.get(reverse("fees:handover_slip", args=[today_takings.isoformat()])).content
    )
    assert "盲点（第 1 次）＝最终清点 李晓敏" in text and "重新清点：无" in text
    assert "最终清点（第" not in text


# --- the cash float ----------------------------------------------------------------------


def test_the_float_defaults_to_the_setting_before_any_count(settings, assistant, client):
    settings.CASH_FLOAT_DEFAULT = D("300.00")
    today = timezone.localdate()
    assert float_prefill(today) == D("300.00")
    client.force_login(assistant)
    form = client.get(reverse("fees:day_detail", args=[today.isoformat()])).context["count_form"]
    assert (form.initial["opening_float"], form.initial["float_left"]) == (D("300.00"),) * 2
    day = count(assistant, today, {"100": 3})  # nothing taken: the float alone
    final = day.counts.get()
    assert (final.opening_float, final.float_left, final.cash_counted) == (
        D("300.00"),
        D("300.00"),
        D("300.00"),
    )
    assert day.counted_by_method["cash"] == D("0.00")


def test_the_float_left_by_the_previous_close_is_the_next_days_opening_float(
    settings, assistant, client
):
    settings.CASH_FLOAT_DEFAULT = D("300.00")
    today = timezone.localdate()
    count(assistant, today - timedelta(days=2), {"100": 5}, opening_float=D("500"))
    count(assistant, today - timedelta(days=1), {"100": 5}, float_left=D("450.00"))
    assert float_prefill(today) == D("450.00")
    client.force_login(assistant)
    form = client.get(reverse("fees:day_detail", args=[today.isoformat()])).context["count_form"]
    assert (form.initial["opening_float"], form.initial["float_left"]) == (D("450.00"),) * 2


def test_counted_cash_is_the_float_plus_the_cash_takings(today_takings, assistant):
    # 500 float + 185 cash takings = 685 in the drawer.
    drawer = {"100": 6, "50": 1, "20": 1, "10": 1, "5": 1}
    day = count(assistant, today_takings, drawer, D("500"), D("400"), wechat="80")
    # The takings: the float is not a difference.
    assert day.counted_by_method["cash"] == D("185.00")
    assert differences(day, day_takings(today_takings).by_method) == {}
    final = day.counts.get()
    assert (final.cash_counted, final.cash_takings, final.cash_to_hand_over) == (
        D("685.00"),
        D("185.00"),
        D("285.00"),
    )
    over = count(assistant, today_takings, {**drawer, "5": 2}, D("500"), D("400"), wechat="80")
    assert differences(over, day_takings(today_takings).by_method) == {"cash": D("5.00")}


def test_the_handover_is_the_counted_cash_less_the_float_left(
    today_takings, assistant, manager, finance
):
    drawer = {"100": 6, "50": 1, "20": 1, "10": 1, "5": 1}  # 685.00
    day = count(assistant, today_takings, drawer, D("500"), D("400"), wechat="80")
    days.day_submit(day=day, by=assistant, explanations={})
    days.day_approve(day=day, by=manager)
    handover = days.handover_confirm(
        day=day, by=finance, cash_received=D("285.00"), bag_number="B-285"
    )
    assert (handover.cash_expected, handover.difference) == (D("285.00"), D("0.00"))
    assert Discrepancy.objects.count() == 0


def test_the_float_left_cannot_exceed_the_cash(today_takings, assistant):
    with pytest.raises(ValidationError) as caught:
        count(assistant, today_takings, {"100": 1}, D("50"), D("100.01"))
    assert caught.value.messages == [
        "The float left for the next shift (100.01) cannot be more than the cash counted."
    ]
    with pytest.raises(ValidationError):
        count(assistant, today_takings, {"100": 1}, D("-1"))
    assert DayCount.objects.count() == 0


def test_the_count_form_takes_the_float_and_refuses_a_bad_one(today_takings, assistant, client):
    client.force_login(assistant)
    url = reverse("fees:day_count", args=[today_takings.isoformat()])
    page = client.post(url, {"cash_100": "6", "opening_float": "-5"}, follow=True)
    assert (
        "Opening float: Enter an amount from 0.00 to 1000000.00 yuan in plain digits with "
        "at most two decimals, e.g. 35 or 35.50 (no commas)."
    ) in [str(m) for m in page.context["messages"]]
    assert DayCount.objects.count() == 0
    client.post(
        url,
        {
            "cash_100": "6",
            "cash_50": "1",
            "cash_20": "1",
            "cash_10": "1",
            "cash_5": "1",
            "noncash_wechat": "80",
            "opening_float": "500.00",
            "float_left": "400",
        },
    )
    final = DayCount.objects.get()
    assert (final.opening_float, final.float_left, final.cash_counted) == (
        D("500.00"),
        D("400.00"),
        D("685.00"),
    )


def test_the_day_page_shows_the_float(today_takings, assistant, manager, client):
    drawer = {"100": 6, "50": 1, "20": 1, "10": 1}  # 680.00: 5.00 short
    count(assistant, today_takings, drawer, D("500"), D("400"), wechat="80")
    client.force_login(manager)
    response = client.get(reverse("fees:day_detail", args=[today_takings.isoformat()]))
    cash = response.context["cash"]
    assert (cash.opening_float, cash.cash_takings, cash.expected_in_drawer) == (
        D("500.00"),
        D("185.00"),
        D("685.00"),
    )
    assert (cash.counted, cash.difference, cash.float_left, cash.to_hand_over) == (
        D("680.00"),
        D("-5.00"),
        D("400.00"),
        D("280.00"),
    )
    html = response.content.decode()
    for element, amount in [
        ("opening-float", "¥500.00"),
        ("cash-expected", "¥685.00"),
        ("cash-counted", "¥680.00"),
        ("cash-difference", "-¥5.00"),
        ("float-left", "¥400.00"),
        ("cash-to-hand-over", "¥280.00"),
    ]:
        assert f'id="{element}">{amount}<' in html
    rows = {row["method"]: row for row in response.context["rows"]}
    assert (rows["cash"]["expected"], rows["cash"]["counted"]) == (D("185.00"), D("180.00"))


def test_the_slip_shows_the_float_left_for_the_next_shift(
    today_takings, assistant, manager, finance, client
):
    drawer = {"100": 6, "50": 1, "20": 1, "10": 1, "5": 1}
    day = count(assistant, today_takings, drawer, D("500"), D("400"), wechat="80")
    days.day_submit(day=day, by=assistant, explanations={})
    days.day_approve(day=day, by=manager)
    client.force_login(finance)
    text = pdf_text(
        client.get(reverse("fees:handover_slip", args=[today_takings.isoformat()])).content
    )
    assert "现金（不含备用金） ¥185.00 ¥185.00 ¥0.00" in text
    assert "期初备用金 ¥500.00" in text
    assert "实点现金 ¥685.00" in text
    assert "留存备用金（下一班） ¥400.00" in text
    assert "交款现金 ¥285.00 大写：贰佰捌拾伍元整" in text


@pytest.fixture
def float_day(assistant, manager, finance):
    """A day of last month: 100.00 cash taken, a 500.00 float, 595.00 counted (5.00 short),
    300.00 left in the drawer, 295.00 handed to finance and received."""
    year, month = previous_month()
    business_date = timezone.localdate().replace(year=year, month=month, day=25)
    move(issue(assistant, ("permit_fee", "100", 1)), business_date)
    return close_day(
        business_date,
        assistant=assistant,
        manager=manager,
        finance=finance,
        cash={"100": 5, "50": 1, "20": 2, "5": 1},
        explanations={"cash": "找零错误"},
        opening_float=D("500.00"),
        float_left=D("300.00"),
    )


def test_the_statement_keeps_the_float_out_of_the_takings(float_day):
    figures = month_figures(float_day.business_date.year, float_day.business_date.month)
    row = next(r for r in figures.closes if r.date == float_day.business_date)
    assert (row.system_total, row.expected_total, row.counted_total, row.count_difference) == (
        D("100.00"),
        D("100.00"),
        D("95.00"),
        D("-5.00"),
    )
    assert (row.cash_handed, row.cash_received, row.handover_difference) == (
        D("295.00"),
        D("295.00"),
        D("0.00"),
    )
    assert (row.opening_float, row.float_left, row.recounts) == (D("500.00"), D("300.00"), 0)
    sheet = load_workbook(io.BytesIO(figures_xlsx(figures)))["日结与交款"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[-3:] == ["期初备用金", "留存备用金", "重新清点次数"]
    line = next(r for r in rows if r[0] and r[0] != "合计" and r[0].date() == row.date)
    assert line[2:6] + line[7:10] + line[-3:] == [100, 100, 95, -5, 295, 295, 0, 500, 300, 0]
    assert rows[-1][-3:] == [None, None, None]  # a float is a stock: no total
    text = pdf_text(figures_pdf(figures))
    assert "交款现金＝实点现金－留存备用金" in text


@pytest.mark.slow
def test_the_audit_pack_carries_the_float(float_day, settings):
    settings.CENTRE_PUBLIC_URL = BASE_URL.rstrip("/")
    day = float_day.business_date
    pack = zipfile.ZipFile(io.BytesIO(audit_pack(day, day)))
    sheet = load_workbook(io.BytesIO(pack.read("daily_closes.xlsx"))).worksheets[0]
    header, line = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[-3:] == ["期初备用金", "留存备用金", "重新清点次数"]
    assert line[2:5] + line[10:12] + line[-3:] == [100, 95, -5, 295, 295, 500, 300, 0]
    slips = pdf_text(pack.read("handover_slips.pdf"))
    assert "留存备用金（下一班） ¥300.00" in slips and "交款现金 ¥295.00" in slips
