"""The daily report: its figures are the apps' own (each read through that app's selectors),
the desk that counts cannot open it, its query count does not grow with the data, and its
PDF prints the same figures."""

import io
from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from archives.selectors import overdue_loans, tenants_due_for_verification
from attendance.enums import Presence
from attendance.selectors.report import daily_report
from attendance.services.register import Entry, register_take
from attendance.services.tasks import task_complete
from complaints.selectors.cases import overdue_cases
from config.roles import Role
from tests.factories.attendance import StaffFactory
from tests.factories.attendance_diary import (  # noqa: F401
    desk,
    diary_clock,
    diary_of,
    handover_of,
    task_for,
)
from tests.factories.complaints import case_in
from tests.factories.deposits import DepositFactory
from tests.factories.fees import ReceiptFactory
from tests.factories.people import staff

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 2)  # the clock's day, a Wednesday


def a_day_of_work(n: int = 1):
    """``n`` of everything on DAY: receipts in cash and by WeChat, deposits, cases, a late
    and an absent member of staff, diaries, a handover with notes, tasks done."""
    writer, writer_staff = desk("desk-a", "李晓敏")
    silent, silent_staff = desk("desk-b", "王五")
    late = StaffFactory(name="张三")
    absent = StaffFactory(name="赵六")
    for _ in range(n):
        ReceiptFactory(lines=(("permit_fee", "20.00", 1),), method="cash")
        ReceiptFactory(lines=(("permit_fee", "20.00", 2),), method="wechat")
        DepositFactory()
        case_in()
        done = task_for(writer, title=f"整理档案 {_}")
        task_complete(by=writer, task=done, note="已整理")
    register_take(
        by=staff(Role.ASSISTANT),
        day=DAY,
        entries=[
            Entry(writer_staff.pk, Presence.PRESENT, "", time(8, 30), time(17)),
            Entry(silent_staff.pk, Presence.PRESENT, "", time(8, 30), time(17)),
            Entry(late.pk, Presence.PRESENT, "", time(9, 5), time(16, 50)),
            Entry(absent.pk, Presence.ABSENT),
        ],
        today=DAY,
    )
    diary_of(writer, unusual="下午停电二十分钟")
    handover = handover_of(writer, silent_staff, submit=False)
    return handover, silent


def test_the_report_reads_every_app_as_its_own_selectors_do(clock):
    a_day_of_work()
    report = daily_report(staff(Role.MANAGER), DAY, DAY)

    # The deposit was taken on a receipt in cash: it is part of the day's takings.
    assert report.takings.total == Decimal("5060.00")
    assert report.takings.receipts == 3
    by_method = dict(report.takings.by_method)
    assert (by_method["cash"], by_method["wechat"]) == (Decimal("5020.00"), Decimal("40.00"))
    assert str(report.takings.close_state) == "open"
    assert (report.deposits.taken, report.deposits.taken_amount) == (1, Decimal("5000.00"))
    assert (report.deposits.refunded, report.deposits.refunded_amount) == (0, Decimal("0.00"))
    assert (report.cases.logged, report.cases.resolved, report.cases.called_back) == (1, 0, 0)
    assert report.overdue_cases == overdue_cases().count()
    assert report.overdue_loans == overdue_loans(DAY).count()
    assert report.verification_due == tenants_due_for_verification(DAY).count()
    assert [
        (r.staff.name, r.late_minutes, r.early_minutes, r.presence) for r in report.exceptions
    ] == [
        ("张三", 35, 10, "present"),
        ("赵六", 0, 0, "absent"),
    ]
    assert [task.title for task in report.tasks_done] == ["整理档案 0"]
    assert report.tasks_overdue == 0
    assert [(d.staff.name, d.unusual) for d in report.diaries] == [("李晓敏", "下午停电二十分钟")]
    assert report.no_diary == ["王五"]


def test_the_desk_that_counts_cannot_open_it(client, clock):
    client.force_login(staff(Role.ASSISTANT))
    assert client.get(reverse("attendance:report")).status_code == 403
    assert client.get(reverse("attendance:report_pdf")).status_code == 403


@pytest.mark.parametrize("role", [Role.FINANCE, Role.DEPARTMENT])
def test_other_roles_cannot_open_it(client, clock, role):
    client.force_login(staff(role))
    assert client.get(reverse("attendance:report")).status_code == 403


def test_the_manager_reads_the_page_and_a_bad_day_is_told(client, clock):
    a_day_of_work()
    client.force_login(staff(Role.MANAGER))
    page = client.get(reverse("attendance:report"), {"day": DAY.isoformat()})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<dd class="col-5 text-end fw-semibold" id="takings-total">¥5,060.00</dd>' in html
    assert 'id="deposits-taken">1 · ¥5,000.00</dd>' in html
    assert "张三: late 35 min, left 10 min early" in html
    assert "Wrote no diary: 王五" in html

    later = client.get(reverse("attendance:report"), {"day": "2026-12-09"})
    assert later.context["report"].day == DAY  # today's report, with the message
    assert later.context["form"].errors["day"] == ["Enter a date from 2000-01-01 to 2026-12-02."]


def queries_of(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("attendance:report"), {"day": DAY.isoformat()}).status_code == 200
    return len(captured.captured_queries)


def test_its_queries_do_not_grow_with_the_day(client, clock):
    client.force_login(staff(Role.MANAGER))
    a_day_of_work(1)
    one = queries_of(client)
    for _ in range(4):
        ReceiptFactory(lines=(("permit_fee", "20.00", 1),), method="alipay")
        DepositFactory()
        case_in()
    assert queries_of(client) == one


def test_the_pdf_prints_the_figures(client, clock):
    a_day_of_work()
    client.force_login(staff(Role.AUDITOR))
    response = client.get(reverse("attendance:report_pdf"), {"day": DAY.isoformat()})
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "合计（3 张收据）" in text and "5,060.00" in text and "微信支付" in text
    assert "收取保证金" in text and "5,000.00" in text
    assert "张三" in text and "未写日记：王五" in text
