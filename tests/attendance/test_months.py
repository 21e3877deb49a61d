"""The monthly sheet of March 2025 (21 working days, no holiday) on generated data, its
totals and 《劳动法》 flags against hand-computed values; the Excel and PDF files read back;
the manager's signature."""

import io
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from attendance.enums import LeaveKind, Presence
from attendance.exporters.months import sheet_pdf, sheet_xlsx
from attendance.models import MonthSignoff
from attendance.selectors.months import month_sheet
from attendance.services.months import month_sign
from attendance.services.register import Entry, planned_entries, register_take
from config.roles import Role
from config.workdays import is_working_day
from tests.factories.attendance import ShiftFactory, StaffFactory
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db

MARCH = [date(2025, 3, day) for day in range(1, 32)]
TODAY = date(2025, 4, 10)


def entry(person, day: date, start=None, end=None, **kwargs) -> Entry:
    if start is not None:
        return Entry(person.pk, Presence.PRESENT, "", start, end)
    return Entry(person.pk, **kwargs)


def build_march(by) -> tuple:
    """张三 (early shift 08:30–17:00): late 20 minutes on the 4th, left 30 minutes early on
    the 5th, absent on the 6th, sick on the 7th, annual leave on the 10th, stayed until
    19:00 on the 11th, worked Saturday 22 and Sunday 23 09:00–18:00 (so the week of the
    17th has no rest day). 李四 (same shift): every working day as planned, and every
    weekend 08:00–18:00: 10 rest days of 10 hours."""
    early = ShiftFactory()
    zhang = StaffFactory(name="张三", shift=early)
    li = StaffFactory(name="李四", shift=early)
    special = {
        date(2025, 3, 4): entry(zhang, None, time(8, 50), time(17, 0)),
        date(2025, 3, 5): entry(zhang, None, time(8, 30), time(16, 30)),
        date(2025, 3, 6): entry(zhang, None, presence=Presence.ABSENT),
        date(2025, 3, 7): entry(zhang, None, presence=Presence.LEAVE, leave_kind=LeaveKind.SICK),
        date(2025, 3, 10): entry(zhang, None, presence=Presence.LEAVE, leave_kind=LeaveKind.ANNUAL),
        date(2025, 3, 11): entry(zhang, None, time(8, 30), time(19, 0)),
        date(2025, 3, 22): entry(zhang, None, time(9, 0), time(18, 0)),
        date(2025, 3, 23): entry(zhang, None, time(9, 0), time(18, 0)),
    }
    for day in MARCH:
        entries = {e.staff_id: e for e in planned_entries(day)}
        if day in special:
            entries[zhang.pk] = special[day]
        if not is_working_day(day):
            entries[li.pk] = entry(li, day, time(8, 0), time(18, 0))
        register_take(by=by, day=day, entries=list(entries.values()), today=day)
    return zhang, li


@pytest.fixture
def march(clock, desk):
    return build_march(desk)


def test_the_totals_and_flags_of_the_month(march):
    sheet = month_sheet(2025, 3)
    assert sum(day.working for day in sheet.days) == 21
    zhang, li = sheet.rows  # both on the early shift, by name
    assert zhang.staff.name == "张三"
    totals = zhang.totals
    assert (totals.present_days, totals.rest_days_worked) == (18, 2)
    assert (totals.late_count, totals.late_minutes) == (1, 20)
    assert (totals.early_count, totals.early_minutes) == (1, 30)
    assert totals.absent_days == 1
    assert totals.leave_days == {
        LeaveKind.ANNUAL: 1,
        LeaveKind.SICK: 1,
        LeaveKind.PERSONAL: 0,
        LeaveKind.TRIP: 0,
        LeaveKind.COMPENSATORY: 0,
    }
    # 120 minutes after the shift on the 11th, 9 hours on each of two rest days.
    assert totals.overtime_minutes == 120 + 540 + 540
    assert totals.overtime_hours == Decimal("20.00")
    assert totals.unrecorded_days == 0
    assert zhang.weeks_without_rest == [date(2025, 3, 17)]
    assert zhang.breaches == ["03-17–03-23 连续7天无休息"]
    cells = {day.day.day: cell.symbol for day, cell in zip(sheet.days, zhang.cells, strict=True)}
    assert [cells[d] for d in (1, 3, 4, 5, 6, 7, 10, 11, 22)] == [
        "休",
        "√",
        "迟",
        "早",
        "旷",
        "病",
        "年",
        "√",
        "√",
    ]

    totals = li.totals
    assert (totals.present_days, totals.rest_days_worked) == (21, 10)
    assert (totals.late_count, totals.early_count, totals.absent_days) == (0, 0, 0)
    assert totals.overtime_hours == Decimal("100.00")
    # The week of 24 February has no records in February; that of 31 March none in April.
    assert li.weeks_without_rest == [
        date(2025, 3, 3),
        date(2025, 3, 10),
        date(2025, 3, 17),
        date(2025, 3, 24),
    ]
    assert li.overtime_over_limit is True
    assert li.breaches[-1] == "加班100.00小时，超过36小时"
    assert sheet.breach_count == 2


def test_the_excel_sheet_reads_back(march):
    workbook = load_workbook(io.BytesIO(sheet_xlsx(month_sheet(2025, 3))))
    ws = workbook["2025年3月考勤表"]
    header = [cell.value for cell in ws[1]]
    assert header[:4] == ["姓名", "班次", "1日休", "2日休"]
    assert header[-14:] == [
        "出勤天数",
        "休息日出勤",
        "迟到次数",
        "迟到分钟",
        "早退次数",
        "早退分钟",
        "旷工天数",
        "年假",
        "病假",
        "事假",
        "出差",
        "调休",
        "加班小时",
        "违反《劳动法》",
    ]
    zhang = [cell.value for cell in ws[2]]
    assert zhang[:2] == ["张三", "早班"]
    assert zhang[2 + 3] == "迟"  # the 4th
    assert zhang[-14:] == [18, 2, 1, 20, 1, 30, 1, 1, 1, 0, 0, 0, 20, "03-17–03-23 连续7天无休息"]
    li = [cell.value for cell in ws[3]]
    assert li[-2] == 100
    assert li[-1].endswith("加班100.00小时，超过36小时")
    totals = [cell.value for cell in ws[4]]
    assert totals[0] == "合计"
    assert ws.freeze_panes == "A2"
    about = workbook["说明"]
    assert [about.cell(4, 1).value, about.cell(4, 2).value] == ["经理签字", "未签字"]


def test_the_pdf_reads_back(march, boss, clock):
    month_sign(by=boss, year=2025, month=3, today=TODAY)
    pdf = PdfReader(io.BytesIO(sheet_pdf(month_sheet(2025, 3))))
    assert pdf.pages[0].mediabox.width > pdf.pages[0].mediabox.height  # landscape
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "2025年3月考勤表" in text
    assert "连续7天无休息" in text
    assert "加班100.00小时，超过36小时" in text
    assert "李经理" in text


def test_the_manager_signs_a_complete_past_month_once(march, boss, desk, clock):
    with pytest.raises(PermissionDenied):
        month_sign(by=desk, year=2025, month=3, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        month_sign(by=boss, year=2025, month=3, today=date(2025, 3, 31))
    assert refused.value.messages == ["A month is signed once it is over."]
    signed = month_sign(by=boss, year=2025, month=3, today=TODAY)
    assert (signed.year, signed.month, signed.signed_by, signed.signed_at) == (
        2025,
        3,
        boss,
        clock.now,
    )
    with pytest.raises(ValidationError) as refused:
        month_sign(by=boss, year=2025, month=3, today=TODAY)
    assert refused.value.messages == ["This month is already signed."]


def test_a_month_with_days_not_registered_is_not_signed(clock, desk, boss, three):
    register_take(by=desk, day=date(2025, 2, 10), entries=planned_entries(date(2025, 2, 10)))
    with pytest.raises(ValidationError) as refused:
        month_sign(by=boss, year=2025, month=2, today=TODAY)
    # February 2025: 20 weekdays less 3 and 4 February (春节) plus Saturday the 8th (调休):
    # 19 working days, the 10th registered: 18 days of 3 people missing.
    assert sum(is_working_day(date(2025, 2, d)) for d in range(1, 29)) == 19
    missing = 18 * 3
    assert refused.value.messages == [
        f"{missing} working days of staff are not registered yet: register them first."
    ]
    assert MonthSignoff.objects.count() == 0


def test_the_sign_view_for_the_manager_and_403_for_the_assistant(client, march, boss, desk):
    sign = reverse("attendance:month_sign", args=[2025, 3])
    client.force_login(desk)
    assert client.post(sign).status_code == 403
    client.force_login(boss)
    response = client.post(sign)
    assert response.status_code == 302
    assert MonthSignoff.objects.get().signed_by == boss
    page = client.get(reverse("attendance:month_sheet", args=[2025, 3]))
    assert "Signed by 李经理" in page.content.decode()


@pytest.mark.parametrize("role", [Role.FINANCE, Role.DEPARTMENT])
def test_the_sheet_and_its_files_are_403_without_attendance(client, clock, role):
    client.force_login(UserFactory(roles=[role]))
    for name in ("month_sheet", "month_xlsx", "month_pdf", "month_list"):
        args = [2025, 3] if name != "month_list" else []
        assert client.get(reverse(f"attendance:{name}", args=args)).status_code == 403


def test_the_auditor_downloads_the_files(client, march):
    client.force_login(UserFactory(roles=[Role.AUDITOR]))
    response = client.get(reverse("attendance:month_xlsx", args=[2025, 3]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("attendance:month_sign", args=[2025, 3])).status_code == 405
    assert client.get(reverse("attendance:month_sheet", args=[2025, 5])).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_the_sheet_takes_the_same_queries_for_2_and_20_staff(
    client, clock, desk, count, django_assert_num_queries
):
    StaffFactory.create_batch(count)
    for day in (date(2025, 3, 3), date(2025, 3, 4)):
        register_take(by=desk, day=day, entries=planned_entries(day), today=day)
    client.force_login(desk)
    url = reverse("attendance:month_sheet", args=[2025, 3])
    client.get(url)
    with django_assert_num_queries(SHEET_QUERIES):
        assert client.get(url).status_code == 200


# The session, the user, their permissions (2), the staff, their records, the signature,
# the user's roles (menu), the centre (header).
SHEET_QUERIES = 9


def test_the_registry_serves_the_sheet_too(client, march):
    client.force_login(UserFactory(roles=[Role.MANAGER]))
    url = reverse("export", kwargs={"name": "attendance_month_xlsx"})
    response = client.get(url, {"month": "2025-03"})
    assert response.status_code == 200
    ws = load_workbook(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    ).active
    assert ws.title == "2025年3月考勤表"
    refused = client.get(url, {"month": "2025-13"})
    assert refused.context["form"].errors == {
        "month": ["Enter a month as year-month, e.g. 2026-05."]
    }
