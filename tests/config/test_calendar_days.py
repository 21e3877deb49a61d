"""The administrator's calendar days override chinese-calendar, for years it does not know
(2027 in the installed package) and to correct a known one; a warning says which years
are not known, and the business-hours clock counts the overrides."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from config import workdays
from config.business_hours import add_business_hours
from config.models import CalendarDay

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_unknown_year_counts_weekdays_until_its_days_are_entered(calendar_days):
    new_year = date(2027, 1, 1)  # a Friday
    assert (workdays.is_working_day(new_year), workdays.is_estimate(new_year)) == (True, True)
    CalendarDay.objects.create(day=new_year, working=False, note="元旦")
    CalendarDay.objects.create(day=date(2027, 1, 2), working=True, note="调休")
    assert workdays.is_working_day(new_year) is False
    assert workdays.is_working_day(date(2027, 1, 2)) is True
    assert workdays.is_estimate(new_year) is False
    assert workdays.working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 2


def test_an_override_wins_over_the_package(calendar_days):
    day = date(2026, 12, 1)  # a Tuesday the package counts as a working day
    assert workdays.is_working_day(day) is True
    entered = CalendarDay.objects.create(day=day, working=False, note="停电检修")
    assert workdays.is_working_day(day) is False
    entered.delete()
    assert workdays.is_working_day(day) is True


def test_the_clock_skips_an_entered_holiday(calendar_days):
    start = datetime(2027, 1, 4, 17, tzinfo=SHANGHAI)  # a Monday, an hour before closing
    assert add_business_hours(start, 2) == datetime(2027, 1, 5, 10, tzinfo=SHANGHAI)
    CalendarDay.objects.create(day=date(2027, 1, 5), working=False)
    assert add_business_hours(start, 2) == datetime(2027, 1, 6, 10, tzinfo=SHANGHAI)


def test_the_warning_names_the_years_the_package_does_not_know(calendar_days):
    assert workdays.calendar_warnings(date(2025, 6, 1)) == []
    assert workdays.calendar_warnings(date(2026, 6, 1)) == [
        "The calendar package does not know 2027 yet: Monday to Friday are counted as "
        "working days. Enter the year's holidays and 调休 working days here once the State "
        "Council publishes them, or update the package."
    ]
    CalendarDay.objects.create(day=date(2027, 1, 1), working=False)
    assert workdays.calendar_warnings(date(2026, 6, 1)) == [
        "The calendar package does not know 2027 yet: its holidays and 调休 working days are "
        "the 1 days entered here, the other days Monday to Friday."
    ]


def test_the_administrator_keeps_the_days_in_the_admin_and_is_warned(
    calendar_days, client_as, administrator, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 30, 10, tzinfo=SHANGHAI))
    client = client_as(administrator)
    response = client.get(reverse("admin:config_calendarday_changelist"))
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]][0].startswith(
        "The calendar package does not know 2027 yet"
    )
    response = client.post(
        reverse("admin:config_calendarday_add"),
        {"day": "2027-02-11", "working": "", "note": "春节"},
    )
    assert response.status_code == 302
    assert workdays.is_working_day(date(2027, 2, 11)) is False
