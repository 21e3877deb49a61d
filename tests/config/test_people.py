"""Staff appear by their names, never their logins: lists, filters, pages, prints, Excel
and the history; the filters offer only the people who fit."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from config.history import history_entries
from config.people import holders_of, name_of, person_name
from config.roles import Role
from fees.enums import PayerKind
from fees.exporters.statements import figures_xlsx
from fees.models import FeeType, Receipt
from fees.selectors.days import day_get
from fees.selectors.statements import month_figures
from fees.services.days import day_approve, day_record_count, day_submit
from fees.services.receipts import LineInput, Payer, receipt_issue, receipt_request_void


@pytest.mark.parametrize(
    ("first", "last", "username", "shown"),
    [
        ("小芳", "王", "wxf", "王小芳"),  # a Chinese name reads family name first, no space
        ("王小芳", "", "wxf", "王小芳"),  # the whole name in one field, as the demo keeps it
        ("Anna", "Berg", "aberg", "Anna Berg"),
        ("", "", "aberg", "aberg"),  # nobody gave a name: the login is all there is
        ("  ", "", "aberg", "aberg"),
    ],
)
def test_name_of(first, last, username, shown):
    assert name_of(first, last, username) == shown


def test_person_name_of_no_user_is_empty():
    assert person_name(None) == ""


@pytest.fixture
def staff(make_user):
    return {
        "wang": make_user("wxf", Role.ASSISTANT, first_name="小芳", last_name="王"),
        "zhou": make_user("zt", Role.ASSISTANT, first_name="周婷"),
        "gone": make_user("old", Role.ASSISTANT, first_name="离职者", is_active=False),
        "boss": make_user("boss", Role.MANAGER, first_name="王建国"),
        "money": make_user("cash", Role.FINANCE, first_name="陈会计"),
        "admin": make_user("root", is_superuser=True, is_staff=True),
    }


def issue(by, method="cash") -> Receipt:
    receipt, _created = receipt_issue(
        by=by,
        payer=Payer(kind=PayerKind.PERSON, name="王师傅"),
        lines=[LineInput(fee_type=FeeType.objects.get(code="card_fee"), unit_price=Decimal("10"))],
        method=method,
    )
    return receipt


def choices(form_field) -> list[tuple[int, str]]:
    return [(int(str(value)), label) for value, label in form_field.choices if value != ""]


@pytest.mark.django_db
def test_holders_of_a_permission_are_given_it_by_role_not_by_superuser(staff):
    assert list(holders_of("fees.issue_receipt")) == [staff["zhou"], staff["wang"], staff["gone"]]
    assert list(holders_of("fees.issue_receipt", active_only=True)) == [
        staff["zhou"],
        staff["wang"],
    ]
    assert list(holders_of("fees.approve_day")) == [staff["boss"]]


@pytest.mark.django_db
def test_receipt_list_shows_cashiers_by_name_and_filters_by_cashiers_only(staff, client_as):
    first = issue(staff["wang"])
    second = issue(staff["zhou"])
    client = client_as(staff["boss"])

    response = client.get(reverse("fees:receipt_list"))
    rows = [
        (row.record.number, row.get_cell("cashier"))
        for row in response.context["table"].paginated_rows
    ]
    assert sorted(rows) == [(first.number, "王小芳"), (second.number, "周婷")]
    cashier = response.context["filter"].form.fields["cashier"]
    # Exactly the people who may issue receipts (a former cashier's receipts stay
    # findable), by name; not the manager, finance or the administrator.
    assert choices(cashier) == [
        (staff["zhou"].pk, "周婷"),
        (staff["wang"].pk, "王小芳"),
        (staff["gone"].pk, "离职者"),
    ]

    filtered = client.get(reverse("fees:receipt_list"), {"cashier": staff["wang"].pk})
    assert [row.record.number for row in filtered.context["table"].paginated_rows] == [first.number]
    assert "wxf" not in response.content.decode()


@pytest.mark.django_db
def test_day_list_shows_and_filters_people_by_name(staff, client_as):
    issue(staff["wang"])
    day = day_get(timezone.localdate())
    day_record_count(day=day, by=staff["wang"], cash_count={Decimal("10"): 1}, non_cash={})
    day_submit(day=day, by=staff["wang"], explanations={})
    day_approve(day=day, by=staff["boss"])
    client = client_as(staff["money"])

    response = client.get(reverse("fees:day_list"))
    row = response.context["table"].paginated_rows[0]
    assert (row.get_cell("submitted_by"), row.get_cell("approved_by")) == ("王小芳", "王建国")
    form = response.context["filter"].form
    assert choices(form.fields["approved_by"]) == [(staff["boss"].pk, "王建国")]
    assert [label for _pk, label in choices(form.fields["submitted_by"])] == [
        "周婷",
        "王小芳",
        "离职者",
    ]


@pytest.mark.django_db
def test_receipt_page_pdf_and_history_name_the_people(staff, client_as):
    receipt = issue(staff["wang"])
    receipt_request_void(receipt=receipt, by=staff["wang"], reason="写错了")
    client = client_as(staff["boss"])
    # Through the page, so that the history records who approved, as at the desk.
    client.post(reverse("fees:receipt_approve_void", args=[receipt.pk]))

    page = client.get(reverse("fees:receipt_detail", args=[receipt.pk])).content.decode()
    assert "王小芳" in page and "王建国" in page
    assert ">wxf<" not in page and ">boss<" not in page

    pdf = client_as(staff["wang"]).post(reverse("fees:receipt_print", args=[receipt.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "收款人：王小芳" in text.replace(" ", "")

    with translation.override("zh-hans"):
        approval = history_entries(Receipt.objects.get(pk=receipt.pk))[0]
    assert person_name(approval.who) == "王建国"
    changes = {label: (old, new) for label, old, new in approval.changes}
    assert (changes["作废审批人"], changes["状态"]) == (("—", "王建国"), ("作废待审批", "已作废"))


@pytest.mark.django_db
def test_statement_excel_names_the_cashier(staff):
    issue(staff["wang"])
    today = timezone.localdate()
    figures = month_figures(today.year, today.month)
    sheet = load_workbook(io.BytesIO(figures_xlsx(figures)))["收据明细"]
    header, first = (list(row) for row in sheet.iter_rows(max_row=2, values_only=True))
    assert first[header.index("收款人")] == "王小芳"


@pytest.mark.django_db
def test_book_form_offers_active_cashiers_by_name(staff, client_as):
    staff["boss"].groups.add(staff["wang"].groups.get())  # a manager who also sits the desk
    client = client_as(staff["boss"])
    response = client.get(reverse("fees:book_register"))
    assert choices(response.context["form"].fields["issued_to"]) == [
        (staff["zhou"].pk, "周婷"),
        (staff["wang"].pk, "王小芳"),
        (staff["boss"].pk, "王建国"),
    ]


def test_staff_are_named_only_through_config_people():
    """A page or export that formats a user itself would show the login again somewhere."""
    base = Path(settings.BASE_DIR)
    sources = [
        path
        for folder in (
            "config",
            "archives",
            "fees",
            "deposits",
            "complaints",
            "attendance",
            "templates",
        )
        for path in (base / folder).rglob("*")
        if path.suffix in {".py", ".html"} and "migrations" not in path.parts
    ]
    # (A URL's and the login form's user names are not people's names.)
    by_hand = re.compile(
        r"get_full_name|(?<!parts)(?<!form)\.username\b|__username\b|__first_name\b"
    )
    offenders = sorted(
        str(path.relative_to(base))
        for path in sources
        if path.name != "people.py" and by_hand.search(path.read_text(encoding="utf-8"))
    )
    assert offenders == []
