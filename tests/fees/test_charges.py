"""Charges (应收): billing, settlement by receipts, cancelling, dunning, the statement of
account, the ageing list and its Excel and PDF report, and who may see and do what."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from archives.models import Occupancy
from config.permanence import maintenance
from fees.enums import DayState
from fees.models import Charge, DunningNote, FeeType, Receipt
from fees.selectors.charges import (
    BUCKET_LABELS,
    ageing,
    charge_balances,
    overdue_charges,
    tenant_statement,
)
from fees.services.charges import charge_bill, charge_cancel, dunning_note_add
from fees.services.receipts import (
    LineInput,
    Payer,
    receipt_approve_void,
    receipt_issue,
    receipt_request_void,
    receipt_reverse,
)
from tests.factories.archives import OccupancyFactory, TenantFactory, UnitFactory
from tests.factories.fees import ChargeFactory, DailyCloseFactory

pytestmark = pytest.mark.django_db

D = Decimal


# --- helpers -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in the English source, whatever the catalogue translates."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def fee():
    return FeeType.objects.get(code="waste_removal")


@pytest.fixture
def occupancy():
    return OccupancyFactory(unit=UnitFactory(code="B-1-08"))


def bill(by, tenant, amount="1000.00", *, fee_code="waste_removal", unit=None, **dates):
    billed_on = dates.get("billed_on", date(2025, 6, 1))
    return charge_bill(
        by=by,
        tenant=tenant,
        unit=unit,
        fee_type=FeeType.objects.get(code=fee_code),
        description=dates.get("description", "Waste removal, June"),
        amount=D(amount),
        billed_on=billed_on,
        due_on=dates.get("due_on", billed_on + timedelta(days=30)),
    )


def pay(by, charge, amount) -> Receipt:
    receipt, created = receipt_issue(
        by=by,
        payer=Payer(kind="tenant", tenant=charge.tenant),
        lines=[LineInput(fee_type=charge.fee_type, unit_price=D(amount), charge=charge)],
        method="cash",
    )
    assert created
    return receipt


def balance(charge) -> tuple[Decimal, Decimal]:
    charge = charge_balances(Charge.objects.all()).get(pk=charge.pk)
    return charge.settled, charge.outstanding


def void(receipt, assistant, manager):
    receipt_request_void(receipt=receipt, by=assistant, reason="wrong tenant")
    receipt_approve_void(receipt=receipt, by=manager)


def move_to_closed_day(receipt, days_ago=1) -> date:
    """Put an issued receipt on an earlier, submitted day, so it can only be reversed."""
    day = timezone.localdate() - timedelta(days=days_ago)
    with maintenance():  # a receipt's date is fixed once issued
        Receipt.objects.filter(pk=receipt.pk).update(business_date=day)
    DailyCloseFactory(business_date=day, state=DayState.SUBMITTED)
    receipt.refresh_from_db()
    return day


# --- billing -----------------------------------------------------------------------------


def test_bill_writes_the_charge_with_its_history(assistant, occupancy):
    charge = bill(assistant, occupancy.tenant, "350.50", unit=occupancy.unit)
    charge.refresh_from_db()
    assert (charge.amount, charge.unit, charge.cancelled, charge.created_by) == (
        D("350.50"),
        occupancy.unit,
        False,
        assistant,
    )
    assert charge.history.get().history_change_reason == "billed"
    assert balance(charge) == (D("0.00"), D("350.50"))


def test_bill_accepts_the_maximum_and_a_unit_the_tenant_left(assistant, occupancy):
    old_unit = UnitFactory(code="C-2-01")
    Occupancy.objects.create(
        unit=old_unit,
        tenant=occupancy.tenant,
        role="lessee",
        moved_in_on=date(2020, 1, 1),
        handed_over_on=date(2024, 12, 31),
    )
    charge = bill(assistant, occupancy.tenant, "1000000.00", unit=old_unit)
    assert (charge.amount, charge.unit) == (D("1000000.00"), old_unit)


@pytest.mark.parametrize(
    "amount, message",
    [
        ("0", "The amount must be more than 0 and at most 1,000,000.00."),
        ("-5.00", "The amount must be more than 0 and at most 1,000,000.00."),
        ("1000000.01", "The amount must be more than 0 and at most 1,000,000.00."),
        ("abc", "Enter the amount as a number, e.g. 350.00."),
        ("NaN", "Enter the amount as a number, e.g. 350.00."),
        ("", "Enter the amount as a number, e.g. 350.00."),
        ("12.345", "The amount can have at most two decimals."),
    ],
)
def test_bill_refuses_a_bad_amount(assistant, occupancy, fee, amount, message):
    with pytest.raises(ValidationError) as caught:
        charge_bill(
            by=assistant,
            tenant=occupancy.tenant,
            unit=None,
            fee_type=fee,
            description="x",
            amount=amount,
            billed_on=date(2025, 6, 1),
            due_on=date(2025, 6, 30),
        )
    assert caught.value.message_dict == {"amount": [message]}
    assert Charge.objects.count() == 0


def test_bill_refuses_a_due_date_before_the_billing_date(assistant, occupancy):
    with pytest.raises(ValidationError) as caught:
        bill(assistant, occupancy.tenant, billed_on=date(2025, 6, 2), due_on=date(2025, 6, 1))
    assert caught.value.message_dict == {
        "due_on": ["The due date cannot be before the billing date."]
    }
    assert Charge.objects.count() == 0


def test_bill_refuses_a_unit_the_tenant_never_occupied(assistant, occupancy):
    other = OccupancyFactory(unit=UnitFactory(code="E-3-09"))
    with pytest.raises(ValidationError) as caught:
        bill(assistant, occupancy.tenant, unit=other.unit)
    assert caught.value.message_dict == {
        "unit": [
            f"{occupancy.tenant.name} never occupied unit E-3-09: choose one of the tenant's units."
        ]
    }
    assert Charge.objects.count() == 0


def test_bill_refuses_an_empty_description_and_a_retired_fee(assistant, occupancy):
    with pytest.raises(ValidationError) as caught:
        bill(assistant, occupancy.tenant, description="   ")
    assert caught.value.message_dict == {"description": ["Say what the charge is for."]}
    FeeType.objects.filter(code="penalty").update(active=False)
    with pytest.raises(ValidationError) as caught:
        bill(assistant, occupancy.tenant, fee_code="penalty")
    assert caught.value.message_dict == {"fee_type": ["This fee is no longer in use."]}
    assert Charge.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "finance", "auditor", "department"])
def test_only_the_assistant_bills(role, request, occupancy):
    with pytest.raises(PermissionDenied):
        bill(request.getfixturevalue(role), occupancy.tenant)
    assert Charge.objects.count() == 0


# --- settlement --------------------------------------------------------------------------


def test_partial_then_full_settlement_changes_outstanding_exactly(assistant, occupancy):
    charge = bill(assistant, occupancy.tenant, "1000.00")
    pay(assistant, charge, "350.25")
    assert balance(charge) == (D("350.25"), D("649.75"))
    pay(assistant, charge, "649.75")
    assert balance(charge) == (D("1000.00"), D("0.00"))
    # receipt_issue refuses a line above what is still owed.
    with pytest.raises(ValidationError):
        pay(assistant, charge, "0.01")


def test_a_void_receipt_no_longer_settles(assistant, manager, occupancy):
    charge = bill(assistant, occupancy.tenant, "500.00")
    receipt = pay(assistant, charge, "500.00")
    assert balance(charge) == (D("500.00"), D("0.00"))
    void(receipt, assistant, manager)
    assert balance(charge) == (D("0.00"), D("500.00"))


def test_a_reversal_takes_the_settlement_back(assistant, manager, occupancy):
    charge = bill(assistant, occupancy.tenant, "500.00")
    receipt = pay(assistant, charge, "200.00")
    move_to_closed_day(receipt)
    receipt_reverse(receipt=receipt, by=manager, reason="paid twice")
    assert balance(charge) == (D("0.00"), D("500.00"))


def test_balances_take_a_constant_number_of_queries(assistant, occupancy):
    for _ in range(5):
        pay(assistant, bill(assistant, occupancy.tenant, "100.00"), "40.00")
    with CaptureQueriesContext(connection) as ctx:
        rows = [(c.settled, c.outstanding) for c in charge_balances(Charge.objects.all())]
    assert rows == [(D("40.00"), D("60.00"))] * 5
    assert len(ctx.captured_queries) == 1


# --- cancelling --------------------------------------------------------------------------


def test_cancel_records_the_reason(assistant, occupancy):
    charge = bill(assistant, occupancy.tenant, "300.00")
    charge_cancel(by=assistant, charge=charge, reason="billed to the wrong tenant")
    charge.refresh_from_db()
    assert charge.cancelled is True
    assert charge.history.first().history_change_reason == "cancelled: billed to the wrong tenant"
    assert balance(charge) == (D("0.00"), D("0.00"))


def test_cancel_is_refused_after_a_settlement(assistant, occupancy):
    charge = bill(assistant, occupancy.tenant, "300.00")
    pay(assistant, charge, "1.00")
    with pytest.raises(ValidationError) as caught:
        charge_cancel(by=assistant, charge=charge, reason="x")
    assert caught.value.messages == [
        "Receipts were issued against this charge: it can no longer be cancelled."
    ]
    charge.refresh_from_db()
    assert charge.cancelled is False


def test_cancel_is_allowed_once_the_only_receipt_is_void(assistant, manager, occupancy):
    charge = bill(assistant, occupancy.tenant, "300.00")
    void(pay(assistant, charge, "300.00"), assistant, manager)
    charge_cancel(by=assistant, charge=charge, reason="tenant disputes it")
    charge.refresh_from_db()
    assert charge.cancelled is True


def test_cancel_refuses_no_reason_a_long_reason_and_a_second_cancel(assistant, occupancy):
    charge = bill(assistant, occupancy.tenant, "300.00")
    with pytest.raises(ValidationError) as caught:
        charge_cancel(by=assistant, charge=charge, reason="  ")
    assert caught.value.messages == ["A cancellation needs a reason."]
    with pytest.raises(ValidationError) as caught:
        charge_cancel(by=assistant, charge=charge, reason="x" * 81)
    assert caught.value.messages == ["Keep the reason within 80 characters."]
    charge_cancel(by=assistant, charge=charge, reason="duplicate")
    with pytest.raises(ValidationError) as caught:
        charge_cancel(by=assistant, charge=charge, reason="again")
    assert caught.value.messages == ["This charge was cancelled already."]
    charge.refresh_from_db()
    with pytest.raises(ValidationError):
        pay(assistant, charge, "10.00")


@pytest.mark.parametrize("role", ["manager", "finance", "auditor"])
def test_only_the_assistant_cancels(role, request, assistant, occupancy):
    charge = bill(assistant, occupancy.tenant)
    with pytest.raises(PermissionDenied):
        charge_cancel(by=request.getfixturevalue(role), charge=charge, reason="x")
    charge.refresh_from_db()
    assert charge.cancelled is False


# --- dunning -----------------------------------------------------------------------------


def note(by, charge, **changes):
    today = timezone.localdate()
    values = {
        "noted_on": today,
        "channel": "phone",
        "contact": "王经理",
        "result": "will pay next week",
        "promised_on": today + timedelta(days=7),
        **changes,
    }
    return dunning_note_add(by=by, charge=charge, **values)


def test_dunning_note_is_recorded(assistant, occupancy):
    charge = bill(assistant, occupancy.tenant)
    today = timezone.localdate()
    written = note(assistant, charge, promised_on=today)
    assert (written.charge, written.noted_on, written.promised_on, written.noted_by) == (
        charge,
        today,
        today,
        assistant,
    )
    note(assistant, charge, promised_on=None, contact="  李四 ")
    assert list(charge.dunning_notes.values_list("contact", flat=True)) == ["李四", "王经理"]


def test_dunning_needs_something_owed(assistant, manager, occupancy):
    settled = bill(assistant, occupancy.tenant, "100.00")
    pay(assistant, settled, "100.00")
    cancelled = bill(assistant, occupancy.tenant, "100.00")
    charge_cancel(by=assistant, charge=cancelled, reason="x")
    for charge in (settled, cancelled):
        with pytest.raises(ValidationError) as caught:
            note(assistant, charge)
        assert caught.value.messages == [
            "Nothing is owed on this charge: there is nothing to chase."
        ]
    assert DunningNote.objects.count() == 0


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"noted_on": "tomorrow"}, "noted_on", "The date cannot be in the future."),
        ({"promised_on": "yesterday"}, "promised_on",
         "The promised date cannot be before the date of the note."),
        ({"channel": "pigeon"}, "channel", "Choose how the tenant was contacted."),
        ({"contact": " "}, "contact", "Enter who was contacted."),
        ({"result": ""}, "result", "Enter what the tenant said."),
    ],
)  # fmt: skip
def test_dunning_note_rules(assistant, occupancy, changes, field, message):
    charge = bill(assistant, occupancy.tenant)
    today = timezone.localdate()
    days = {"tomorrow": today + timedelta(days=1), "yesterday": today - timedelta(days=1)}
    changes = {k: days.get(v, v) for k, v in changes.items()}
    with pytest.raises(ValidationError) as caught:
        note(assistant, charge, **changes)
    assert caught.value.message_dict == {field: [message]}
    assert DunningNote.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "finance", "auditor"])
def test_only_the_assistant_records_dunning(role, request, assistant, occupancy):
    charge = bill(assistant, occupancy.tenant)
    with pytest.raises(PermissionDenied):
        note(request.getfixturevalue(role), charge)
    assert DunningNote.objects.count() == 0


# --- statement of account ----------------------------------------------------------------


def test_statement_rows_and_closing_balance(assistant, manager, occupancy):
    tenant = occupancy.tenant
    today = timezone.localdate()
    first = bill(assistant, tenant, "1000.00", billed_on=date(2025, 1, 10), description="A")
    second = bill(assistant, tenant, "250.00", billed_on=date(2025, 2, 1), description="B")
    cancelled = bill(assistant, tenant, "99.00", billed_on=date(2025, 1, 5), description="C")
    charge_cancel(by=assistant, charge=cancelled, reason="x")
    bill(assistant, TenantFactory(), "777.00")  # another tenant's charge stays out
    r1 = pay(assistant, first, "400.00")
    yesterday = move_to_closed_day(r1)
    r2 = pay(assistant, first, "100.00")
    void(pay(assistant, second, "250.00"), assistant, manager)
    r4 = pay(assistant, second, "50.00")
    reversal = receipt_reverse(receipt=r1, by=manager, reason="bounced")

    statement = tenant_statement(tenant)
    rows = [(r.on, r.text, r.debit, r.credit, r.balance) for r in statement.rows]
    assert rows == [
        (date(2025, 1, 10), "Decoration waste removal · A", D("1000.00"), D("0"), D("1000.00")),
        (date(2025, 2, 1), "Decoration waste removal · B", D("250.00"), D("0"), D("1250.00")),
        (yesterday, f"Receipt {r1.number}", D("0"), D("400.00"), D("850.00")),
        (today, f"Receipt {r2.number}", D("0"), D("100.00"), D("750.00")),
        (today, f"Receipt {r4.number}", D("0"), D("50.00"), D("700.00")),
        (today, f"Reversal {reversal.number}", D("0"), D("-400.00"), D("1100.00")),
    ]
    assert (statement.debit_total, statement.credit_total, statement.closing_balance) == (
        D("1250.00"),
        D("150.00"),
        D("1100.00"),
    )
    # The closing balance is what the open charges still owe.
    assert sum(balance(c)[1] for c in (first, second)) == D("1100.00")


def test_statement_on_the_same_day_bills_before_it_settles(assistant, occupancy):
    today = timezone.localdate()
    charge = bill(assistant, occupancy.tenant, "80.00", billed_on=today, due_on=today)
    pay(assistant, charge, "80.00")
    statement = tenant_statement(occupancy.tenant)
    assert [(r.debit, r.credit, r.balance) for r in statement.rows] == [
        (D("80.00"), D("0"), D("80.00")),
        (D("0"), D("80.00"), D("0.00")),
    ]
    assert statement.closing_balance == D("0.00")


# --- ageing ------------------------------------------------------------------------------

TODAY = date(2026, 1, 31)
# Days past due → amount; the boundaries of every bucket.
PAST_DUE = {0: "1.00", 1: "2.00", 30: "4.00", 31: "8.00", 60: "16.00", 61: "32.00",
            90: "64.00", 91: "128.00", -5: "256.00"}  # fmt: skip


@pytest.fixture
def aged(assistant):
    """Tenant 甲 with one charge at each bucket boundary; 乙 with a part-paid charge;
    丙 owing nothing (one charge settled, one cancelled)."""
    jia = TenantFactory(name="甲商行")
    for days, amount in PAST_DUE.items():
        due = TODAY - timedelta(days=days)
        bill(assistant, jia, amount, billed_on=due - timedelta(days=10), due_on=due)
    yi = TenantFactory(name="乙餐饮")
    part_paid = bill(
        assistant, yi, "500.00", billed_on=date(2025, 12, 1), due_on=date(2025, 12, 17)
    )
    pay(assistant, part_paid, "200.00")
    bill(assistant, yi, "70.00", billed_on=date(2025, 1, 1), due_on=date(2025, 2, 1))
    bing = TenantFactory(name="丙书店")
    pay(assistant, bill(assistant, bing, "60.00", due_on=date(2025, 7, 1)), "60.00")
    charge_cancel(by=assistant, charge=bill(assistant, bing, "90.00"), reason="x")
    return jia, yi


def test_ageing_buckets_are_exact_on_the_boundaries(aged):
    jia, yi = aged
    report = ageing(TODAY)
    rows = [(r.tenant_name, r.buckets, r.total) for r in report.rows]
    assert rows == [
        ("乙餐饮", [D("0"), D("0"), D("300.00"), D("0"), D("70.00")], D("370.00")),
        ("甲商行", [D("257.00"), D("6.00"), D("24.00"), D("96.00"), D("128.00")], D("511.00")),
    ]
    assert report.totals == [D("257.00"), D("6.00"), D("324.00"), D("96.00"), D("198.00")]
    assert report.total == D("881.00")
    only = ageing(TODAY, tenant=yi)
    assert [(r.tenant_name, r.total) for r in only.rows] == [("乙餐饮", D("370.00"))]


def test_the_ageing_page_sums_its_bands_over_every_tenant_not_the_page(client, finance, assistant):
    """Past a page of tenants the list goes on on page 2; the totals under each page are the
    bands of every charge owed, summed from the one query of the report, not from the page."""
    today = timezone.localdate()
    for number in range(60):  # 丁00 owes 1.00 due today, 丁01 2.00 due 3 days ago...
        tenant = TenantFactory(name=f"丁{number:02d}")
        due = today - timedelta(days=number * 3)
        bill(assistant, tenant, f"{number + 1}.00", billed_on=due - timedelta(days=5), due_on=due)
    client.force_login(finance)
    url = reverse("fees:charge_ageing")
    first = client.get(url, {"sort": "tenant"})
    second = client.get(url, {"sort": "tenant", "page": 2})
    report = ageing(today)

    def owed(numbers) -> Decimal:
        return sum((D(n + 1) for n in numbers), D("0.00"))

    # 0 days past due (not due), 3–30, 33–60, 63–90, 93–177.
    bands = [owed([0]), owed(range(1, 11)), owed(range(11, 21)), owed(range(21, 31))]
    bands.append(owed(range(31, 60)))
    assert bands == [D("1.00"), D("65.00"), D("165.00"), D("265.00"), D("1334.00")]
    for page in (first, second):
        assert page.context["ageing"].totals == bands == report.totals
        assert page.context["ageing"].total == D("1830.00") == report.total
        footer = page.content.decode().split("<tfoot>")[1]
        assert [f"¥{amount:,.2f}" in footer for amount in bands] == [True] * 5
    assert len(first.context["page"]) == 50
    names = [r.tenant_name for r in first.context["page"]]
    names += [r.tenant_name for r in second.context["page"]]
    assert names == [f"丁{number:02d}" for number in range(60)]
    assert [row.buckets for row in second.context["page"]] == [
        row.buckets for row in sorted(report.rows, key=lambda r: r.tenant_name)[50:]
    ]
    assert 'id="ageing-pages"' in first.content.decode()
    assert "page 2 of 2" in second.content.decode()
    assert len(first.content) < 60_000


def test_ageing_takes_one_query(aged):
    with CaptureQueriesContext(connection) as ctx:
        ageing(TODAY)
    assert len(ctx.captured_queries) == 1


def test_overdue_charges_for_the_home_page(aged):
    overdue = overdue_charges(TODAY)
    assert [(c.tenant.name, c.due_on, c.outstanding) for c in overdue] == [
        ("乙餐饮", date(2025, 2, 1), D("70.00")),
        ("甲商行", TODAY - timedelta(days=91), D("128.00")),
        ("甲商行", TODAY - timedelta(days=90), D("64.00")),
        ("甲商行", TODAY - timedelta(days=61), D("32.00")),
        ("甲商行", TODAY - timedelta(days=60), D("16.00")),
        ("乙餐饮", date(2025, 12, 17), D("300.00")),
        ("甲商行", TODAY - timedelta(days=31), D("8.00")),
        ("甲商行", TODAY - timedelta(days=30), D("4.00")),
        ("甲商行", TODAY - timedelta(days=1), D("2.00")),
    ]


# --- pages: who may see and do what ------------------------------------------------------


def charge_urls(charge):
    return {
        "list": reverse("fees:charge_list"),
        "detail": reverse("fees:charge_detail", args=[charge.pk]),
        "statement": reverse("fees:tenant_statement", args=[charge.tenant_id]),
        "ageing": reverse("fees:charge_ageing"),
        "xlsx": reverse("fees:charge_ageing_xlsx"),
        "pdf": reverse("fees:charge_ageing_pdf"),
        "create": reverse("fees:charge_create"),
    }


READ = {"list", "detail", "statement", "ageing", "xlsx", "pdf"}
ALLOWED = {
    "assistant": READ | {"create"},
    "manager": READ,
    "finance": READ,
    "auditor": READ,
    "department": set(),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_charge_pages_follow_the_role_matrix(role, request, client, assistant, occupancy):
    urls = charge_urls(bill(assistant, occupancy.tenant))
    client.force_login(request.getfixturevalue(role))
    seen = {name: client.get(url).status_code for name, url in urls.items()}
    assert seen == {name: 200 if name in ALLOWED[role] else 403 for name in urls}


def form_data(who, **changes):
    return {
        "tenant": who.name,
        "unit": "",
        "fee_type": FeeType.objects.get(code="overtime_work").pk,
        "description": "Overtime work, 3 nights",
        "amount": "300.00",
        "billed_on": "2025-06-01",
        "due_on": "2025-06-30",
        **changes,
    }


def test_billing_form_bills_and_opens_the_charge(client, assistant, occupancy):
    client.force_login(assistant)
    response = client.post(
        reverse("fees:charge_create"), form_data(occupancy.tenant, unit="b-1-08")
    )
    charge = Charge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == charge.get_absolute_url()
    assert (charge.tenant, charge.unit, charge.amount, charge.due_on) == (
        occupancy.tenant,
        occupancy.unit,
        D("300.00"),
        date(2025, 6, 30),
    )


def test_billing_form_prefills_the_tenant(client, assistant, occupancy):
    client.force_login(assistant)
    url = reverse("fees:charge_create") + f"?tenant={occupancy.tenant.pk}"
    assert client.get(url).context["form"]["tenant"].value() == occupancy.tenant.name


MONEY_RULE = (
    "Enter an amount from 0.01 to 1000000.00 yuan in plain digits with at most two decimals, "
    "e.g. 35 or 35.50 (no commas)."
)


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"amount": "0"}, "amount", MONEY_RULE),
        ({"amount": "abc"}, "amount", MONEY_RULE),
        ({"due_on": "2025-05-01"}, "due_on", "The due date cannot be before the billing date."),
        ({"unit": "Z-9-99"}, "unit", "No unit has the code Z-9-99."),
        ({"tenant": "没有这家"}, "tenant", "No tenant matches “没有这家”."),
    ],
)
def test_billing_form_shows_errors_and_writes_nothing(
    client, assistant, occupancy, changes, field, message
):
    client.force_login(assistant)
    response = client.post(reverse("fees:charge_create"), form_data(occupancy.tenant, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Charge.objects.count() == 0


def test_billing_form_refuses_an_ambiguous_tenant_name(client, assistant):
    one = TenantFactory(name="星光眼镜店", phone="13800000001")
    TenantFactory(name="星光眼镜店", phone="13800000002")
    client.force_login(assistant)
    response = client.post(reverse("fees:charge_create"), form_data(one, tenant="星光"))
    assert response.context["form"].errors["tenant"] == [
        "Several tenants match (星光眼镜店 (13800000001)、星光眼镜店 (13800000002)): "
        "type more of the name, or the mobile."
    ]
    assert Charge.objects.count() == 0
    # The mobile tells them apart.
    response = client.post(reverse("fees:charge_create"), form_data(one, tenant="13800000001"))
    assert response.status_code == 302
    assert Charge.objects.get().tenant == one


def test_billing_form_refuses_another_tenants_unit(client, assistant, occupancy):
    # A name of its own: Faker's few company names may repeat, and a second tenant of the
    # same name would make the tenant field ambiguous instead.
    other = OccupancyFactory(
        unit=UnitFactory(code="E-3-09"), tenant=TenantFactory(name="东门五金店")
    )
    client.force_login(assistant)
    response = client.post(
        reverse("fees:charge_create"), form_data(occupancy.tenant, unit=other.unit.code)
    )
    assert response.context["form"].errors["unit"] == [
        f"{occupancy.tenant.name} never occupied unit E-3-09: choose one of the tenant's units."
    ]
    assert Charge.objects.count() == 0


def test_finance_cannot_post_a_charge(client, finance, occupancy):
    client.force_login(finance)
    response = client.post(reverse("fees:charge_create"), form_data(occupancy.tenant))
    assert response.status_code == 403
    assert Charge.objects.count() == 0


def test_detail_links_settle_receipts_and_statement(client, assistant, occupancy):
    charge = bill(assistant, occupancy.tenant, "500.00")
    receipt = pay(assistant, charge, "120.00")
    client.force_login(assistant)
    response = client.get(charge.get_absolute_url())
    page = response.content.decode()
    settle = reverse("fees:receipt_create") + f"?tenant={charge.tenant_id}&amp;charge={charge.pk}"
    assert settle in page
    assert f'href="{receipt.get_absolute_url()}">{receipt.number}</a>' in page
    assert reverse("fees:tenant_statement", args=[charge.tenant_id]) in page
    assert (response.context["charge"].settled, response.context["charge"].outstanding) == (
        D("120.00"),
        D("380.00"),
    )
    # The receipt page accepts the settle link's parameters.
    settle_page = client.get(
        reverse("fees:receipt_create"), {"tenant": charge.tenant_id, "charge": charge.pk}
    )
    assert settle_page.status_code == 200


def test_finance_sees_no_settle_or_cancel_buttons(client, assistant, finance, occupancy):
    charge = bill(assistant, occupancy.tenant)
    client.force_login(finance)
    page = client.get(charge.get_absolute_url()).content.decode()
    assert 'id="settle"' not in page
    assert reverse("fees:charge_cancel", args=[charge.pk]) not in page
    assert reverse("fees:dunning_note_add", args=[charge.pk]) not in page


def test_cancel_action(client, assistant, finance, occupancy):
    charge = bill(assistant, occupancy.tenant)
    url = reverse("fees:charge_cancel", args=[charge.pk])
    client.force_login(finance)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(assistant)
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": "wrong tenant"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["The charge was cancelled."]
    charge.refresh_from_db()
    assert charge.cancelled is True


def test_cancel_action_after_a_settlement_changes_nothing(client, assistant, occupancy):
    charge = bill(assistant, occupancy.tenant)
    pay(assistant, charge, "10.00")
    client.force_login(assistant)
    response = client.post(
        reverse("fees:charge_cancel", args=[charge.pk]), {"reason": "x"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Receipts were issued against this charge: it can no longer be cancelled."
    ]
    charge.refresh_from_db()
    assert charge.cancelled is False


def test_dunning_action(client, assistant, finance, occupancy):
    charge = bill(assistant, occupancy.tenant)
    url = reverse("fees:dunning_note_add", args=[charge.pk])
    today = timezone.localdate()
    data = {
        "noted_on": today.isoformat(),
        "channel": "visit",
        "contact": "张三",
        "result": "asked for a week",
        "promised_on": (today + timedelta(days=7)).isoformat(),
    }
    client.force_login(finance)
    assert client.post(url, data).status_code == 403
    client.force_login(assistant)
    bad = client.post(url, {**data, "promised_on": (today - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400
    assert bad.context["dunning_form"].errors["promised_on"] == [
        "The promised date cannot be before the date of the note."
    ]
    assert DunningNote.objects.count() == 0
    assert client.post(url, data)["Location"] == charge.get_absolute_url()
    assert list(DunningNote.objects.values_list("channel", "contact", "promised_on")) == [
        ("visit", "张三", today + timedelta(days=7))
    ]


def test_statement_page(client, auditor, assistant, occupancy):
    charge = bill(assistant, occupancy.tenant, "900.00")
    pay(assistant, charge, "300.00")
    client.force_login(auditor)
    response = client.get(reverse("fees:tenant_statement", args=[occupancy.tenant.pk]))
    assert response.context["statement"].closing_balance == D("600.00")
    assert 'id="closing-balance">¥600.00<' in response.content.decode()


# --- the charge list ---------------------------------------------------------------------


def a_paid_charge(assistant):
    occupancy = OccupancyFactory()
    charge = ChargeFactory(
        created_by=assistant, tenant=occupancy.tenant, unit=occupancy.unit, amount=D("100.00")
    )
    pay(assistant, charge, "30.00")


# The ageing: its bands' totals, the tenants owing counted, a page of them ranked, summed.
@pytest.mark.parametrize("name, queries", [("charge_list", 8), ("charge_ageing", 10)])
def test_list_queries_do_not_grow_with_rows(assistant, flat_queries, name, queries):
    flat_queries(
        reverse(f"fees:{name}"), lambda: a_paid_charge(assistant), queries=queries, user=assistant
    )


def test_statement_queries_do_not_grow_with_rows(assistant, occupancy, flat_queries):
    def bill_and_pay():
        pay(assistant, ChargeFactory(created_by=assistant, tenant=occupancy.tenant), "10.00")

    flat_queries(
        reverse("fees:tenant_statement", args=[occupancy.tenant.pk]),
        bill_and_pay,
        # The charges, the receipt lines and the offsets from deposits: one query each.
        queries=10,
        user=assistant,
    )


def rows_of(response):
    return [
        (c.tenant.name, c.amount, c.outstanding)
        for c in response.context["table"].page.object_list.data
    ]


def test_charge_list_filters_and_sorts(client, assistant, manager):
    today = timezone.localdate()
    a = OccupancyFactory(tenant=TenantFactory(name="甲"), unit=UnitFactory(code="A-1-01"))
    b = OccupancyFactory(tenant=TenantFactory(name="乙"), unit=UnitFactory(code="B-2-02"))
    overdue = bill(assistant, a.tenant, "300.00", unit=a.unit, billed_on=today - timedelta(days=40))
    settled = bill(assistant, a.tenant, "200.00", billed_on=today)
    pay(assistant, settled, "200.00")
    not_due = bill(assistant, b.tenant, "100.00", unit=b.unit, billed_on=today)
    cancelled = bill(assistant, b.tenant, "50.00", billed_on=today)
    charge_cancel(by=assistant, charge=cancelled, reason="x")
    client.force_login(manager)
    url = reverse("fees:charge_list")

    def get(**params):
        return rows_of(client.get(url, params))

    assert get(status="open", sort="-amount") == [
        ("甲", D("300.00"), D("300.00")),
        ("乙", D("100.00"), D("100.00")),
    ]
    assert get(status="settled") == [("甲", D("200.00"), D("0.00"))]
    assert get(status="cancelled") == [("乙", D("50.00"), D("0.00"))]
    assert get(overdue="yes") == [("甲", D("300.00"), D("300.00"))]
    assert [row[1] for row in get(overdue="no", sort="amount")] == [
        D("50.00"), D("100.00"), D("200.00"),
    ]  # fmt: skip
    assert get(tenant="乙", unit="b-2") == [("乙", D("100.00"), D("100.00"))]
    assert [row[1] for row in get(sort="due_on")] == [
        overdue.amount, settled.amount, not_due.amount, cancelled.amount,
    ]  # fmt: skip
    page = client.get(url, {"overdue": "yes"}).content.decode()
    assert '<span class="text-danger fw-semibold">10</span>' in page


# --- the ageing report -------------------------------------------------------------------


def test_ageing_page_sorts_by_total(client, finance, aged):
    client.force_login(finance)
    url = reverse("fees:charge_ageing")
    names = [r.tenant_name for r in client.get(url).context["page"]]
    ascending = [r.tenant_name for r in client.get(url, {"sort": "total"}).context["page"]]
    # Today's ageing (the fixture's dates are in the past, so both owe overdue amounts).
    totals = {r.tenant_name: r.total for r in ageing(timezone.localdate()).rows}
    assert names == sorted(totals, key=totals.get, reverse=True)
    assert ascending == names[::-1]


def test_ageing_excel_has_the_page_totals(client, finance, settings, aged):
    client.force_login(finance)
    # The headers follow the request's language: Chinese, the desk's default.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("fees:charge_ageing_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    report = ageing(timezone.localdate())
    sheet, dunning = load_workbook(io.BytesIO(response.content)).worksheets
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("zh-hans"):
        headers = [translation.gettext(s) for s in ("tenant", *BUCKET_LABELS, "Total")]
    assert list(rows[0]) == headers
    assert rows[-1] == (headers[-1], *report.totals, report.total)
    # Biggest debtor first, as on the page.
    by_total = sorted(report.rows, key=lambda r: r.total, reverse=True)
    assert [r[0] for r in rows[1:-1]] == [r.tenant_name for r in by_total]
    assert [r[6] for r in rows[1:-1]] == [r.total for r in by_total]
    assert sheet.cell(len(rows), 2).number_format == "#,##0.00"
    dunning_rows = list(dunning.iter_rows(values_only=True))[1:]
    assert sum(r[6] for r in dunning_rows) == sum(report.totals[1:])


def test_ageing_pdf_carries_the_totals(client, auditor, aged):
    client.force_login(auditor)
    response = client.get(reverse("fees:charge_ageing_pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = "".join(p.extract_text() for p in reader.pages)
    report = ageing(timezone.localdate())
    for amount in [*report.totals, report.total]:
        assert f"{amount:,.2f}" in text
    assert "甲商行" in text and "乙餐饮" in text
