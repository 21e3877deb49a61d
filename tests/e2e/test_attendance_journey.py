"""The attendance journey in Chromium (issue #13), through the pages as the desk and the
manager use them: the assistant registers a past working day (everyone present with one
click), then amends it (one person came late and stayed on); the manager reads that
month's sheet, its totals exact, and signs it, after which the assistant's amendment is
refused; the assistant writes the work diary, drafts a shift handover to the second
assistant and submits it; the second assistant acknowledges one line, disputes another with
a note and acknowledges the rest; the manager sees the handover disputed in the list, and
opens the day's daily report from the home page.

The month is March 2025 (21 working days, no public holiday, always in the past): the
database registers its other working days as planned, and the browser the last Friday
(28 March). The diary and the handover are of today, whatever today is: nothing asserted
of them depends on the date. The pages are read in Chinese, as the desk reads them.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from attendance.models import (
    Amendment,
    AttendanceRecord,
    HandoverState,
    ItemAnswer,
    MonthSignoff,
    ShiftHandover,
    WorkDiary,
)
from attendance.selectors.months import month_days
from config.workdays import is_working_day
from tests.e2e.audit import login, navigate, submit, visit
from tests.factories.attendance import ShiftFactory, StaffFactory, register_as_planned

pytestmark = pytest.mark.e2e

DAY = date(2025, 3, 28)  # a Friday, a working day of March 2025
REGISTER_URL = f"/attendance/register/?day={DAY:%Y-%m-%d}"
# The sheet's total columns, in order (attendance.exporters.months.TOTAL_HEADERS).
TOTALS = 13


@pytest.fixture
def desk_staff(staff):
    """The two assistants as members of staff on the early shift (08:30–17:00), and March
    2025 registered as planned but for its last Friday."""
    early = ShiftFactory(name="早班")
    users = get_user_model().objects
    first = StaffFactory(name="李晓敏", user=users.get(username="assistant"), shift=early)
    second = StaffFactory(name="周婷", user=users.get(username="assistant2"), shift=early)
    working = [day for day in month_days(2025, 3) if is_working_day(day)]
    assert len(working) == 21 and DAY in working
    for day in working:
        if day != DAY:
            register_as_planned(day, by=staff["assistant"], today=day)
    return first, second


def sheet_totals(page, name: str) -> list[str]:
    """The totals of ``name``'s row of the monthly sheet, as the page shows them."""
    row = page.locator("#month-sheet tbody tr").filter(
        has=page.locator("td:first-child", has_text=name)
    )
    expect(row).to_have_count(1)
    return [text.strip() for text in row.locator("td").all_inner_texts()[-TOTALS:]]


def test_register_sign_diary_and_a_disputed_handover(page, staff, desk_staff, second_page):
    first, second = desk_staff

    # The assistant opens the day: nobody registered yet, everyone shown as planned; one
    # click registers them all present.
    login(page, "assistant")
    visit(page, REGISTER_URL)
    expect(page.locator("main")).to_contain_text("2 人尚未登记：表中按班次计划预填。")
    submit(page, "#register-submit")
    expect(page.locator(".alert-success")).to_contain_text(
        "2025-03-28 已登记：新增 2 条，更改 0 条。"
    )
    assert AttendanceRecord.objects.filter(day=DAY).count() == 2

    # 周婷 came in at 09:10 and stayed until 17:30: the past day is amended, with a reason.
    page.fill(f"#id_s{second.pk}-time_in", "09:10")
    page.fill(f"#id_s{second.pk}-time_out", "17:30")
    page.fill("#id_reason", "打卡机故障，按监控补记")
    submit(page, "#register-submit")
    expect(page.locator(".alert-success")).to_contain_text(
        "2025-03-28 已登记：新增 0 条，更改 1 条。"
    )
    record = AttendanceRecord.objects.get(day=DAY, staff=second)
    assert (record.late_minutes, record.early_minutes, record.overtime_minutes) == (40, 0, 30)
    amendment = Amendment.objects.get()
    assert (amendment.before, amendment.after) == ("√ 08:30–17:00", "迟 09:10–17:30")
    expect(page.locator("main")).to_contain_text("迟到 40 分钟")

    # The manager opens the month's sheet from the day's register and reads the totals:
    # 21 days present each; 周婷 late once for 40 minutes, with half an hour's overtime.
    manager = second_page("manager")
    visit(manager, REGISTER_URL)
    navigate(manager, lambda: manager.get_by_role("link", name="月度考勤表").click())
    assert manager.url.endswith("/attendance/months/2025/3/")
    expect(manager.locator("h1")).to_contain_text("2025年3月考勤表")
    expect(manager.locator("main .alert-warning")).to_have_count(0)  # every day registered
    #            出勤 休息日 迟到次 迟到分 早退次 早退分 旷工 年 病 事 差 调休 加班小时
    assert sheet_totals(manager, "李晓敏") == [
        "21", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0.00",
    ]  # fmt: skip
    assert sheet_totals(manager, "周婷") == [
        "21", "0", "1", "40", "0", "0", "0", "0", "0", "0", "0", "0", "0.50",
    ]  # fmt: skip

    # The manager signs: the month is locked.
    submit(manager, "#month-sign")
    expect(manager.locator(".alert-success")).to_contain_text("2025-03 已签字：考勤已锁定。")
    expect(manager.locator("#month-signed")).to_contain_text("王建国 于")
    expect(manager.locator("#month-sign")).to_have_count(0)
    assert MonthSignoff.objects.filter(year=2025, month=3, signed_by=staff["manager"]).exists()

    # The assistant's further amendment is refused on the page, and nothing changes.
    visit(page, REGISTER_URL)
    expect(page.locator("main")).to_contain_text(
        "经理已签字确认本月考勤：只有经理可以更正，并须填写原因。"
    )
    page.fill(f"#id_s{first.pk}-time_out", "18:00")
    page.fill("#id_reason", "忘记登记加班")
    submit(page, "#register-submit")
    expect(page.locator("main form .alert-danger[role=alert]")).to_have_text(
        "经理已签字确认 2025-03 的考勤：现在只有经理可以更正。"
    )
    assert AttendanceRecord.objects.get(day=DAY, staff=first).overtime_minutes == 0
    assert Amendment.objects.count() == 1

    # The assistant writes the work diary of today's shift.
    visit(page, "/attendance/diary/new/")
    page.fill("#id_happened", "上午接待商户咨询三起，下午整理档案柜")
    page.fill("#id_calls", "A-1-101 来电询问装修押金退还进度")
    submit(page, "main form[method=post] button[type=submit]")
    entry = WorkDiary.objects.get()
    assert (entry.staff, entry.shift.name) == (first, "早班")
    assert page.url.endswith(entry.get_absolute_url())
    expect(page.locator("main")).to_contain_text("上午接待商户咨询三起，下午整理档案柜")

    # The assistant drafts the handover to 周婷 and submits it.
    visit(page, "/attendance/handovers/new/")
    page.select_option("#id_incoming", label="周婷")
    page.fill("#id_cash_float", "500.00")
    page.fill("#id_cabinet_keys", "3")
    page.fill("#id_permit_cards", "40")
    page.fill("#id_matters", "B-2-205 装修押金退款资料待补")
    submit(page, "main form[method=post] button[type=submit]")
    handover = ShiftHandover.objects.get()
    assert page.url.endswith(handover.get_absolute_url())
    assert (handover.outgoing, handover.incoming, handover.state) == (
        first,
        second,
        HandoverState.DRAFT,
    )
    expect(page.locator("#line-1")).to_contain_text("500.00")
    expect(page.locator("#line-2")).to_contain_text("3")
    expect(page.locator("#line-4")).to_contain_text("B-2-205 装修押金退款资料待补")
    submit(page, "#submit-form button[type=submit]")
    handover.refresh_from_db()
    assert handover.state == HandoverState.SUBMITTED
    expect(page.locator("#acknowledge-all")).to_have_count(0)  # not the outgoing's to answer

    # 周婷 takes over: acknowledges the float, disputes the keys, acknowledges the rest.
    incoming = second_page("assistant2")
    visit(incoming, handover.get_absolute_url())
    submit(incoming, incoming.locator("#line-1").get_by_role("button", name="确认", exact=True))
    expect(incoming.locator("#line-1")).to_contain_text("已确认")
    incoming.locator("#line-2 input[name=note]").fill("只收到2把钥匙")
    submit(incoming, incoming.locator("#line-2").get_by_role("button", name="提出异议"))
    expect(incoming.locator("#line-2")).to_contain_text("有异议")
    expect(incoming.locator("#line-2")).to_contain_text("只收到2把钥匙")
    submit(incoming, "#acknowledge-all button[type=submit]")
    handover.refresh_from_db()
    assert handover.state == HandoverState.DISPUTED
    answers = dict(handover.items.values_list("position", "answer"))
    assert answers[1] == ItemAnswer.ACKNOWLEDGED and answers[2] == ItemAnswer.DISPUTED
    assert set(answers.values()) == {ItemAnswer.ACKNOWLEDGED, ItemAnswer.DISPUTED}
    assert handover.items.get(position=2).answer_note == "只收到2把钥匙"

    # The manager sees it disputed in the list of handovers.
    visit(manager, "/attendance/handovers/")
    rows = manager.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("已确认（有异议）")
    expect(rows.first).to_contain_text("李晓敏")
    expect(rows.first).to_contain_text("周婷")
    expect(manager.locator("#acknowledged")).to_contain_text("1 项有异议")

    # The manager opens today's daily report from the home page: the diary is in it.
    visit(manager, "/")
    navigate(manager, lambda: manager.get_by_role("link", name="今日（截至目前）").click())
    expect(manager.locator("h1")).to_contain_text("每日汇报")
    expect(manager.locator("#report-diary")).to_contain_text("上午接待商户咨询三起")
    expect(manager.locator("#report-takings")).to_contain_text("当日日结")
    pdf = manager.request.get(manager.locator("#report-pdf").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
