"""Input is exact or refused (issue 7, point 8): every money, count and date field of the
desk's forms, posted through its page, says what it accepts and writes nothing."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fees.models import (
    Charge,
    DailyClose,
    DunningNote,
    FeeType,
    Handover,
    Permit,
    Receipt,
    ReceiptBook,
    ReceiptLine,
)
from tests.factories.archives import ContractorFactory, OccupancyFactory, UnitFactory
from tests.factories.fees import ReceiptBookFactory
from tests.factories.finance import close_day, issue, move, receipt_post

pytestmark = pytest.mark.django_db
D = Decimal

MONEY_RULE = (
    "Enter an amount from 0.01 to 1000000.00 yuan in plain digits with at most two decimals, "
    "e.g. 35 or 35.50 (no commas)."
)
DISCOUNT_RULE = MONEY_RULE.replace("from 0.01", "from 0.00")
DAY_TOTAL_RULE = (
    "Enter an amount from 0.00 to 100000000.00 yuan in plain digits with at most two "
    "decimals, e.g. 35 or 35.50 (no commas)."
)
QUANTITY_RULE = "Enter a whole number from 1 to 999 in plain digits."
PIECES_RULE = "Enter a whole number from 0 to 100000 in plain digits."

# The values of the issue, and a few more a desk could type.
BAD_AMOUNTS = [
    "1e3",
    "NaN",
    "Infinity",
    "1.005",
    "１２３",
    "99999999999",
    "1,000",
    "+5",
    "0x10",
    "-5",
    "35元",
]
BAD_QUANTITIES = ["1e2", "１２", "1.5", "2.0", "-1", "+1", "NaN", "1,000", "0x10"]


def today() -> date:
    return timezone.localdate()


def fee(code) -> FeeType:
    return FeeType.objects.get(code=code)


def bounds_message(first: date, last: date) -> str:
    return f"Enter a date from {first.isoformat()} to {last.isoformat()}."


# --- the receipt form --------------------------------------------------------------------


def one_line_post(**changes):
    """The receipt form with its permit-fee line only (the card-fee line left empty)."""
    empty = {"lines-1-fee_type": "", "lines-1-quantity": "", "lines-1-unit_price": ""}
    return receipt_post(
        **{**empty, "lines-0-discount": "", "lines-0-discount_reason": "", **changes}
    )


def post_receipt(client, **changes):
    rows = (Receipt.objects.count(), ReceiptLine.objects.count())
    response = client.post(reverse("fees:receipt_create"), one_line_post(**changes))
    assert response.status_code == 200
    assert (Receipt.objects.count(), ReceiptLine.objects.count()) == rows
    return response.context["formset"].forms[0].errors


@pytest.mark.parametrize("value", [*BAD_AMOUNTS, " ", "0", "1000000.01"])
def test_receipt_unit_price_refuses(assistant, client, value):
    client.force_login(assistant)
    errors = post_receipt(client, **{"lines-0-unit_price": value})
    # A blank price on a line with a fee asks for the price (the line's own rule).
    expected = "Enter the unit price." if value == " " else MONEY_RULE
    assert errors == {"unit_price": [expected]}


@pytest.mark.parametrize("value", BAD_AMOUNTS)
def test_receipt_discount_refuses(assistant, client, value):
    client.force_login(assistant)
    errors = post_receipt(
        client, **{"lines-0-discount": value, "lines-0-discount_reason": "老客户"}
    )
    assert errors == {"discount": [DISCOUNT_RULE]}


@pytest.mark.parametrize("value", [*BAD_QUANTITIES, "0", "1000"])
def test_receipt_quantity_refuses(assistant, client, value):
    client.force_login(assistant)
    errors = post_receipt(client, **{"lines-0-quantity": value})
    assert errors == {"quantity": [QUANTITY_RULE]}


@pytest.mark.parametrize(
    ("price", "quantity", "stored", "total"),
    [
        ("35", "1", "35.00", "35.00"),
        ("35.5", "2", "35.50", "71.00"),
        ("35.50", "999", "35.50", "35464.50"),
        ("0.01", "1", "0.01", "0.01"),
        ("1000000", "1", "1000000.00", "1000000.00"),
        ("1000000.00", " ", "1000000.00", "1000000.00"),  # a blank quantity is one
    ],
)
def test_receipt_takes_exact_amounts(assistant, client, price, quantity, stored, total):
    client.force_login(assistant)
    response = client.post(
        reverse("fees:receipt_create"),
        one_line_post(**{"lines-0-unit_price": price, "lines-0-quantity": quantity}),
    )
    assert response.status_code == 302
    line = ReceiptLine.objects.get()
    assert (str(line.unit_price), str(line.receipt.total)) == (stored, total)
    assert line.unit_price == D(stored)


# --- a charge ----------------------------------------------------------------------------


@pytest.fixture
def occupancy():
    return OccupancyFactory()


def charge_post(tenant, **changes):
    data = {
        "tenant": tenant.name,
        "unit": "",
        "fee_type": fee("overtime_work").pk,
        "description": "加班施工 3 晚",
        "amount": "300.00",
        "billed_on": today().isoformat(),
        "due_on": (today() + timedelta(days=30)).isoformat(),
    }
    data.update(changes)
    return data


def post_charge(client, tenant, **changes):
    response = client.post(reverse("fees:charge_create"), charge_post(tenant, **changes))
    return response


@pytest.mark.parametrize("value", [*BAD_AMOUNTS, " ", "0", "1000000.01"])
def test_charge_amount_refuses(assistant, client, occupancy, value):
    client.force_login(assistant)
    response = post_charge(client, occupancy.tenant, amount=value)
    assert response.status_code == 200
    assert response.context["form"].errors == {"amount": [MONEY_RULE]}
    assert Charge.objects.count() == 0


@pytest.mark.parametrize("value", ["35", "35.5", "35.50", "0.01", "1000000.00"])
def test_charge_amount_is_kept_exactly(assistant, client, occupancy, value):
    client.force_login(assistant)
    assert post_charge(client, occupancy.tenant, amount=value).status_code == 302
    assert Charge.objects.get().amount == D(value)


def date_cases(first_ok: date, last_ok: date):
    """The two bounds and the days just outside them."""
    return [
        (first_ok - timedelta(days=1), False),
        (first_ok, True),
        (last_ok, True),
        (last_ok + timedelta(days=1), False),
    ]


@pytest.mark.parametrize("case", range(4))
def test_charge_billing_date_from_the_first_records_to_today(
    assistant, client, occupancy, settings, case
):
    settings.EARLIEST_RECORD_DATE = today() - timedelta(days=500)
    day, accepted = date_cases(settings.EARLIEST_RECORD_DATE, today())[case]
    client.force_login(assistant)
    response = post_charge(
        client,
        occupancy.tenant,
        billed_on=day.isoformat(),
        due_on=(today() + timedelta(days=60)).isoformat(),
    )
    if accepted:
        assert response.status_code == 302
        assert Charge.objects.get().billed_on == day
    else:
        assert response.context["form"].errors == {
            "billed_on": [bounds_message(settings.EARLIEST_RECORD_DATE, today())]
        }
        assert Charge.objects.count() == 0


@pytest.mark.parametrize("case", [2, 3])
def test_charge_due_at_most_two_years_ahead(assistant, client, occupancy, case):
    day, accepted = date_cases(today(), today() + timedelta(days=731))[case]
    client.force_login(assistant)
    response = post_charge(client, occupancy.tenant, due_on=day.isoformat())
    if accepted:
        assert Charge.objects.get().due_on == day
    else:
        assert response.context["form"].errors == {
            "due_on": [bounds_message(date(2000, 1, 1), today() + timedelta(days=731))]
        }
        assert Charge.objects.count() == 0


def test_dunning_note_dates_are_bounded(assistant, client, occupancy):
    client.force_login(assistant)
    assert post_charge(client, occupancy.tenant).status_code == 302
    charge = Charge.objects.get()
    url = reverse("fees:dunning_note_add", args=[charge.pk])
    data = {"channel": "visit", "contact": "张三", "result": "下周付"}
    tomorrow, latest = today() + timedelta(days=1), today() + timedelta(days=366)
    noted_tomorrow = client.post(url, {**data, "noted_on": tomorrow.isoformat()})
    assert noted_tomorrow.context["dunning_form"].errors == {
        "noted_on": [bounds_message(date(2000, 1, 1), today())]
    }
    too_late = client.post(
        url,
        {
            **data,
            "noted_on": today().isoformat(),
            "promised_on": (latest + timedelta(days=1)).isoformat(),
        },
    )
    assert too_late.context["dunning_form"].errors == {
        "promised_on": [bounds_message(date(2000, 1, 1), latest)]
    }
    assert DunningNote.objects.count() == 0
    client.post(url, {**data, "noted_on": today().isoformat(), "promised_on": latest.isoformat()})
    assert DunningNote.objects.get().promised_on == latest


# --- the daily close: the count and the handover ----------------------------------------


@pytest.fixture
def day_with_a_receipt(assistant):
    issue(assistant, ("permit_fee", "20.00", 1))
    return DailyClose.objects.get_or_create(business_date=today())[0]


def post_to_day(client, name, day, data):
    """Post one of the day page's forms and read the page it leads to."""
    rows = (DailyClose.objects.count(), DailyClose.history.count(), Handover.objects.count())
    response = client.post(reverse(name, args=[day.business_date.isoformat()]), data, follow=True)
    assert response.status_code == 200
    assert (
        DailyClose.objects.count(),
        DailyClose.history.count(),
        Handover.objects.count(),
    ) == rows
    return response.content.decode()


@pytest.mark.parametrize("value", [*BAD_QUANTITIES, "100001"])
def test_count_of_notes_refuses(assistant, client, day_with_a_receipt, value):
    client.force_login(assistant)
    page = post_to_day(client, "fees:day_count", day_with_a_receipt, {"cash_100": value})
    assert PIECES_RULE in page
    day_with_a_receipt.refresh_from_db()
    assert (day_with_a_receipt.counted_at, day_with_a_receipt.counts.count()) == (None, 0)
    assert day_with_a_receipt.figures == {}


@pytest.mark.parametrize("value", [*BAD_AMOUNTS, "100000000.01"])
def test_count_of_a_platform_total_refuses(assistant, client, day_with_a_receipt, value):
    client.force_login(assistant)
    page = post_to_day(client, "fees:day_count", day_with_a_receipt, {"noncash_wechat": value})
    assert DAY_TOTAL_RULE in page
    day_with_a_receipt.refresh_from_db()
    assert day_with_a_receipt.counted_at is None


def test_count_takes_exact_figures(assistant, client, day_with_a_receipt):
    client.force_login(assistant)
    client.post(
        reverse("fees:day_count", args=[today().isoformat()]),
        {"cash_10": "2", "cash_0_5": "0", "noncash_wechat": "35.5", "noncash_alipay": " "},
    )
    day_with_a_receipt.refresh_from_db()
    final = day_with_a_receipt.counts.get()
    assert [(row.denomination, row.pieces) for row in final.cash.all()] == [(Decimal("10"), 2)]
    assert day_with_a_receipt.counted_by_method == {
        "cash": Decimal("20.00"),
        "card": Decimal("0.00"),
        "wechat": Decimal("35.50"),
        "alipay": Decimal("0.00"),
        "transfer": Decimal("0.00"),
    }


@pytest.mark.parametrize("value", [*BAD_AMOUNTS, " ", "100000000.01"])
def test_handover_cash_received_refuses(assistant, manager, finance, client, value):
    issue(assistant, ("permit_fee", "20.00", 1))
    day = close_day(
        today(),
        assistant=assistant,
        manager=manager,
        finance=finance,
        cash={"20": 1},
        until="approved",
    )
    client.force_login(finance)
    page = post_to_day(
        client, "fees:day_handover", day, {"cash_received": value, "bag_number": "B-1"}
    )
    assert DAY_TOTAL_RULE in page
    day.refresh_from_db()
    assert day.state == "approved"


# --- which days have a daily close -------------------------------------------------------


def day_page(client, day) -> int:
    value = day if isinstance(day, str) else day.isoformat()
    return client.get(reverse("fees:day_detail", args=[value])).status_code


def test_a_day_page_only_from_the_first_receipt_day_to_today(assistant, manager, client):
    move(issue(assistant, ("permit_fee", "20.00", 1)), today() - timedelta(days=10))
    client.force_login(manager)
    first = today() - timedelta(days=10)
    assert day_page(client, first - timedelta(days=1)) == 404
    assert day_page(client, today() + timedelta(days=1)) == 404
    assert not DailyClose.objects.exclude(business_date=today()).exists()
    assert day_page(client, first) == 200
    assert day_page(client, today()) == 200


def test_before_any_receipt_only_today_has_a_day_page(assistant, client):
    client.force_login(assistant)
    assert day_page(client, today() - timedelta(days=1)) == 404
    assert day_page(client, today()) == 200


@pytest.mark.parametrize(
    "address", ["{compact}", "{week}", " {iso}", "{iso}x", "２０２６-０１-０１"]
)
def test_a_day_is_addressed_exactly(assistant, client, address):
    issue(assistant, ("permit_fee", "20.00", 1))
    client.force_login(assistant)
    iso_year, iso_week, weekday = today().isocalendar()
    value = address.format(
        compact=today().strftime("%Y%m%d"),
        week=f"{iso_year}-W{iso_week:02d}-{weekday}",
        iso=today().isoformat(),
    )
    assert day_page(client, value) == 404


def test_no_count_on_a_day_before_the_first_receipt(assistant, client):
    issue(assistant, ("permit_fee", "20.00", 1))
    client.force_login(assistant)
    yesterday = today() - timedelta(days=1)
    response = client.post(
        reverse("fees:day_count", args=[yesterday.isoformat()]), {"cash_10": "1"}
    )
    assert response.status_code == 404
    assert not DailyClose.objects.filter(business_date=yesterday).exists()


# --- paper receipt books -----------------------------------------------------------------


def book_post(assistant, **changes):
    data = {
        "series": "",
        "first_number": "101",
        "last_number": "150",
        "issued_to": assistant.pk,
        "issued_on": today().isoformat(),
        "notes": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_number": "１０１"}, "first_number", "from 1 to"),
        ({"first_number": "1e2"}, "first_number", "from 1 to"),
        ({"last_number": "150.0"}, "last_number", "from 1 to"),
        ({"issued_on": "tomorrow"}, "issued_on", "Enter a date from 2000-01-01 to {today}."),
        ({"issued_on": "1999-12-31"}, "issued_on", "Enter a date from 2000-01-01 to {today}."),
    ],
)
def test_book_register_refuses(assistant, client, changes, field, message):
    if changes.get("issued_on") == "tomorrow":
        changes = {"issued_on": (today() + timedelta(days=1)).isoformat()}
    client.force_login(assistant)
    response = client.post(reverse("fees:book_register"), book_post(assistant, **changes))
    assert response.status_code == 200
    [error] = response.context["form"].errors[field]
    if message.startswith("Enter a date"):
        assert error == message.format(today=today())
    else:
        assert error.startswith("Enter a whole number " + message)
    assert ReceiptBook.objects.count() == 0


@pytest.fixture
def book(assistant):
    return ReceiptBookFactory(first_number=1, issued_to=assistant)


def transcribe_post(**changes):
    data = one_line_post(**changes)
    for name in ("lines-0-discount", "lines-0-discount_reason", "approver_username"):
        data.pop(name)
    return data


@pytest.mark.parametrize("case", range(4))
def test_paper_receipt_dated_from_the_books_issue_to_today(assistant, client, book, case):
    day, accepted = date_cases(book.issued_on, today())[case]
    client.force_login(assistant)
    url = reverse("fees:book_transcribe", args=[book.pk, 1])
    response = client.post(url, transcribe_post(paper_date=day.isoformat()))
    if accepted:
        assert response.status_code == 302
        assert Receipt.objects.get().paper_number == "0000001"
    else:
        assert response.context["form"].errors == {
            "paper_date": [bounds_message(book.issued_on, today())]
        }
        assert Receipt.objects.count() == 0


@pytest.mark.parametrize("value", ["１", "1e0", "0.5"])
def test_paper_receipt_quantity_refuses(assistant, client, book, value):
    client.force_login(assistant)
    url = reverse("fees:book_transcribe", args=[book.pk, 1])
    response = client.post(
        url, transcribe_post(paper_date=today().isoformat(), **{"lines-0-quantity": value})
    )
    assert response.context["formset"].forms[0].errors == {"quantity": [QUANTITY_RULE]}
    assert Receipt.objects.count() == 0


def test_book_returned_not_before_it_was_issued(assistant, client, book):
    client.force_login(assistant)
    url = reverse("fees:book_return", args=[book.pk])
    early = (book.issued_on - timedelta(days=1)).isoformat()
    response = client.post(url, {"returned_on": early}, follow=True)
    assert f"returned on: {bounds_message(book.issued_on, today())}" in response.content.decode()
    book.refresh_from_db()
    assert book.returned_on is None
    client.post(url, {"returned_on": book.issued_on.isoformat()})
    book.refresh_from_db()
    assert book.returned_on == book.issued_on


# --- permits -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", range(4))
def test_permit_starts_from_today_to_ninety_days_ahead(assistant, client, case):
    from config.demo import make_resident_id

    day, accepted = date_cases(today(), today() + timedelta(days=90))[case]
    contractor, unit = ContractorFactory(), UnitFactory()
    data = {
        "request_key": str(uuid.uuid4()),
        "contractor": f"{contractor.name} #{contractor.pk}",
        "unit": unit.code,
        "valid_from": day.isoformat(),
        "valid_to": (day + timedelta(days=30)).isoformat(),
        "method": "cash",
        "reference": "",
        "workers-TOTAL_FORMS": "1",
        "workers-INITIAL_FORMS": "0",
        "workers-MIN_NUM_FORMS": "0",
        "workers-MAX_NUM_FORMS": "10",
        "workers-0-name": "张三",
        "workers-0-id_doc_type": "resident_id",
        "workers-0-id_number": make_resident_id(__import__("random").Random(7)),
        "workers-0-phone": "13800138000",
    }
    client.force_login(assistant)
    response = client.post(reverse("fees:permit_issue"), data)
    if accepted:
        assert response.status_code == 302
        assert Permit.objects.get().valid_from == day
    else:
        assert response.context["form"].errors["valid_from"] == [
            bounds_message(today(), today() + timedelta(days=90))
        ]
        assert (Permit.objects.count(), Receipt.objects.count()) == (0, 0)


# --- finance: months and periods ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("２０２６-０１", "Enter a month as year-month, e.g. 2026-05."),
        ("2026-13", "Enter a month as year-month, e.g. 2026-05."),
        ("1999-12", "Enter a month from 2000-01 to {this_month}."),
        ("{next_month}", "Enter a month from 2000-01 to {this_month}."),
    ],
)
def test_finance_month_form(finance, client, value, message):
    this_month = today().replace(day=1)
    next_month = (this_month + timedelta(days=31)).replace(day=1)
    names = {"this_month": f"{this_month:%Y-%m}", "next_month": f"{next_month:%Y-%m}"}
    client.force_login(finance)
    response = client.get(reverse("fees:finance_index"), {"month": value.format(**names)})
    assert response.status_code == 200
    assert response.context["month_form"].errors == {"month": [message.format(**names)]}


def test_finance_month_page_before_the_first_records_does_not_exist(finance, client, settings):
    settings.EARLIEST_RECORD_DATE = date(2020, 3, 15)
    client.force_login(finance)
    assert client.get(reverse("fees:finance_month", args=[2020, 2])).status_code == 404
    assert client.get(reverse("fees:finance_month", args=[2020, 3])).status_code == 200


@pytest.mark.parametrize("case", [0, 3])
def test_finance_period_within_the_records(finance, client, settings, case):
    settings.EARLIEST_RECORD_DATE = today() - timedelta(days=30)
    day, _accepted = date_cases(settings.EARLIEST_RECORD_DATE, today())[case]
    client.force_login(finance)
    field = "date_from" if case == 0 else "date_to"
    data = {"date_from": settings.EARLIEST_RECORD_DATE.isoformat(), "date_to": today().isoformat()}
    data[field] = day.isoformat()
    response = client.get(reverse("fees:finance_period"), data)
    assert response.context["period_form"].errors[field] == [
        bounds_message(settings.EARLIEST_RECORD_DATE, today())
    ]


# --- the fee catalogue (admin) -----------------------------------------------------------


@pytest.mark.parametrize("value", ["1e3", "１２３", "NaN", "1.005"])
def test_fee_catalogue_default_amount_refuses(make_user, client, value):
    admin = make_user("root", is_staff=True, is_superuser=True)
    permit = fee("permit_fee")
    before = permit.default_amount
    client.force_login(admin)
    url = reverse("admin:fees_feetype_change", args=[permit.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data["default_amount"] = value
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["default_amount"] == [
        MONEY_RULE.replace("from 0.01", "from 0.00")
    ]
    permit.refresh_from_db()
    assert permit.default_amount == before
