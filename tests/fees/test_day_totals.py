"""The stored totals of submitted days (fees.models.totals): written by the submission with
exact figures, dropped when the day is returned, read by the month and year pages instead
of the receipts, and always equal to the receipts (check_day_totals, and a property test
over random steps of the desk and the manager)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.dates import date_runs
from config.roles import Role
from fees.enums import DayState, ReceiptStatus
from fees.models import DailyClose, DayFeeTotal, DayMethodTotal, Receipt
from fees.selectors.days import day_get
from fees.selectors.months import year_overview
from fees.selectors.statements import METHODS, month_figures, period_figures
from fees.selectors.totals import live_by_method, period_takings, totals_differences
from fees.services import days
from fees.services.receipts import receipt_approve_void, receipt_request_void, receipt_reverse
from fees.services.totals import day_totals_fill
from tests.factories.finance import build_month, close_day, issue, move, previous_month
from tests.factories.people import staff

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def month(assistant, manager, finance, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_month(assistant, manager, finance)


def stored(business_date: date) -> tuple[dict, dict]:
    """The day's stored rows: {method: (...)} and {(fee code, method): (...)}."""
    by_method = {
        row.method: (row.receipts, row.amount, row.reversals, row.reversal_amount, row.voids)
        for row in DayMethodTotal.objects.filter(close__business_date=business_date)
    }
    by_fee = {
        (row.fee_type.code, row.method): (row.lines, row.amount, row.discount, row.discounted_lines)
        for row in DayFeeTotal.objects.filter(close__business_date=business_date).select_related(
            "fee_type"
        )
    }
    return by_method, by_fee


# --- what the submission stores ------------------------------------------------------------


def test_the_submission_stores_the_day_by_method_and_by_fee_with_exact_figures(month):
    by_method, by_fee = stored(month.d1)
    # d1: R1 permit 20×2 + card 10×2 cash 60; R2 permit 20 − 5 WeChat 15; R3 card 10 void.
    assert by_method == {
        "cash": (1, D("60.00"), 0, D("0.00"), 1),
        "card": (0, D("0.00"), 0, D("0.00"), 0),
        "wechat": (1, D("15.00"), 0, D("0.00"), 0),
        "alipay": (0, D("0.00"), 0, D("0.00"), 0),
        "transfer": (0, D("0.00"), 0, D("0.00"), 0),
    }
    assert DayMethodTotal.objects.get(close__business_date=month.d1, method="cash").void_amount == (
        D("10.00")
    )
    assert by_fee == {
        ("permit_fee", "cash"): (1, D("40.00"), D("0.00"), 0),
        ("card_fee", "cash"): (1, D("20.00"), D("0.00"), 0),
        ("permit_fee", "wechat"): (1, D("15.00"), D("5.00"), 1),
    }
    # d3: R5 permit 20×3 − 10 cash 50; the reversal of R2 −15 WeChat gives its 5 back.
    by_method, by_fee = stored(month.d3)
    assert by_method["cash"] == (1, D("50.00"), 0, D("0.00"), 0)
    assert by_method["wechat"] == (1, D("-15.00"), 1, D("-15.00"), 0)
    assert by_fee == {
        ("permit_fee", "cash"): (1, D("50.00"), D("10.00"), 1),
        ("permit_fee", "wechat"): (1, D("-15.00"), D("-5.00"), 1),
    }


def test_a_month_of_stored_days_has_the_figures_of_its_receipts(month):
    figures = month_figures(month.year, month.month)
    assert figures.total == D("350.00")
    assert dict(zip(METHODS, figures.method_totals, strict=True))["cash"] == D("350.00")
    fees = {
        fee.code: total for fee, total in zip(figures.fee_types, figures.fee_totals, strict=True)
    }
    assert (fees["permit_fee"], fees["card_fee"], fees["waste_removal"]) == (
        D("50.00"),
        D("0.00"),
        D("300.00"),
    )
    assert (figures.receipt_count, figures.void_count, figures.void_total) == (6, 1, D("10.00"))
    assert (figures.reversal_count, figures.reversal_total) == (2, D("-75.00"))
    assert (figures.discount_total, figures.discount_count) == (D("10.00"), 3)
    # The statement's list of discounts (read for its files) sums to the same.
    assert sum((row.amount for row in figures.discounts), D(0)) == figures.discount_total
    assert len(figures.discounts) == figures.discount_count
    days_ = {day.date: day for day in figures.days}
    assert [days_[d].total for d in (month.d1, month.d2, month.d3)] == [
        D("75.00"),
        D("240.00"),
        D("35.00"),
    ]
    assert figures.ties_out is True
    assert totals_differences(*_month_span(month)) == []


def _month_span(month) -> tuple[date, date]:
    start = date(month.year, month.month, 1)
    return start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def test_the_month_reads_the_stored_rows_not_the_receipts(month):
    """Proof that the stored rows are what the page reads: rows changed behind the
    services' back (maintenance) show on the month, the receipts untouched."""
    DayMethodTotal.objects.filter(close__business_date=month.d2, method="cash").update(
        amount=D("999.00")
    )
    figures = month_figures(month.year, month.month)
    day = next(day for day in figures.days if day.date == month.d2)
    assert day.total == D("999.00")
    problems = totals_differences(*_month_span(month))
    assert len(problems) == 1
    assert problems[0].startswith(f"{month.d2} cash: stored MethodFigures(receipts=2, ")
    assert "amount=Decimal('999.00')" in problems[0]
    assert "amount=Decimal('240.00')" in problems[0]


def test_a_day_not_submitted_is_read_live_and_a_returned_day_drops_its_rows(
    assistant, manager, finance, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    month = build_month(assistant, manager, finance, last_day="submitted")
    assert stored(month.d3)[0]["cash"] == (1, D("50.00"), 0, D("0.00"), 0)
    day = DailyClose.objects.get(business_date=month.d3)
    days.day_return(day=day, by=manager, comment="微信退款再核对")
    assert stored(month.d3) == ({}, {})
    # Open again: it may take a void, and its figures follow it at once.
    receipt_request_void(receipt=month.receipts["R5"], by=assistant, reason="开错")
    receipt_approve_void(receipt=month.receipts["R5"], by=manager)
    figures = month_figures(month.year, month.month)
    d3 = next(day for day in figures.days if day.date == month.d3)
    assert (d3.total, d3.voids) == (D("-15.00"), 1)
    assert figures.total == D("300.00")
    # Submitted again: stored anew, with the void.
    close_day(
        month.d3,
        assistant=assistant,
        manager=manager,
        finance=finance,
        cash={},
        explanations={"wechat": "微信原路退款"},
        until="submitted",
    )
    assert stored(month.d3)[0]["cash"] == (0, D("0.00"), 0, D("0.00"), 1)
    assert month_figures(month.year, month.month).total == D("300.00")
    assert totals_differences(*_month_span(month)) == []


def test_a_reversal_of_a_closed_day_lands_on_today_and_leaves_the_stored_day_alone(month, manager):
    r4 = month.receipts["R4"]
    before = stored(month.d2)
    reversal = receipt_reverse(receipt=r4, by=manager, reason="退款")
    assert reversal.business_date == timezone.localdate()
    assert stored(month.d2) == before
    today = timezone.localdate()
    takings = period_takings(today, today)
    assert takings.by_method[(today, "cash")].amount == D("-300.00")
    assert totals_differences(*_month_span(month)) == []


def test_a_submitted_day_refuses_receipts_and_voids_so_its_totals_cannot_go_stale(
    assistant, manager
):
    receipt = issue(assistant, ("permit_fee", "20", 1))
    receipt_request_void(receipt=receipt, by=assistant, reason="开错")
    receipt_approve_void(receipt=receipt, by=manager)
    other = issue(assistant, ("card_fee", "10", 1))
    days.day_record_count(
        day=day_get(timezone.localdate()), by=assistant, cash_count={}, non_cash={}
    )
    day = DailyClose.objects.get(business_date=timezone.localdate())
    days.day_submit(day=day, by=assistant, explanations={"cash": "未收现金"})
    with pytest.raises(ValidationError):
        issue(assistant, ("permit_fee", "20", 1))
    with pytest.raises(ValidationError):
        receipt_request_void(receipt=other, by=assistant, reason="开错")
    today = timezone.localdate()
    assert totals_differences(today, today) == []


def test_the_fill_stores_days_written_around_the_services_and_the_command_checks(assistant, capsys):
    """Days closed in bulk (the demo, an import) get their rows from day_totals_fill; the
    command finds a closed day without rows, fills it with --fill, and then passes."""
    receipt = move(issue(assistant, ("permit_fee", "20", 2)), date(2026, 3, 2))
    close = DailyClose.objects.create(business_date=date(2026, 3, 2), state=DayState.SUBMITTED)
    with pytest.raises(SystemExit) as failed:
        call_command("check_day_totals")
    assert failed.value.code == 1
    assert "2026-03-02: submitted but no stored totals" in capsys.readouterr().out
    call_command("check_day_totals", "--fill")
    out = capsys.readouterr().out
    assert "stored the totals of 1 day(s)" in out
    assert "equal the receipts" in out
    assert stored(close.business_date)[0]["cash"] == (1, receipt.total, 0, D("0.00"), 0)
    assert day_totals_fill([]) == 0
    # A receipt put on the closed day behind the services' back: found, then rewritten.
    move(issue(assistant, ("card_fee", "10", 1)), date(2026, 3, 2))
    with pytest.raises(SystemExit):
        call_command("check_day_totals", "--from", "2026-03-01", "--to", "2026-03-31")
    assert "2026-03-02 cash: stored MethodFigures(receipts=1," in capsys.readouterr().out
    call_command("check_day_totals", "--rewrite")
    assert "stored the totals of 1 day(s) anew" in capsys.readouterr().out
    assert stored(close.business_date)[0]["cash"] == (2, D("50.00"), 0, D("0.00"), 0)


def test_date_runs_make_a_few_ranges_of_many_dates():
    d = date(2026, 5, 1)
    dates = [d, d + timedelta(1), d + timedelta(2), d + timedelta(5), d + timedelta(7)]
    assert date_runs(reversed(dates)) == [
        (d, d + timedelta(2)),
        (d + timedelta(5), d + timedelta(5)),
        (d + timedelta(7), d + timedelta(7)),
    ]
    assert date_runs([]) == []
    assert live_by_method([]) == {}


# --- the pages read a bounded number of rows and queries ----------------------------------


def _close_days(people, year, month, numbers):
    """Days ``numbers`` of a month closed (approved), two receipts each, by the services."""
    for number in numbers:
        day = date(year, month, number)
        move(issue(people["assistant"], ("permit_fee", "20", 1)), day)
        move(
            issue(people["assistant"], ("card_fee", "10", 2), method="wechat", reference="WX"),
            day,
        )
        close_day(day, **people, cash={"20": 1}, non_cash={"wechat": "20"}, until="approved")


def test_the_month_page_costs_the_same_queries_with_more_days_and_receipts(
    client, assistant, manager, finance
):
    people = {"assistant": assistant, "manager": manager, "finance": finance}
    year, month = previous_month()
    _close_days(people, year, month, [1])
    client.force_login(manager)
    url = reverse("fees:finance_month", args=[year, month])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _close_days(people, year, month, range(2, 7))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    figures = response.context["figures"]
    assert (figures.total, figures.receipt_count) == (D("240.00"), 12)
    assert [day.total for day in figures.days[:7]] == [D("40.00")] * 6 + [D("0.00")]
    # The lines of stored days are never aggregated for the page.
    stored_dates = [date(year, month, n).isoformat() for n in range(1, 7)]
    for query in many.captured_queries:
        if "fees_receiptline" in query["sql"]:
            assert not any(day in query["sql"] for day in stored_dates)


def test_the_year_overview_sums_the_stored_days_and_the_open_ones(assistant, manager, finance):
    people = {"assistant": assistant, "manager": manager, "finance": finance}
    year, month = previous_month()
    _close_days(people, year, month, [1, 2])
    issue(assistant, ("permit_fee", "20", 3))  # today, open
    today = timezone.localdate()
    months = {(m.year, m.month): m for m in year_overview(year, today=today)}
    assert (months[(year, month)].total, months[(year, month)].receipts) == (D("80.00"), 4)
    months = {(m.year, m.month): m for m in year_overview(today.year, today=today)}
    this = months[(today.year, today.month)]
    assert (this.total, this.receipts, this.pending_days) == (D("60.00"), 1, 1)


# --- the property: stored totals always equal the receipts --------------------------------

# One step of the desk or the manager on one of three days of last month (0-2) or today (3).
line = st.tuples(
    st.sampled_from(["permit_fee", "card_fee", "waste_removal"]),
    st.sampled_from(["10", "20", "35.50"]),
    st.integers(min_value=1, max_value=3),
    st.sampled_from([None, "1", "2.50"]),
)
steps = st.one_of(
    st.tuples(
        st.just("issue"),
        st.integers(0, 3),
        st.lists(line, min_size=1, max_size=3),
        st.sampled_from(METHODS),
    ),
    st.tuples(st.just("void"), st.integers(0, 20)),
    st.tuples(st.just("submit"), st.integers(0, 3)),
    st.tuples(st.just("return"), st.integers(0, 3)),
    st.tuples(st.just("reverse"), st.integers(0, 20)),
)


def _try(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except ValidationError:
        return False
    return True


def _step(step, dates, receipts, people):
    assistant, manager = people["assistant"], people["manager"]
    name = step[0]
    if name == "issue":
        day = dates[step[1]]
        # The desk takes money on an open day only; a past day's receipt is issued today and
        # moved there, so today must be open too.
        states = DailyClose.objects.filter(business_date__in={day, dates[-1]}).values_list(
            "state", flat=True
        )
        if any(state != DayState.OPEN for state in states):
            return
        lines = [
            (code, price, qty, *((discount, "熟客") if discount else ()))
            for code, price, qty, discount in step[2]
        ]
        method = step[3]
        receipt = issue(
            assistant,
            *lines,
            method=method,
            reference="" if method == "cash" else "REF",
            approver=manager,  # over the limit or not: the manager vouches
        )
        if day != timezone.localdate():
            receipt = move(receipt, day)
        receipts.append(receipt)
    elif name == "void" and receipts:
        receipt = receipts[step[1] % len(receipts)]
        _try(lambda: receipt_request_void(receipt=receipt, by=assistant, reason="开错"))
        _try(lambda: receipt_approve_void(receipt=receipt, by=manager))
    elif name == "submit":
        day = dates[step[1]]

        def submit():
            counted = days.day_record_count(
                day=day_get(day), by=assistant, cash_count={}, non_cash={}
            )
            explain = {method: "核对差额" for method in METHODS}
            days.day_submit(day=counted, by=assistant, explanations=explain)

        _try(submit)
    elif name == "return":
        close = DailyClose.objects.filter(business_date=dates[step[1]]).first()
        if close is not None:
            _try(lambda: days.day_return(day=close, by=manager, comment="再核对"))
    elif name == "reverse" and receipts:
        original = receipts[step[1] % len(receipts)]
        _try(lambda: receipts.append(receipt_reverse(receipt=original, by=manager, reason="退款")))


def _receipts_figures(start: date, end: date) -> tuple[Decimal, int, int, Decimal]:
    """The period's takings straight from the receipts, by DESIGN's rule (a plain model)."""
    rows = Receipt.objects.filter(business_date__range=(start, end))
    counting = [r for r in rows if r.status != ReceiptStatus.VOID]
    return (
        sum((r.total for r in counting), D("0.00")),
        len(counting),
        len(rows) - len(counting),
        sum((r.total for r in counting if r.reverses_id), D("0.00")),
    )


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=st.lists(steps, min_size=1, max_size=12))
def test_after_any_steps_the_stored_day_totals_equal_the_receipts(plan):
    with transaction.atomic():
        people = {"assistant": staff(Role.ASSISTANT), "manager": staff(Role.MANAGER)}
        year, month = previous_month()
        dates = [date(year, month, 3), date(year, month, 4), date(year, month, 5)]
        dates.append(timezone.localdate())
        receipts: list[Receipt] = []
        start, end = dates[0], dates[-1]
        for step in plan:
            _step(step, dates, receipts, people)
            assert totals_differences(start, end) == []
        figures = period_figures(start, end)
        total, count, voids, reversals = _receipts_figures(start, end)
        assert (figures.total, figures.receipt_count, figures.void_count) == (
            total,
            count,
            voids,
        )
        assert figures.reversal_total == reversals
        assert sum(figures.fee_totals, D("0.00")) == total
        transaction.set_rollback(True)
