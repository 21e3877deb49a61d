"""Each role sees what it may use: every link of its menu and home page opens (none answers
403), every page it may open is offered, the auditor's home holds what an audit needs, and
attendance's address opens on the register (on the tasks for those who read no
attendance)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from archives.demo import build_register
from config.demo import build_staff
from fees.selectors.months import recent_months
from fees.services.months import month_lock
from tests.factories.fees import ExportJobFactory
from tests.factories.finance import build_month, issue
from tests.pages import links

pytestmark = pytest.mark.django_db
D = Decimal

DEMO_USERS = ["assistant", "manager", "finance", "auditor", "engineering", "admin"]

# Each entry a menu may offer, with the permission its view requires (the view answers 403
# without it): the menu must offer it exactly to the users who hold that permission.
MENU = [
    ("fees:receipt_create", "fees.issue_receipt"),
    ("fees:receipt_list", "fees.view_receipt"),
    ("fees:day_today", "fees.view_dailyclose"),
    ("fees:day_list", "fees.view_dailyclose"),
    ("fees:discrepancy_list", "fees.view_discrepancy"),
    ("fees:finance_index", "fees.view_monthlock"),
    ("fees:export_list", "fees.download_statement"),
    ("fees:chain_verify", "fees.verify_receipts"),
    ("fees:permit_list", "fees.view_permit"),
    ("fees:charge_list", "fees.view_charge"),
    ("fees:charge_ageing", "fees.view_charge"),
    ("fees:book_list", "fees.view_receiptbook"),
    ("archives:unit_list", "archives.view_unit"),
    ("archives:tenant_list", "archives.view_tenant"),
    ("archives:occupancy_list", "archives.view_occupancy"),
    ("archives:contractor_list", "archives.view_contractor"),
    ("archives:access_log", "archives.view_accesslog"),
    ("archives:loan_list", "archives.view_loan"),
    ("archives:verification_due", "archives.view_tenant"),
    ("deposits:index", "deposits.view_decorationapplication"),
    ("deposits:application_list", "deposits.view_decorationapplication"),
    ("deposits:application_create", "deposits.manage_decoration"),
    ("deposits:violation_list", "deposits.view_violation"),
    ("deposits:deposit_list", "deposits.view_deposit"),
    ("deposits:refund_list", "deposits.view_refund"),
    ("deposits:ledger", "deposits.view_deposit"),
    ("deposits:moveout_list", "deposits.view_moveout"),
    ("complaints:index", "complaints.view_case"),
    ("complaints:case_create", "complaints.receive_case"),
    ("complaints:case_list", "complaints.view_case"),
    ("complaints:case_queue", "complaints.work_case"),
    ("attendance:register", "attendance.view_attendancerecord"),
    ("attendance:month_list", "attendance.view_attendancerecord"),
    ("attendance:staff_list", "attendance.view_staff"),
    ("attendance:shift_list", "attendance.view_shift"),
    ("attendance:report", "attendance.view_daily_report"),
    ("attendance:diary_list", "attendance.view_workdiary"),
    ("attendance:handover_list", "attendance.view_shifthandover"),
]


@pytest.fixture
def street(settings, tmp_path):
    """The demo users and enough of a street for every home panel to have links: a few
    units and tenants, last month closed with a handover discrepancy, a receipt today."""
    settings.MEDIA_ROOT = tmp_path
    staff = build_staff()
    build_register(units=6, tenants=8, contractors=2, seed=11)
    build_month(staff["assistant"], staff["manager"], staff["finance"])
    issue(staff["assistant"], ("permit_fee", "20", 1))
    return staff


def offered(client) -> list[str]:
    return links(client.get(reverse("home")).content.decode(), {"header", "main"})


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_link_of_the_menu_and_the_home_page_opens(client, street, username):
    user = street[username]
    client.force_login(user)
    hrefs = offered(client)

    answers = {href: client.get(href, follow=True).status_code for href in dict.fromkeys(hrefs)}
    assert {href: code for href, code in answers.items() if code != 200} == {}

    paths = {href.split("?")[0] for href in hrefs}
    assert {name: reverse(name) in paths for name, _perm in MENU} == {
        name: user.has_perm(perm) for name, perm in MENU
    }


@pytest.mark.parametrize("username", DEMO_USERS)
def test_the_menu_table_holds_the_permission_each_view_requires(client, street, username):
    user = street[username]
    client.force_login(user)
    answers = {name: client.get(reverse(name), follow=True).status_code for name, _p in MENU}
    assert answers == {name: 200 if user.has_perm(perm) else 403 for name, perm in MENU}


def test_the_department_user_is_offered_units_and_its_requests_to_read_files_only(client, street):
    client.force_login(street["engineering"])
    hrefs = offered(client)
    archive_links = sorted({href for href in hrefs if href.startswith("/archives/")})
    # A tenant file only through a request (查阅登记): its requests, and the form to ask.
    assert archive_links == [
        reverse("archives:index"),
        reverse("archives:access_request_list"),
        reverse("archives:access_request_create"),
        reverse("archives:unit_list"),
    ]
    assert client.get(reverse("archives:index")).url == reverse("archives:unit_list")

    # The search box finds units for it, never the tenants' names and phones.
    page = client.get(reverse("search"), {"q": "A-1"})
    assert (page.context["units"] is not None, page.context["tenants"]) == (True, None)
    assert 'id="found-tenants"' not in page.content.decode()


def test_a_user_without_a_role_may_not_search_the_register(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x-1234567"))
    assert client.get(reverse("search"), {"q": "A"}).status_code == 403
    assert client.get(reverse("archives:index")).status_code == 403


def test_the_auditors_home_shows_months_statements_discrepancies_and_packs(client, street):
    auditor, finance = street["auditor"], street["finance"]
    last = timezone.localdate().replace(day=1) - timedelta(days=1)  # build_month's month
    month_lock(by=finance, year=last.year, month=last.month)
    job = ExportJobFactory(
        params={"date_from": "2026-01-01", "date_to": "2026-01-31"}, requested_by=auditor
    )
    client.force_login(auditor)
    [(_label, panels)] = client.get(reverse("home")).context["sections"]
    by_title = {str(panel.title): panel for panel in panels}
    assert list(by_title) == [
        "Your tasks",  # attendance: every role's own tasks from the manager come first
        "Months and their lock",
        "Statements",
        "Handover discrepancies",
        "Audit packs",
        "Records",
        "Work diary and shift handovers",  # attendance's links
    ]

    today = timezone.localdate()
    months = by_title["Months and their lock"].items
    assert months[:2] == [
        (
            f"{today:%Y-%m}",
            reverse("fees:finance_month", args=[today.year, today.month]),
            "20.00 · Month in progress",
        ),
        (
            f"{last:%Y-%m}",
            reverse("fees:finance_month", args=[last.year, last.month]),
            "350.00 · Locked",
        ),
    ]
    assert len(months) == 6
    assert by_title["Statements"].items == [
        (
            f"{last:%Y-%m} Statement (Excel)",
            reverse("fees:finance_month_xlsx", args=[last.year, last.month]),
            "Locked",
        ),
        (
            f"{last:%Y-%m} Statement (PDF)",
            reverse("fees:finance_month_pdf", args=[last.year, last.month]),
            "Locked",
        ),
    ]
    d2 = last.replace(day=10)
    assert by_title["Handover discrepancies"].items == [
        (str(d2), reverse("fees:day_detail", args=[d2.isoformat()]), "-10.00 · not signed off yet")
    ]
    assert by_title["Audit packs"].items == [
        ("2026-01-01 – 2026-01-31", reverse("fees:export_detail", args=[job.pk]), "Done")
    ]


def test_the_auditors_months_cross_the_turn_of_the_year(street):
    """In January the six latest months reach back into the year before."""
    months = recent_months(street["auditor"], today=timezone.localdate().replace(month=1, day=5))
    year = timezone.localdate().year
    assert [(m.year, m.month) for m in months] == [
        (year, 1),
        (year - 1, 12),
        (year - 1, 11),
        (year - 1, 10),
        (year - 1, 9),
        (year - 1, 8),
    ]


@pytest.mark.parametrize(
    ("username", "opens_on"),
    [
        ("assistant", "attendance:register"),
        ("manager", "attendance:register"),
        ("auditor", "attendance:register"),
        ("finance", "attendance:task_list"),
        ("engineering", "attendance:task_list"),
        ("admin", "attendance:task_list"),
    ],
)
def test_attendance_opens_on_the_register_or_on_ones_tasks(client, street, username, opens_on):
    user = street[username]
    client.force_login(user)
    answer = client.get(reverse("attendance:index"))
    assert (answer.status_code, answer.url) == (302, reverse(opens_on))
    assert client.get(answer.url).status_code == 200
    assert user.has_perm("attendance.view_attendancerecord") == (opens_on == "attendance:register")
    # Attendance is open: no menu keeps a "not open yet" entry.
    assert 'id="areas-not-open"' not in client.get(reverse("home")).content.decode()
