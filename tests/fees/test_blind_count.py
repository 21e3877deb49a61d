"""The blind count holds everywhere: until a day is counted, the counting role finds its
expected takings (or any sum of them) on no page, file or chart it can open; afterwards it
may see them. One selector decides (fees.selectors.days)."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from config.roles import Role
from fees.charts import month_chart_panel
from fees.enums import DayState
from fees.models import DailyClose, ExportJob
from fees.selectors.days import day_get, expected_figures_visible, withheld_dates
from fees.selectors.months import year_overview
from fees.selectors.statements import period_figures
from fees.services import days
from tests.factories.finance import close_day, issue, move
from tests.pages import links

pytestmark = pytest.mark.django_db
D = Decimal

# Today's receipts: 20.00 and 35.00 in cash, 15.00 by WeChat. The sums the desk must not
# see before counting are distinct from every single receipt's amount (each receipt it
# may see): cash 55.00 (also the permit fee's sum) and the day's 70.00.
HIDDEN_SUMS = (D("55.00"), D("70.00"))
HIDDEN_TEXT = re.compile(r"(?<![\d.,])(55|70)\.00(?!\d)")
# What belongs to money among the links found on the menu's pages.
MONEY_PATHS = ("/fees/finance/", "/fees/days/", "/fees/exports/", "/fees/discrepancies/")


@pytest.fixture
def today_receipts(assistant):
    return [
        issue(assistant, ("permit_fee", "20", 1)),
        issue(assistant, ("permit_fee", "35", 1)),
        issue(assistant, ("card_fee", "15", 1), method="wechat", reference="WX-7"),
    ]


def count_today(user):
    """The desk's count of today, through the service: 50 + 5 in cash, 15 by WeChat."""
    return days.day_record_count(
        day=day_get(timezone.localdate()),
        by=user,
        cash_count={D("50"): 1, D("5"): 1},
        non_cash={"wechat": D("15")},
    )


# --- the selector ------------------------------------------------------------------------

NOW = timezone.now()
DAY_STATES = {
    "no close": None,
    "open, not counted": DailyClose(state=DayState.OPEN),
    "open, counted": DailyClose(state=DayState.OPEN, counted_at=NOW),
    "returned to the desk": DailyClose(
        state=DayState.OPEN, counted_at=NOW, return_comment="现金点错"
    ),
    "submitted": DailyClose(state=DayState.SUBMITTED, counted_at=NOW),
    "approved": DailyClose(state=DayState.APPROVED, counted_at=NOW),
    "handed over": DailyClose(state=DayState.HANDED_OVER, counted_at=NOW),
}
BLIND = {"no close": False, "open, not counted": False}


@pytest.mark.parametrize("state", DAY_STATES)
@pytest.mark.parametrize(
    "role", [Role.ASSISTANT, Role.MANAGER, Role.FINANCE, Role.AUDITOR, Role.DEPARTMENT]
)
def test_only_the_counting_role_is_kept_blind_until_the_count(make_user, role, state):
    user = make_user("someone", role)
    expected = BLIND.get(state, True) if role == Role.ASSISTANT else True
    assert expected_figures_visible(user, DAY_STATES[state]) is expected


@pytest.mark.parametrize("state", DAY_STATES)
def test_a_superuser_may_count_so_is_blind_too(make_user, state):
    boss = make_user("boss", is_superuser=True)
    assert expected_figures_visible(boss, DAY_STATES[state]) is BLIND.get(state, True)


def test_a_date_is_looked_up_and_a_date_without_close_is_not_counted(assistant, manager):
    today = timezone.localdate()
    assert expected_figures_visible(assistant, today) is False
    assert expected_figures_visible(manager, today) is True
    day_get(today)
    assert expected_figures_visible(assistant, today) is False
    count_today(assistant)
    assert expected_figures_visible(assistant, today) is True


def test_withheld_dates_are_the_uncounted_days_with_receipts(
    assistant, manager, finance, auditor, django_assert_num_queries
):
    today = timezone.localdate()
    counted, forgotten, quiet = (today - timedelta(days=n) for n in (3, 2, 1))
    move(issue(assistant, ("permit_fee", "20", 1)), counted)
    close_day(counted, assistant=assistant, manager=manager, finance=finance, cash={"20": 1})
    move(issue(assistant, ("permit_fee", "20", 1)), forgotten)
    day_get(quiet)  # a close without receipts: nothing to hide
    issue(assistant, ("permit_fee", "20", 1))

    with django_assert_num_queries(2):
        assert withheld_dates(assistant, counted, today) == {forgotten, today}
    assert withheld_dates(assistant, today, today) == {today}
    assert withheld_dates(assistant, counted, counted) == frozenset()
    for reader in (manager, finance, auditor):
        assert withheld_dates(reader, counted, today) == frozenset()


# --- the figures leave the withheld days out ---------------------------------------------


def test_figures_leave_out_a_withheld_day_and_keep_the_others(
    assistant, manager, finance, today_receipts
):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    move(issue(assistant, ("permit_fee", "40", 1)), yesterday)
    close_day(yesterday, assistant=assistant, manager=manager, finance=finance, cash={"20": 2})
    day_get(today)

    hidden = period_figures(yesterday, today, withheld=frozenset({today}))
    shown = period_figures(yesterday, today)

    assert (shown.total, hidden.total) == (D("110.00"), D("40.00"))
    assert (shown.receipt_count, hidden.receipt_count) == (4, 1)
    assert hidden.withheld == [today]
    assert [(d.date, d.withheld, d.total) for d in hidden.days] == [
        (yesterday, False, D("40.00")),
        (today, True, D("0.00")),
    ]
    assert [(row.date, row.system_total) for row in hidden.closes] == [
        (yesterday, D("40.00")),
        (today, None),
    ]
    assert hidden.withheld_note == f"{today:%Y-%m-%d} 尚未清点，不计入本表任何数字与合计"


def test_the_year_overview_leaves_out_a_withheld_day(assistant, today_receipts):
    today = timezone.localdate()
    this_month = {m.month: m for m in year_overview(today.year, today=today)}[today.month]
    assert (this_month.total, this_month.receipts, this_month.withheld) == (D("70.00"), 3, [])
    hidden = {
        m.month: m for m in year_overview(today.year, today=today, withheld=frozenset({today}))
    }[today.month]
    assert (hidden.total, hidden.receipts, hidden.withheld) == (D("0.00"), 0, [today])


def test_the_home_chart_of_a_manager_who_also_counts_leaves_today_out(
    make_user, assistant, today_receipts
):
    both = make_user("both", Role.MANAGER, Role.ASSISTANT)
    today = timezone.localdate()
    chart = month_chart_panel(both, today)
    assert (chart.total, chart.withheld) == (D("0.00"), [today])
    count_today(assistant)
    assert month_chart_panel(both, today).total == D("70.00")


# --- everything the assistant can open ---------------------------------------------------


def downloads_of_the_month(today: date) -> list[str]:
    """The statement files of this month and of the period up to today, which the finance
    pages link to for those who may download them."""
    period = "?" + urlencode({"date_from": today.replace(day=1), "date_to": today})
    return [
        reverse("fees:finance_month_xlsx", args=[today.year, today.month]),
        reverse("fees:finance_month_pdf", args=[today.year, today.month]),
        reverse("fees:finance_period") + period,
        reverse("fees:finance_period_xlsx") + period,
        reverse("fees:finance_period_pdf") + period,
    ]


def readable(response) -> str | list:
    """What a reader finds in a response: the page's text, a PDF's text, an xlsx's cells."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body))
        return [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    return body.decode()


def hidden_sums_in(content) -> list:
    if isinstance(content, str):
        return HIDDEN_TEXT.findall(content)
    return [cell for cell in content if isinstance(cell, int | float | D) and cell in HIDDEN_SUMS]


def everything_reachable(client, user) -> dict[str, object]:
    """{url: content} of every page and file the user's menu leads to, the home page, and the
    money links on those pages, plus this month's statement files."""
    home = client.get(reverse("home")).content.decode()
    first = {reverse("home"), *links(home, {"header", "main"})}
    seen, found = {}, {}
    queue = sorted(first) + downloads_of_the_month(timezone.localdate())
    while queue:
        url = queue.pop(0)
        if url in seen or urlsplit(url).path.startswith("/admin/"):
            continue
        response = client.get(url, follow=True)
        seen[url] = response.status_code
        assert response.status_code in (200, 403), (url, response.status_code)
        if response.status_code != 200:
            continue
        found[url] = readable(response)
        if url in first and isinstance(found[url], str):
            queue += [u for u in links(found[url], {"main"}) if u.startswith(MONEY_PATHS)]
    return found


def test_the_assistant_finds_no_sum_of_an_uncounted_day_anywhere(client, assistant, today_receipts):
    client.force_login(assistant)
    found = everything_reachable(client, assistant)

    # The crawl did reach the money pages (else finding nothing would prove nothing).
    today = timezone.localdate()
    for name, args in [
        ("fees:finance_index", []),
        ("fees:finance_month", [today.year, today.month]),
        ("fees:receipt_list", []),
        ("fees:day_list", []),
    ]:
        assert reverse(name, args=args) in found
    assert any(url.startswith(f"/fees/days/{today}") for url in found) or (
        reverse("fees:day_today") in found
    )
    assert {url: hidden_sums_in(content) for url, content in found.items()} == {
        url: [] for url in found
    }
    # Each receipt stays readable on its own: the desk sees what it issued.
    receipts = found[reverse("fees:receipt_list")]
    assert ("20.00" in receipts, "35.00" in receipts, "15.00" in receipts) == (True,) * 3
    month_page = found[reverse("fees:finance_month", args=[today.year, today.month])]
    assert "Not counted yet today: left out" in month_page

    count_today(assistant)
    day_page = client.get(reverse("fees:day_detail", args=[today.isoformat()])).content.decode()
    month_page = client.get(
        reverse("fees:finance_month", args=[today.year, today.month])
    ).content.decode()
    assert sorted(set(HIDDEN_TEXT.findall(day_page))) == ["55", "70"]
    assert sorted(set(HIDDEN_TEXT.findall(month_page))) == ["55", "70"]
    assert "Not counted yet" not in month_page


def test_the_manager_finance_and_auditor_see_the_uncounted_day(
    client, manager, finance, auditor, today_receipts
):
    today = timezone.localdate()
    month_url = reverse("fees:finance_month", args=[today.year, today.month])
    for reader in (manager, finance, auditor):
        client.force_login(reader)
        page = client.get(month_url).content.decode()
        assert (sorted(set(HIDDEN_TEXT.findall(page))), "Not counted yet" in page) == (
            ["55", "70"],
            False,
        )


def test_one_who_counts_and_may_download_gets_files_without_the_uncounted_day(
    client, make_user, assistant, today_receipts, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    boss = make_user("boss", is_superuser=True)  # may count, and may download statements
    client.force_login(boss)
    today = timezone.localdate()
    files = {}
    for url in downloads_of_the_month(today):
        response = client.get(url)
        assert response.status_code == 200, url
        files[url] = readable(response)
    assert {url: hidden_sums_in(content) for url, content in files.items()} == {
        url: [] for url in files
    }
    month_xlsx, month_pdf = (
        files[downloads_of_the_month(today)[0]],
        files[downloads_of_the_month(today)[1]],
    )
    note = f"{today:%Y-%m-%d} 尚未清点，不计入本表任何数字与合计"
    assert (note in month_xlsx, note in month_pdf.replace("\n", "")) == (True, True)

    count_today(assistant)
    counted = readable(client.get(downloads_of_the_month(today)[0]))
    assert sorted({cell for cell in counted if cell in HIDDEN_SUMS}) == [D("55"), D("70")]


def test_no_audit_pack_of_an_uncounted_day_for_one_who_counts(client, make_user, today_receipts):
    boss = make_user("boss", is_superuser=True)
    client.force_login(boss)
    today = timezone.localdate()
    response = client.post(
        reverse("fees:export_list"), {"date_from": today.replace(day=1), "date_to": today}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == [
        f"Not counted yet: {today}. A pack with these days can be built once they are."
    ]
    assert ExportJob.objects.count() == 0
