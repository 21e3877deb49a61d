"""The deposit ledger: what is held by unit and age (its totals are the deposits' balances
to the cent), dormant deposits, the refund gate's opening day and the refund clock, and the
page with its Excel and PDF files."""

import io
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from deposits.enums import ApplicationStatus, DeductionKind, DepositKind, RefundStatus
from deposits.models import Deposit, Inspection, Refund, Violation
from deposits.selectors.deposits import deposit_balances
from deposits.selectors.ledger import (
    AGE_BUCKETS,
    HOLDING,
    LedgerUnits,
    deposit_ledger,
    dormant_deposits,
    gate_opened_on,
    gates_open_without_refund,
    ledger_totals,
    refund_clock,
    refunds_waiting,
    with_gate,
)
from deposits.selectors.refunds import refund_gate
from deposits.services.deposits import deposit_forfeit
from deposits.services.violations import violation_resolve
from deposits.validators import DeductionInput
from fees.models import Permit
from fees.services.permits import permit_issue, permit_report_lost, permit_return
from tests.factories.archives import ContractorFactory, UnitFactory
from tests.factories.deposits import (
    ApplicationPermitFactory,
    DepositFactory,
    RefundFactory,
    ViolationFactory,
    accepted_deposit,
    advance,
    back_dated,
    worker,
)
from tests.factories.fees import ChargeFactory

pytestmark = pytest.mark.django_db
D = Decimal


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def taken_on(deposit: Deposit, day: date) -> None:
    with back_dated():  # a deposit's date is fixed once taken
        Deposit.objects.filter(pk=deposit.pk).update(taken_at=at(day))


def passed_on(deposit: Deposit, day: date) -> None:
    with back_dated():
        Inspection.objects.filter(application=deposit.application_id, result="pass").update(
            inspected_on=day
        )


def opened(deposit: Deposit) -> tuple[bool, bool]:
    """The SQL gate and refund_gate()'s (before the request: ``ready``)."""
    row = with_gate(Deposit.objects.filter(pk=deposit.pk)).get()
    return row.gate_open, refund_gate(Deposit.objects.get(pk=deposit.pk)).ready


# --- the gate in SQL agrees with the checklist ------------------------------------------------


def test_the_sql_gate_answers_as_the_checklist_for_each_item(assistant):
    accepted = accepted_deposit()
    not_accepted = DepositFactory()  # approved, works not started
    violation = ViolationFactory(penalty=None)
    with_violation = DepositFactory(application=violation.application)
    advance(with_violation.application, ApplicationStatus.PASSED)
    link = ApplicationPermitFactory(with_card_deposit=False)
    with_permit = DepositFactory(application=link.application)
    advance(with_permit.application, ApplicationStatus.PASSED)
    owing = accepted_deposit()
    ChargeFactory(tenant=owing.application.tenant, amount=D("80.00"))
    assert [opened(d) for d in (accepted, not_accepted, with_violation, with_permit, owing)] == [
        (True, True),
        (False, False),
        (False, False),
        (False, False),
        (False, False),
    ]

    violation_resolve(by=assistant, violation=violation, resolution="已整改")
    permit_return(by=assistant, permit=link.permit)
    assert [opened(d) for d in (with_violation, with_permit)] == [(True, True), (True, True)]


def test_a_card_deposit_opens_when_its_card_is_back(assistant):
    _receipt, permits, _created = permit_issue(
        by=assistant,
        contractor=ContractorFactory(),
        unit=UnitFactory(),
        workers=[worker("工人甲"), worker("工人乙")],
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + timedelta(days=30),
        method="cash",
        with_card_deposit=True,
    )
    back, out = (Deposit.objects.get(permit=p) for p in permits)
    permit_return(by=assistant, permit=permits[0])
    assert (opened(back), opened(out)) == ((True, True), (False, False))
    assert back.kind == DepositKind.PERMIT_CARD


# --- the day the gate opened ------------------------------------------------------------------


def test_the_gate_opened_on_the_latest_of_inspection_permits_and_violations(assistant):
    violation = ViolationFactory(penalty=None)
    application = violation.application
    lost = ApplicationPermitFactory(application=application, with_card_deposit=False).permit
    returned = ApplicationPermitFactory(application=application, with_card_deposit=False).permit
    deposit = DepositFactory(application=application)
    advance(application, ApplicationStatus.PASSED)
    permit_report_lost(by=assistant, permit=lost)
    permit_return(by=assistant, permit=returned)
    assert gate_opened_on(deposit) is None  # the violation is open
    violation_resolve(by=assistant, violation=violation, resolution="已整改")

    taken_on(deposit, date(2026, 3, 2))
    passed_on(deposit, date(2026, 4, 10))
    with back_dated():
        Permit.objects.filter(pk=lost.pk).update(lost_reported_on=date(2026, 4, 12))
        Permit.objects.filter(pk=returned.pk).update(returned_on=date(2026, 4, 8))
        Violation.objects.filter(pk=violation.pk).update(resolved_on=date(2026, 4, 11))
    assert gate_opened_on(deposit) == date(2026, 4, 12)  # the lost card, reported last

    with back_dated():
        Violation.objects.filter(pk=violation.pk).update(resolved_on=date(2026, 4, 20))
    assert gate_opened_on(deposit) == date(2026, 4, 20)

    with back_dated():
        Violation.objects.filter(pk=violation.pk).update(resolved_on=date(2026, 4, 1))
        Permit.objects.filter(pk=lost.pk).update(lost_reported_on=date(2026, 4, 1))
    assert gate_opened_on(deposit) == date(2026, 4, 10)  # the passing inspection


def test_a_violation_of_another_decoration_does_not_date_this_gate(assistant):
    deposit = accepted_deposit()
    passed_on(deposit, date(2026, 5, 6))
    taken_on(deposit, date(2026, 5, 1))
    elsewhere = ViolationFactory(penalty=None)  # another tenant's decoration
    violation_resolve(by=assistant, violation=elsewhere, resolution="已整改")
    assert gate_opened_on(deposit) == date(2026, 5, 6)


def test_a_card_deposit_opens_on_the_day_its_card_came_back(assistant):
    _receipt, [permit], _created = permit_issue(
        by=assistant,
        contractor=ContractorFactory(),
        unit=UnitFactory(),
        workers=[worker("工人甲")],
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + timedelta(days=30),
        method="cash",
        with_card_deposit=True,
    )
    permit_return(by=assistant, permit=permit)
    deposit = Deposit.objects.get(permit=permit)
    taken_on(deposit, date(2026, 6, 1))
    with back_dated():
        Deposit.objects.filter(pk=deposit.pk).update(released_on=date(2026, 6, 19))
    assert gate_opened_on(deposit) == date(2026, 6, 19)


# --- the refund clock -------------------------------------------------------------------------


def test_the_refund_clock_counts_working_days_around_the_national_day():
    # 2026: 25 September (Mid-Autumn) and 1–7 October off, Saturday 10 October worked
    # (the State Council's notice).
    clock = refund_clock(date(2026, 9, 30), date(2026, 10, 14))
    assert (clock.working_days, clock.target, clock.late, clock.left) == (6, 10, False, 4)
    clock = refund_clock(date(2026, 9, 22), date(2026, 10, 14))
    assert (clock.working_days, clock.late, clock.left) == (11, True, -1)


def test_a_target_of_settings_decides_what_is_late(settings):
    settings.REFUND_TARGET_WORKING_DAYS = 5
    clock = refund_clock(date(2026, 9, 30), date(2026, 10, 14))
    assert (clock.working_days, clock.late) == (6, True)


def test_refunds_waiting_show_their_step_and_clock(assistant):
    requested = RefundFactory()
    approved = RefundFactory(status=RefundStatus.APPROVED)
    RefundFactory(status=RefundStatus.PAID)  # done: not waiting
    for refund, (gate, prepared, decided) in {
        requested: (date(2026, 9, 22), date(2026, 9, 29), None),
        approved: (date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 12)),
    }.items():
        passed_on(refund.deposit, gate)
        taken_on(refund.deposit, date(2026, 9, 1))
        with back_dated():
            Refund.objects.filter(pk=refund.pk).update(
                prepared_at=at(prepared), decided_at=at(decided) if decided else None
            )
    rows = refunds_waiting(date(2026, 10, 14))
    assert [
        (r.refund.pk, r.refund.status, r.step_since, r.days_at_step, r.clock.started_on)
        for r in rows
    ] == [
        (approved.pk, "approved", date(2026, 10, 12), 2, date(2026, 9, 30)),
        (requested.pk, "requested", date(2026, 9, 29), 7, date(2026, 9, 22)),
    ]
    assert [(r.clock.working_days, r.late) for r in rows] == [(6, False), (11, True)]


def test_a_request_starts_the_clock_when_its_deductions_opened_the_gate(assistant):
    deposit = accepted_deposit()
    charge = ChargeFactory(tenant=deposit.application.tenant, amount=D("80.00"))
    refund = RefundFactory(
        deposit=deposit,
        deductions=[
            DeductionInput(
                kind=DeductionKind.UNPAID_CHARGE, reason="欠费", amount=D("80.00"), charge=charge
            )
        ],
    )
    # Accepted earlier, but the charge kept the gate closed until the request deducted it.
    passed_on(deposit, date(2026, 9, 28))
    taken_on(deposit, date(2026, 9, 1))
    with back_dated():
        Refund.objects.filter(pk=refund.pk).update(prepared_at=at(date(2026, 10, 8)))
    [row] = refunds_waiting(date(2026, 10, 14))
    assert (row.clock.started_on, row.clock.working_days) == (date(2026, 10, 8), 5)


def test_open_gates_without_a_request_are_listed_the_latest_first(assistant):
    older, newer = accepted_deposit(), accepted_deposit()
    DepositFactory()  # gate closed
    RefundFactory()  # under way
    RefundFactory(status=RefundStatus.RETURNED)  # back with the desk: listed as returned
    passed_on(older, date(2026, 3, 3))
    passed_on(newer, date(2026, 3, 9))
    for deposit in (older, newer):
        taken_on(deposit, date(2026, 3, 1))
    found = gates_open_without_refund()
    assert [(d.pk, d.gate_opened_on, d.balance) for d in found] == [
        (newer.pk, date(2026, 3, 9), D("5000.00")),
        (older.pk, date(2026, 3, 3), D("5000.00")),
    ]


# --- the ledger -------------------------------------------------------------------------------


def street_of_balances(manager):
    """Deposits of every age with forfeits and deductions: (deposit, age in days)."""
    today = timezone.localdate()
    plain = DepositFactory(amount=D("5000.00"))
    forfeited_part = DepositFactory(amount=D("3000.10"))
    deposit_forfeit(
        by=manager,
        deposit=forfeited_part,
        deductions=[DeductionInput(kind=DeductionKind.DAMAGE, reason="损坏", amount=D("0.45"))],
    )
    forfeited_twice = DepositFactory(amount=D("1.00"))
    for amount in (D("0.54"), D("0.37")):
        deposit_forfeit(
            by=manager,
            deposit=forfeited_twice,
            deductions=[DeductionInput(kind=DeductionKind.OTHER, reason="其他", amount=amount)],
        )
    approved = RefundFactory(status=RefundStatus.APPROVED).deposit  # 300.00 deducted
    requested = RefundFactory().deposit  # its deduction does not count yet
    RefundFactory(status=RefundStatus.PAID)  # closed: holds nothing
    whole = DepositFactory(amount=D("700.00"))
    deposit_forfeit(
        by=manager,
        deposit=whole,
        deductions=[DeductionInput(kind=DeductionKind.DAMAGE, reason="损坏", amount=D("700.00"))],
    )
    ages = {plain: 0, forfeited_part: 30, forfeited_twice: 31, approved: 180, requested: 366}
    for deposit, age in ages.items():
        taken_on(deposit, today - timedelta(days=age))
    return today, ages


def test_the_ledger_totals_are_the_deposits_balances_to_the_cent(manager):
    today, ages = street_of_balances(manager)
    ledger = deposit_ledger(today)
    balances = deposit_balances(Deposit.objects.filter(status__in=HOLDING))
    assert ledger.total == sum(d.balance for d in balances) == D("17699.74")
    assert ledger.totals == [D("7999.65"), D("0.09"), D("4700.00"), D("0.00"), D("5000.00")]
    assert ledger.counts == [2, 1, 1, 0, 1]
    # A row per unit, each the balance of its unit's deposit in the bucket of its age.
    expected = {
        d.application.unit.code: (
            [i for i, (_l, days) in enumerate(AGE_BUCKETS) if days is None or ages[d] <= days][0],
            d.balance,
        )
        for d in balances
    }
    found = {
        row.unit: [(i, amount) for i, amount in enumerate(row.buckets) if row.counts[i]]
        for row in ledger.rows
    }
    assert found == {unit: [bucket] for unit, bucket in expected.items()}
    assert [row.unit for row in ledger.rows] == sorted(expected)
    # The page's totals, and its rows paged from the database, are the same figures.
    assert ledger_totals(today) == replace(ledger, rows=[])
    units = LedgerUnits(today)
    assert units.count() == len(ledger.rows) == 5
    assert units[0:2] + units[2:4] + units[4:6] == ledger.rows


def test_the_ledger_files_each_deposit_under_its_unit_and_pages_units_in_code_order(
    assistant,
):
    decoration = DepositFactory()

    def cards(unit):
        _receipt, permits, _created = permit_issue(
            by=assistant,
            contractor=ContractorFactory(),
            unit=unit,
            workers=[worker("工人甲")],
            valid_from=timezone.localdate(),
            valid_to=timezone.localdate() + timedelta(days=30),
            method="cash",
            with_card_deposit=True,
        )
        return Deposit.objects.get(permit=permits[0])

    card = cards(UnitFactory(code="Z-9-99"))
    loose = cards(None)  # a contractor's card for no unit
    assert decoration.ledger_unit == decoration.application.unit
    assert (card.ledger_unit.code, loose.ledger_unit) == ("Z-9-99", None)
    units = LedgerUnits(timezone.localdate())
    assert units.count() == 3
    assert [row.unit for row in units[0:2]] == ["", decoration.application.unit.code]
    assert [(row.unit, row.total) for row in units[2:4]] == [("Z-9-99", card.amount)]


def test_a_deposit_is_dormant_the_set_number_of_days_after_acceptance(settings, manager):
    settings.DEPOSIT_DORMANT_DAYS = 90
    today = date(2026, 10, 14)
    dormant, just_not, under_way = accepted_deposit(), accepted_deposit(), RefundFactory()
    DepositFactory()  # not accepted
    passed_on(dormant, today - timedelta(days=90))
    passed_on(just_not, today - timedelta(days=89))
    passed_on(under_way.deposit, today - timedelta(days=200))  # a refund is under way
    found = dormant_deposits(today)
    assert [(d.pk, d.accepted_on, d.balance) for d in found] == [
        (dormant.pk, date(2026, 7, 16), D("5000.00"))
    ]
    settings.DEPOSIT_DORMANT_DAYS = 30
    assert [d.pk for d in dormant_deposits(today)] == [dormant.pk, just_not.pk]


# --- the page and its files -------------------------------------------------------------------


def test_the_page_shows_the_ledger_and_its_lists(client, manager):
    today, _ages = street_of_balances(manager)
    client.force_login(manager)
    page = client.get(reverse("deposits:ledger"))
    assert page.status_code == 200
    ledger = page.context["ledger"]
    assert (ledger.total, ledger.totals) == (
        D("17699.74"),
        [D("7999.65"), D("0.09"), D("4700.00"), D("0.00"), D("5000.00")],
    )
    html = page.content.decode()
    assert 'id="ledger-total">¥17,699.74<' in html
    assert [(key, count) for key, _label, count in page.context["sections"]] == [
        ("units", 5),
        ("waiting", 2),
        ("gates", 0),
        ("dormant", 0),
    ]
    # The approved refund and the requested one wait; the paid one does not.
    waiting = client.get(reverse("deposits:ledger"), {"show": "waiting"})
    assert [row.refund.status for row in waiting.context["rows"]] == ["approved", "requested"]
    assert 'id="ledger-waiting"' in waiting.content.decode()


@pytest.mark.parametrize(
    "show, queries, rows",
    [
        ("units", 15, [3, 9]),
        ("waiting", 13, [1, 3]),
        ("gates", 13, [2, 6]),
        ("dormant", 13, [1, 3]),
    ],
)
def test_each_section_takes_the_same_queries_with_more_rows(
    flat_queries, manager, show, queries, rows
):
    def add_row():
        accepted_deposit()  # a unit's row, an open gate
        RefundFactory()  # a refund waiting
        deposit = accepted_deposit()  # a dormant deposit
        passed_on(deposit, timezone.localdate() - timedelta(days=120))

    url = f"{reverse('deposits:ledger')}?show={show}"
    one, three = flat_queries(url, add_row, queries=queries, user=manager)
    assert [len(r.context["rows"]) for r in (one, three)] == rows


def test_the_excel_file_shows_the_page_s_figures(client, manager):
    today, _ages = street_of_balances(manager)
    ledger = deposit_ledger(today)
    client.force_login(manager)
    response = client.get(reverse("deposits:ledger_xlsx"))
    assert response.status_code == 200
    wb = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows[-1] == ("Total", *[float(t) for t in ledger.totals], float(ledger.total), 5)
    assert [(r[0], *[D(str(v)).quantize(D("0.01")) for v in r[1:7]]) for r in rows[:-1]] == [
        (row.unit, *row.buckets, row.total) for row in ledger.rows
    ]
    assert sum(D(str(r[6])) for r in rows[:-1]) == ledger.total
    assert [ws.title for ws in wb.worksheets] == [
        "Held by unit and age",
        "Refunds waiting",
        "Open gates, not requested",
        "Dormant deposits",
    ]
    waiting = list(wb.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [(r[7], r[6]) for r in waiting] == [
        ("Approved, to pay", 4700),
        ("Awaiting approval", 4700),
    ]


def test_the_pdf_shows_the_totals(client, manager):
    street_of_balances(manager)
    client.force_login(manager)
    response = client.get(reverse("deposits:ledger_pdf"))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "17,699.74" in text
    assert "7,999.65" in text


def test_a_department_may_not_read_the_ledger(client, department):
    client.force_login(department)
    assert client.get(reverse("deposits:ledger")).status_code == 403
    assert client.get(reverse("deposits:ledger_xlsx")).status_code == 403
