"""Attendance's part of the demo street, built through the services on the demo's clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from attendance import demo
from attendance.models import Amendment, AttendanceRecord, MonthSignoff, Staff
from attendance.selectors.months import month_sheet
from attendance.selectors.register import missing_today
from config.demo import DemoStreet, build_staff

pytestmark = pytest.mark.django_db


def test_the_demo_registers_three_months_and_signs_them(monkeypatch):
    now = datetime(2025, 4, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    build_staff()
    said = demo.build(DemoStreet(units=10, seed=2026, today=date(2025, 4, 10)))
    assert said == "8 staff on 2 shifts, 99 days of attendance"  # 1 January to 9 April
    assert Staff.objects.filter(user__isnull=False).count() == 3
    assert AttendanceRecord.objects.count() == 8 * 99
    assert Amendment.objects.count() == 0
    assert list(MonthSignoff.objects.order_by("month").values_list("year", "month")) == [
        (2025, 1),
        (2025, 2),
        (2025, 3),
    ]
    assert AttendanceRecord.objects.filter(presence="absent").count() == 1
    assert AttendanceRecord.objects.filter(late_minutes__gt=0).exists()
    assert AttendanceRecord.objects.filter(presence="leave").exists()
    # 张伟 covers a whole weekend in February: a week without a rest day is flagged.
    february = month_sheet(2025, 2)
    zhang = next(row for row in february.rows if row.staff.name == "张伟")
    assert zhang.weeks_without_rest == [date(2025, 2, 3)]
    assert missing_today(date(2025, 4, 10)) == 8
    assert demo.has_data() is True
