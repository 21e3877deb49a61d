import uuid
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from fees.enums import DayState, PayerKind, PaymentMethod
from fees.models import FeeType, Receipt, ReceiptBook, SpoiledPaperReceipt
from fees.selectors.books import book_gaps, books_with_counts, books_with_unaccounted
from fees.services import books as service
from fees.services.receipts import LineInput, Payer
from tests.factories.archives import OccupancyFactory
from tests.factories.fees import DailyCloseFactory, ReceiptBookFactory, SpoiledPaperReceiptFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # Messages are compared in their English source text, whatever the site's default.
    with translation.override("en"):
        yield


def today() -> date:
    return timezone.localdate()


def permit_fee() -> FeeType:
    return FeeType.objects.get(code="permit_fee")


def card_fee() -> FeeType:
    return FeeType.objects.get(code="card_fee")


def person(name="王建国") -> Payer:
    return Payer(kind=PayerKind.PERSON, name=name)


def transcribe(by, book, number, **extra):
    args = {
        "payer": person(),
        "lines": [LineInput(fee_type=permit_fee(), unit_price=Decimal("20.00"), quantity=2)],
        "method": PaymentMethod.CASH,
        "paper_date": today() - timedelta(days=3),
    }
    args.update(extra)
    return service.book_transcribe(by=by, book=book, number=number, **args)


def spoil(book, number, by, reason="写错作废"):
    return SpoiledPaperReceiptFactory(book=book, number=number, reason=reason, recorded_by=by)


# --- registering -------------------------------------------------------------------------


def register(by, issued_to, **extra):
    args = {
        "series": "A",
        "first_number": 101,
        "last_number": 200,
        "issued_on": today() - timedelta(days=1),
        "notes": "",
    }
    args.update(extra)
    return service.book_register(by=by, issued_to=issued_to, **args)


def test_register_records_the_book_and_its_history(assistant):
    book = register(assistant, assistant, series=" b ", notes=" 第 3 本 ")
    assert (book.series, book.first_number, book.last_number) == ("B", 101, 200)
    assert (book.issued_to, book.issued_on, book.returned_on) == (
        assistant,
        today() - timedelta(days=1),
        None,
    )
    assert book.notes == "第 3 本"
    assert str(book) == "B0000101–B0000200"
    assert book.history.get().history_change_reason == "registered"


@pytest.mark.parametrize(
    ("first", "last"),
    [(150, 250), (50, 101), (200, 300), (120, 130), (1, 500)],
)
def test_register_refuses_a_range_overlapping_a_book_of_the_same_series(assistant, first, last):
    register(assistant, assistant)
    with pytest.raises(ValidationError) as exc:
        register(assistant, assistant, first_number=first, last_number=last)
    assert exc.value.messages == ["The numbers overlap book A0000101–A0000200, registered already."]
    assert ReceiptBook.objects.count() == 1


def test_register_accepts_adjacent_ranges_and_other_series(assistant):
    register(assistant, assistant)
    register(assistant, assistant, first_number=201, last_number=300)
    register(assistant, assistant, first_number=1, last_number=100)
    register(assistant, assistant, series="C", first_number=101, last_number=200)
    assert ReceiptBook.objects.count() == 4


def test_register_refuses_more_than_500_numbers(assistant):
    register(assistant, assistant, first_number=1, last_number=500)
    with pytest.raises(ValidationError) as exc:
        register(assistant, assistant, first_number=501, last_number=1001)
    assert exc.value.messages == [
        "A book holds at most 500 numbers; register a larger stock as several books."
    ]
    assert ReceiptBook.objects.count() == 1


def test_register_refuses_an_inverted_range(assistant):
    with pytest.raises(ValidationError) as exc:
        register(assistant, assistant, first_number=200, last_number=101)
    assert exc.value.messages == ["The last number must not be below the first number."]
    assert ReceiptBook.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"series": "A-1"}, "The series is at most 8 letters or digits."),
        ({"series": "ABCDEFGHI"}, "The series is at most 8 letters or digits."),
        ({"first_number": 0}, "Paper receipt numbers run from 1 to 9999999."),
        (
            {"first_number": 9_999_990, "last_number": 10_000_000},
            "Paper receipt numbers run from 1 to 9999999.",
        ),
        (
            {"issued_on": date.today() + timedelta(days=2)},
            "The issue date cannot be in the future.",
        ),
    ],
)
def test_register_refuses_bad_input(assistant, extra, message):
    with pytest.raises(ValidationError) as exc:
        register(assistant, assistant, **extra)
    assert exc.value.messages == [message]
    assert ReceiptBook.objects.count() == 0


@pytest.mark.parametrize("holder", ["finance", "manager", "auditor"])
def test_register_refuses_a_holder_who_cannot_issue_receipts(assistant, request, holder):
    user = request.getfixturevalue(holder)
    with pytest.raises(ValidationError) as exc:
        register(assistant, user)
    assert exc.value.messages == [
        f"{user.username} cannot issue receipts, so cannot be given a receipt book."
    ]


@pytest.mark.parametrize("role", ["finance", "manager", "auditor"])
def test_only_the_assistant_registers_books(assistant, request, role):
    with pytest.raises(PermissionDenied):
        register(request.getfixturevalue(role), assistant)
    assert ReceiptBook.objects.count() == 0


# --- transcribing ------------------------------------------------------------------------


def test_transcribe_issues_todays_receipt_marked_with_the_paper_number(assistant):
    book = ReceiptBookFactory(first_number=101, last_number=200, issued_to=assistant)
    paper_date = today() - timedelta(days=3)
    receipt, created = transcribe(assistant, book, 123, note=" 周末停电 ", paper_date=paper_date)
    assert created is True
    receipt.refresh_from_db()
    assert (receipt.book, receipt.paper_number) == (book, "0000123")
    assert receipt.number == f"{today().year}-000001"
    assert receipt.business_date == today()
    assert receipt.cashier == assistant
    assert receipt.total == Decimal("40.00")
    assert receipt.payer_name == "王建国"
    assert receipt.note == f"Paper receipt 0000123, written on {paper_date.isoformat()}; 周末停电"
    # One record: the receipt is written once, with its paper number (never updated after).
    assert [r.history_change_reason for r in receipt.history.order_by("history_id")] == [
        "transcribed from paper receipt: 0000123",
    ]


def test_transcribe_with_a_series_and_a_tenant_payer(assistant):
    occupancy = OccupancyFactory()
    book = ReceiptBookFactory(series="NO", first_number=1, last_number=50, issued_to=assistant)
    receipt, _ = transcribe(
        assistant,
        book,
        7,
        payer=Payer(kind=PayerKind.TENANT, tenant=occupancy.tenant),
        unit=occupancy.unit,
        lines=[
            LineInput(fee_type=permit_fee(), unit_price=Decimal("20.00")),
            LineInput(fee_type=card_fee(), unit_price=Decimal("10.00"), quantity=3),
        ],
        method=PaymentMethod.WECHAT,
        reference="4200001234",
    )
    receipt.refresh_from_db()
    assert receipt.paper_number == "NO0000007"
    assert (receipt.tenant, receipt.unit, receipt.payer_name) == (
        occupancy.tenant,
        occupancy.unit,
        occupancy.tenant.name,
    )
    assert (receipt.method, receipt.reference, receipt.total) == (
        "wechat",
        "4200001234",
        Decimal("50.00"),
    )
    assert receipt.lines.count() == 2


def test_the_same_form_posted_twice_gives_one_receipt(assistant):
    book = ReceiptBookFactory(issued_to=assistant)
    key = uuid.uuid4()
    first, created = transcribe(assistant, book, book.first_number, request_key=key)
    again, created_again = transcribe(assistant, book, book.first_number, request_key=key)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Receipt.objects.count() == 1


def test_a_number_is_transcribed_only_once(assistant):
    book = ReceiptBookFactory(first_number=101, last_number=150, issued_to=assistant)
    transcribe(assistant, book, 120)
    with pytest.raises(ValidationError) as exc:
        transcribe(assistant, book, 120, request_key=uuid.uuid4())
    assert exc.value.messages == ["Paper receipt 0000120 was transcribed already."]
    assert Receipt.objects.count() == 1


@pytest.mark.parametrize("number", [100, 151, 0])
def test_transcribe_refuses_a_number_outside_the_book(assistant, number):
    book = ReceiptBookFactory(first_number=101, last_number=150, issued_to=assistant)
    with pytest.raises(ValidationError) as exc:
        transcribe(assistant, book, number)
    assert exc.value.messages == [f"Number {number} is not in book 0000101–0000150."]
    assert Receipt.objects.count() == 0


def test_transcribe_refuses_a_spoiled_number(assistant):
    book = ReceiptBookFactory(first_number=101, last_number=150, issued_to=assistant)
    spoil(book, 130, assistant)
    with pytest.raises(ValidationError) as exc:
        transcribe(assistant, book, 130)
    assert exc.value.messages == ["Paper receipt 0000130 was recorded as spoiled."]
    assert Receipt.objects.count() == 0


@pytest.mark.parametrize(
    ("paper_days_ago", "message"),
    [
        (-1, "The paper receipt's date cannot be in the future."),
        (11, "The paper receipt's date is before the book was issued ({issued})."),
    ],
)
def test_transcribe_refuses_an_impossible_paper_date(assistant, paper_days_ago, message):
    book = ReceiptBookFactory(issued_to=assistant)
    with pytest.raises(ValidationError) as exc:
        transcribe(
            assistant, book, book.first_number, paper_date=today() - timedelta(days=paper_days_ago)
        )
    assert exc.value.messages == [message.format(issued=book.issued_on)]
    assert Receipt.objects.count() == 0


def test_transcribe_on_a_submitted_day_changes_nothing(assistant):
    DailyCloseFactory(business_date=today(), state=DayState.SUBMITTED)
    book = ReceiptBookFactory(issued_to=assistant)
    with pytest.raises(ValidationError):
        transcribe(assistant, book, book.first_number)
    assert Receipt.objects.count() == 0
    assert book_gaps(book)[0].used == 0


def test_transcribe_refuses_a_bad_receipt_and_keeps_the_number_free(assistant):
    book = ReceiptBookFactory(issued_to=assistant)
    with pytest.raises(ValidationError) as exc:
        transcribe(assistant, book, book.first_number, method=PaymentMethod.CARD)
    assert exc.value.messages == [
        "A non-cash payment needs its reference (transaction or voucher number)."
    ]
    receipt, _ = transcribe(assistant, book, book.first_number)
    # The refused attempt gave its system number back.
    assert receipt.number == f"{today().year}-000001"


@pytest.mark.parametrize("role", ["finance", "manager", "auditor"])
def test_only_the_assistant_transcribes(assistant, request, role):
    book = ReceiptBookFactory(issued_to=assistant)
    with pytest.raises(PermissionDenied):
        transcribe(request.getfixturevalue(role), book, book.first_number)
    assert Receipt.objects.count() == 0


def test_transcribing_needs_both_permissions(make_user, assistant):
    from django.contrib.auth.models import Permission

    book = ReceiptBookFactory(issued_to=assistant)
    clerk = make_user("clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="manage_receipt_book"))
    with pytest.raises(PermissionDenied):
        transcribe(clerk, book, book.first_number)
    cashier = make_user("cashier")
    cashier.user_permissions.add(Permission.objects.get(codename="issue_receipt"))
    with pytest.raises(PermissionDenied):
        transcribe(cashier, book, book.first_number)


# --- spoiling and returning --------------------------------------------------------------


def test_spoil_records_the_number_void(assistant):
    book = ReceiptBookFactory(first_number=101, last_number=150, issued_to=assistant)
    spoiled = service.book_spoil(by=assistant, book=book, number=140, reason=" 撕坏 ")
    assert (spoiled.book, spoiled.paper_number, spoiled.reason, spoiled.recorded_by) == (
        book,
        "0000140",
        "撕坏",
        assistant,
    )


@pytest.mark.parametrize(
    ("number", "reason", "message"),
    [
        (140, "  ", "Say why the paper receipt is spoiled."),
        (151, "撕坏", "Number 151 is not in book 0000101–0000150."),
        (110, "撕坏", "Paper receipt 0000110 was transcribed already."),
        (120, "撕坏", "Paper receipt 0000120 was recorded as spoiled."),
    ],
)
def test_spoil_refusals(assistant, number, reason, message):
    book = ReceiptBookFactory(first_number=101, last_number=150, issued_to=assistant)
    transcribe(assistant, book, 110)
    spoil(book, 120, assistant)
    with pytest.raises(ValidationError) as exc:
        service.book_spoil(by=assistant, book=book, number=number, reason=reason)
    assert exc.value.messages == [message]
    assert SpoiledPaperReceipt.objects.count() == 1


@pytest.mark.parametrize("role", ["finance", "manager", "auditor"])
def test_only_the_assistant_spoils_and_returns(assistant, request, role):
    user = request.getfixturevalue(role)
    book = ReceiptBookFactory(issued_to=assistant)
    with pytest.raises(PermissionDenied):
        service.book_spoil(by=user, book=book, number=book.first_number, reason="x")
    with pytest.raises(PermissionDenied):
        service.book_return(by=user, book=book, returned_on=today())


def test_return_records_the_date_once(assistant):
    book = ReceiptBookFactory(issued_to=assistant)
    service.book_return(by=assistant, book=book, returned_on=today())
    book.refresh_from_db()
    assert book.returned_on == today()
    assert book.history.order_by("history_id").last().history_change_reason == "book returned"
    with pytest.raises(ValidationError) as exc:
        service.book_return(by=assistant, book=book, returned_on=today())
    assert exc.value.messages == [f"This book was returned on {today()} already."]


@pytest.mark.parametrize(
    ("days_ago", "message"),
    [
        (-1, "The return date cannot be in the future."),
        (11, "The return date cannot be before the issue date."),
    ],
)
def test_return_refuses_impossible_dates(assistant, days_ago, message):
    book = ReceiptBookFactory(issued_to=assistant)
    with pytest.raises(ValidationError) as exc:
        service.book_return(by=assistant, book=book, returned_on=today() - timedelta(days=days_ago))
    assert exc.value.messages == [message]
    book.refresh_from_db()
    assert book.returned_on is None


# --- the gap report ----------------------------------------------------------------------


def known_pattern(assistant):
    """Book 101–160: 151, 152 and 160 transcribed, 154 spoiled."""
    book = ReceiptBookFactory(first_number=101, last_number=160, issued_to=assistant)
    for number in (151, 152, 160):
        transcribe(assistant, book, number)
    spoil(book, 154, assistant)
    return book


def test_gap_ranges_are_exact(assistant):
    book = known_pattern(assistant)
    [entry] = book_gaps(book)
    assert entry.gaps == [(101, 150), (153, 153), (155, 159)]
    assert entry.ranges_text == "0000101–0000150, 0000153, 0000155–0000159"
    assert (entry.size, entry.used, entry.spoiled, entry.unaccounted) == (60, 3, 1, 56)


def test_gaps_at_both_ends_and_none(assistant):
    book = ReceiptBookFactory(series="X", first_number=1, last_number=5, issued_to=assistant)
    spoil(book, 2, assistant)
    spoil(book, 3, assistant)
    [entry] = book_gaps(book)
    assert entry.ranges_text == "X0000001, X0000004–X0000005"
    for number in (1, 4, 5):
        spoil(book, number, assistant)
    [entry] = book_gaps(book)
    assert (entry.gaps, entry.ranges_text, entry.unaccounted) == ([], "", 0)


def test_books_with_counts_and_with_unaccounted(assistant):
    book = known_pattern(assistant)
    full = ReceiptBookFactory(first_number=1, last_number=2, issued_to=assistant)
    spoil(full, 1, assistant)
    spoil(full, 2, assistant)
    counted = {
        b.pk: (b.used_count, b.spoiled_count, b.unaccounted_count) for b in books_with_counts()
    }
    assert counted == {book.pk: (3, 1, 56), full.pk: (0, 2, 0)}
    assert list(books_with_unaccounted()) == [book]


def test_gap_report_takes_three_queries_for_any_number_of_books(
    assistant, django_assert_num_queries
):
    known_pattern(assistant)
    with django_assert_num_queries(3):
        assert len(book_gaps()) == 1
    for _ in range(10):
        book = ReceiptBookFactory(issued_to=assistant)
        spoil(book, book.first_number + 3, assistant)
    with django_assert_num_queries(3):
        assert len(book_gaps()) == 11


@pytest.mark.slow
def test_gap_report_of_100_books_of_500_takes_a_fixed_number_of_queries(
    assistant, django_assert_num_queries
):
    books = ReceiptBook.objects.bulk_create(
        ReceiptBook(
            series="P",
            first_number=i * 500 + 1,
            last_number=i * 500 + 500,
            issued_to=assistant,
            issued_on=today(),
        )
        for i in range(100)
    )
    # Every third number spoiled: many short gaps, the worst case for the ranges.
    SpoiledPaperReceipt.objects.bulk_create(
        SpoiledPaperReceipt(
            book=b, paper_number=b.paper_number(n), reason="x", recorded_by=assistant
        )
        for b in books
        for n in range(b.first_number, b.last_number + 1, 3)
    )
    # The gaps come from three queries however many books and numbers there are (the speed
    # itself is the benchmark's business, not a test's).
    with django_assert_num_queries(3):
        report = book_gaps()
    assert len(report) == 100
    assert report[0].spoiled == 167
    assert report[0].unaccounted == 333
    assert len(report[0].gaps) == 167


# --- pages -------------------------------------------------------------------------------


def book_urls(book):
    return {
        "list": reverse("fees:book_list"),
        "gaps": reverse("fees:book_gaps"),
        "gaps_xlsx": reverse("fees:book_gaps_xlsx"),
        "detail": reverse("fees:book_detail", args=[book.pk]),
        "register": reverse("fees:book_register"),
        "transcribe": reverse("fees:book_transcribe", args=[book.pk, book.first_number]),
        "spoil": reverse("fees:book_spoil", args=[book.pk, book.first_number]),
    }


@pytest.mark.parametrize("role", ["assistant", "manager", "finance", "auditor"])
def test_every_money_role_reads_the_books(request, client, assistant, role):
    book = ReceiptBookFactory(issued_to=assistant)
    client.force_login(request.getfixturevalue(role))
    urls = book_urls(book)
    for name in ("list", "gaps", "gaps_xlsx", "detail"):
        assert client.get(urls[name]).status_code == 200, name


@pytest.mark.parametrize("role", ["finance", "auditor", "manager", "department"])
def test_other_roles_cannot_register_transcribe_spoil_or_return(request, client, assistant, role):
    book = ReceiptBookFactory(issued_to=assistant)
    client.force_login(request.getfixturevalue(role))
    urls = book_urls(book)
    for name in ("register", "transcribe", "spoil"):
        assert client.get(urls[name]).status_code == 403, name
        assert client.post(urls[name], {}).status_code == 403, name
    response = client.post(reverse("fees:book_return", args=[book.pk]), {"returned_on": today()})
    assert response.status_code == 403
    book.refresh_from_db()
    assert book.returned_on is None
    assert (Receipt.objects.count(), SpoiledPaperReceipt.objects.count()) == (0, 0)


def test_department_cannot_read_the_books(client, department, assistant):
    book = ReceiptBookFactory(issued_to=assistant)
    client.force_login(department)
    for name in ("list", "gaps", "gaps_xlsx", "detail"):
        assert client.get(book_urls(book)[name]).status_code == 403, name


def test_register_page(client, assistant):
    client.force_login(assistant)
    url = reverse("fees:book_register")
    form = {
        "series": "a",
        "first_number": "1",
        "last_number": "100",
        "issued_to": assistant.pk,
        "issued_on": today().isoformat(),
        "notes": "",
    }
    response = client.post(url, form)
    book = ReceiptBook.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("fees:book_detail", args=[book.pk])
    assert str(book) == "A0000001–A0000100"
    # The same range again: refused next to the form, nothing written.
    response = client.post(url, form)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The numbers overlap book A0000001–A0000100, registered already."
    ]
    assert ReceiptBook.objects.count() == 1


def test_register_page_offers_only_cashiers(client, assistant, finance, make_user):
    from config.roles import Role

    other = make_user("second-assistant", Role.ASSISTANT)
    client.force_login(assistant)
    response = client.get(reverse("fees:book_register"))
    assert list(response.context["form"].fields["issued_to"].queryset) == [assistant, other]
    response = client.post(
        reverse("fees:book_register"),
        {"first_number": "1", "last_number": "5", "issued_to": finance.pk, "issued_on": today()},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["issued_to"]
    assert ReceiptBook.objects.count() == 0


def transcribe_form(**extra):
    data = {
        "request_key": str(uuid.uuid4()),
        "paper_date": (today() - timedelta(days=2)).isoformat(),
        "payer_kind": "person",
        "payer_name": "李四",
        "unit_code": "",
        "method": "cash",
        "reference": "",
        "note": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "8",
        "lines-0-fee_type": permit_fee().pk,
        "lines-0-quantity": "1",
        "lines-0-unit_price": "20.00",
        "lines-1-fee_type": card_fee().pk,
        "lines-1-quantity": "2",
        "lines-1-unit_price": "10",
    }
    data.update(extra)
    return data


def test_transcribe_page(client, assistant):
    book = ReceiptBookFactory(first_number=101, last_number=150, issued_to=assistant)
    client.force_login(assistant)
    url = reverse("fees:book_transcribe", args=[book.pk, 105])
    assert client.get(url).status_code == 200
    data = transcribe_form()
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("fees:book_detail", args=[book.pk])
    receipt = Receipt.objects.get()
    assert (receipt.paper_number, receipt.book, receipt.total, receipt.payer_name) == (
        "0000105",
        book,
        Decimal("40.00"),
        "李四",
    )
    # A double click sends the same form again: still one receipt, no error.
    assert client.post(url, data).status_code == 302
    assert Receipt.objects.count() == 1
    # A used number's form is not offered again.
    response = client.get(url)
    assert response.status_code == 302


def test_transcribe_page_with_a_unit_code_finds_the_tenant(client, assistant):
    occupancy = OccupancyFactory()
    book = ReceiptBookFactory(issued_to=assistant)
    client.force_login(assistant)
    url = reverse("fees:book_transcribe", args=[book.pk, book.first_number])
    data = transcribe_form(
        payer_kind="tenant", payer_name="", unit_code=occupancy.unit.code.lower()
    )
    assert client.post(url, data).status_code == 302
    receipt = Receipt.objects.get()
    assert (receipt.tenant, receipt.unit) == (occupancy.tenant, occupancy.unit)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (
            {
                "lines-0-fee_type": "",
                "lines-0-unit_price": "",
                "lines-1-fee_type": "",
                "lines-1-unit_price": "",
            },
            None,
        ),
        ({"lines-0-fee_type": ""}, "fee_type"),
        ({"lines-0-unit_price": "-5"}, "unit_price"),
        ({"method": "wechat"}, "reference"),
        ({"payer_kind": "tenant", "payer_name": "", "unit_code": "Z-9-99"}, "unit_code"),
        ({"paper_date": ""}, "paper_date"),
        ({"paper_date": (date.today() + timedelta(days=3)).isoformat()}, "paper_date"),
    ],
)
def test_bad_transcription_changes_nothing(client, assistant, extra, field):
    book = ReceiptBookFactory(issued_to=assistant)
    client.force_login(assistant)
    url = reverse("fees:book_transcribe", args=[book.pk, book.first_number])
    response = client.post(url, transcribe_form(**extra))
    assert response.status_code == 200
    if field in ("unit_price", "fee_type"):
        errors = response.context["formset"].errors[0]
        assert list(errors) == [field]
        assert len(errors[field]) == 1
    elif field is None:
        assert response.context["formset"].non_form_errors() == [
            "A receipt needs at least one line."
        ]
    else:
        assert field in response.context["form"].errors
    assert Receipt.objects.count() == 0


def test_spoil_page(client, assistant):
    book = ReceiptBookFactory(first_number=101, last_number=150, issued_to=assistant)
    client.force_login(assistant)
    url = reverse("fees:book_spoil", args=[book.pk, 110])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    assert SpoiledPaperReceipt.objects.count() == 0
    assert client.post(url, {"reason": "写错"}).status_code == 302
    assert SpoiledPaperReceipt.objects.get().paper_number == "0000110"
    # Out of the book: refused next to the form, nothing written.
    response = client.post(reverse("fees:book_spoil", args=[book.pk, 151]), {"reason": "写错"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Number 151 is not in book 0000101–0000150."
    ]
    assert SpoiledPaperReceipt.objects.count() == 1


def test_return_action(client, assistant):
    book = ReceiptBookFactory(issued_to=assistant)
    client.force_login(assistant)
    url = reverse("fees:book_return", args=[book.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"returned_on": ""}).status_code == 302
    book.refresh_from_db()
    assert book.returned_on is None
    assert client.post(url, {"returned_on": today().isoformat()}).status_code == 302
    book.refresh_from_db()
    assert book.returned_on == today()


def test_detail_page_shows_every_number_and_its_state(client, assistant):
    book = known_pattern(assistant)
    receipt = Receipt.objects.get(paper_number="0000151")
    client.force_login(assistant)
    response = client.get(reverse("fees:book_detail", args=[book.pk]))
    html = response.content.decode()
    assert len(response.context["slots"]) == 60
    states = {s.number: s.state for s in response.context["slots"]}
    assert (states[151], states[154], states[153]) == ("transcribed", "spoiled", "unaccounted")
    assert f'href="{receipt.get_absolute_url()}"' in html
    assert reverse("fees:book_transcribe", args=[book.pk, 153]) in html
    assert "写错作废" in html


def test_detail_page_for_readers_has_no_action_links(client, assistant, auditor):
    book = known_pattern(assistant)
    client.force_login(auditor)
    html = client.get(reverse("fees:book_detail", args=[book.pk])).content.decode()
    assert reverse("fees:book_transcribe", args=[book.pk, 153]) not in html
    assert reverse("fees:book_return", args=[book.pk]) not in html


@pytest.mark.parametrize("name, queries", [("book_list", 9), ("book_gaps", 9)])
def test_list_queries_do_not_grow_with_books(assistant, flat_queries, name, queries):
    def add_book():
        book = ReceiptBookFactory(issued_to=assistant)
        spoil(book, book.first_number + 1, assistant)

    flat_queries(reverse(f"fees:{name}"), add_book, queries=queries, user=assistant)


def test_list_shows_counts_and_filters(client, assistant):
    book = known_pattern(assistant)
    full = ReceiptBookFactory(first_number=1, last_number=1, issued_to=assistant)
    spoil(full, 1, assistant)
    client.force_login(assistant)
    url = reverse("fees:book_list")
    rows = list(client.get(url).context["table"].page.object_list.data)
    assert {(r.pk, r.used_count, r.spoiled_count, r.unaccounted_count) for r in rows} == {
        (book.pk, 3, 1, 56),
        (full.pk, 0, 1, 0),
    }
    rows = client.get(url, {"unaccounted": "yes"}).context["table"].page.object_list.data
    assert [r.pk for r in rows] == [book.pk]
    rows = client.get(url, {"number": "155"}).context["table"].page.object_list.data
    assert [r.pk for r in rows] == [book.pk]
    rows = client.get(url, {"sort": "-unaccounted_count"}).context["table"].page.object_list.data
    assert [r.pk for r in rows] == [book.pk, full.pk]


def test_gap_page_lists_only_books_with_gaps(client, assistant):
    book = known_pattern(assistant)
    full = ReceiptBookFactory(first_number=1, last_number=1, issued_to=assistant)
    spoil(full, 1, assistant)
    client.force_login(assistant)
    response = client.get(reverse("fees:book_gaps"))
    assert [entry.book for entry in response.context["report"]] == [book]
    assert "0000101–0000150, 0000153, 0000155–0000159" in response.content.decode()


def test_gap_report_excel(client, assistant, finance):
    book = known_pattern(assistant)
    assistant.first_name, assistant.last_name = "小红", "张"
    assistant.save()
    other = ReceiptBookFactory(series="B", first_number=1, last_number=10, issued_to=assistant)
    service.book_return(by=assistant, book=other, returned_on=today())
    full = ReceiptBookFactory(first_number=1, last_number=1, issued_to=assistant)
    spoil(full, 1, assistant)
    client.force_login(finance)
    response = client.get(reverse("fees:book_gaps_xlsx"))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert rows[0] == [
        "收据本",
        "领用人",
        "领用日期",
        "交回日期",
        "号码数",
        "已录入",
        "已作废",
        "未核销",
        "未核销号码",
    ]
    issued = datetime_at(book.issued_on)
    assert rows[1:3] == [
        [
            "0000101–0000160",
            "张小红",  # family name first, as Chinese names read
            issued,
            None,
            60,
            3,
            1,
            56,
            "0000101–0000150, 0000153, 0000155–0000159",
        ],
        [
            "B0000001–B0000010",
            "张小红",  # family name first, as Chinese names read
            issued,
            datetime_at(today()),
            10,
            0,
            0,
            10,
            "B0000001–B0000010",
        ],
    ]
    assert rows[3][:5] == ["合计", None, None, None, "=SUM(E2:E3)"]
    assert len(rows) == 4


def datetime_at(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)
