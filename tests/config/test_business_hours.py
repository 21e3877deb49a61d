"""The centre's business-hours clock: 09:00–18:00 on working days (config.workdays), across
evenings, weekends, the National Day week and a 调休 working Saturday."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config.business_hours import (
    add_business_hours,
    add_business_time,
    business_hours_between,
    business_time_between,
    opening,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def test_opening_hours_of_a_working_day_a_weekend_and_a_holiday():
    assert opening(at(2026, 11, 30).date()) == (at(2026, 11, 30, 9), at(2026, 11, 30, 18))
    assert opening(at(2026, 11, 28).date()) is None  # Saturday
    assert opening(at(2026, 10, 1).date()) is None  # National Day
    assert opening(at(2026, 10, 10).date()) == (at(2026, 10, 10, 9), at(2026, 10, 10, 18))  # 调休


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (at(2026, 11, 30, 10), 4, at(2026, 11, 30, 14)),  # within the day
        (at(2026, 11, 30, 16), 4, at(2026, 12, 1, 11)),  # over the evening
        (at(2026, 11, 30, 20), 4, at(2026, 12, 1, 13)),  # logged after closing
        (at(2026, 11, 30, 7), 9, at(2026, 11, 30, 18)),  # a whole day ends at closing
        (at(2026, 11, 27, 17), 8, at(2026, 11, 30, 16)),  # Friday → Monday over the weekend
        (at(2026, 11, 28, 11), 4, at(2026, 11, 30, 13)),  # logged on a Saturday
        (at(2026, 11, 30, 10), 24, at(2026, 12, 2, 16)),  # normal: 24 h = 2 days 6 h
        (at(2026, 11, 27, 10), 72, at(2026, 12, 9, 10)),  # low: 8 working days
        # Before National Day: 30 September, then the holiday 1–7 October, 8 October on.
        (at(2026, 9, 30, 15), 8, at(2026, 10, 8, 14)),
        # Friday 9 October, then Saturday 10 October is a working day (调休).
        (at(2026, 10, 9, 16), 4, at(2026, 10, 10, 11)),
        (at(2026, 10, 10, 17), 2, at(2026, 10, 12, 10)),  # Sunday 11 is off
    ],
)
def test_due_times(start, hours, due):
    assert add_business_hours(start, hours) == due


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(2026, 11, 30, 10), at(2026, 11, 30, 12, 30), 2.5),
        (at(2026, 11, 30, 17), at(2026, 12, 1, 10), 2),  # the evening does not count
        (at(2026, 11, 27, 17), at(2026, 11, 30, 10), 2),  # nor the weekend
        (at(2026, 9, 30, 9), at(2026, 10, 9, 9), 18),  # 30 Sept and 8 Oct: the week is off
        (at(2026, 10, 9, 9), at(2026, 10, 12, 9), 18),  # 9 and the 调休 Saturday 10
        (at(2026, 12, 1, 10), at(2026, 11, 30, 10), 0),  # an end before the start
    ],
)
def test_elapsed_business_hours(start, end, hours):
    assert business_hours_between(start, end) == hours


def test_a_pause_is_left_out_by_subtracting_its_business_time():
    # Received Monday 10:00 (normal, 24 h); waited on the tenant Tuesday 11:00 → Thursday
    # 11:00 (18 business hours): due moves from Wednesday 16:00 to Friday 16:00.
    received, due = at(2026, 11, 30, 10), at(2026, 12, 2, 16)
    paused = business_time_between(at(2026, 12, 1, 11), at(2026, 12, 3, 11))
    assert paused == timedelta(hours=18)
    assert add_business_time(due, paused) == at(2026, 12, 4, 16)
    elapsed = business_time_between(received, at(2026, 12, 4, 16)) - paused
    assert elapsed == timedelta(hours=24)


moments = st.datetimes(min_value=datetime(2025, 12, 20), max_value=datetime(2026, 12, 20)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=SHANGHAI)
)


@settings(max_examples=60, deadline=None)
@given(start=moments, minutes=st.integers(min_value=1, max_value=72 * 60))
def test_adding_then_measuring_gives_back_the_amount(start, minutes):
    amount = timedelta(minutes=minutes)
    due = add_business_time(start, amount)
    assert business_time_between(start, due) == amount
    # The due time is inside opening hours (its closing at the latest).
    hours = opening(due.date())
    assert hours is not None and hours[0] < due <= hours[1]


@settings(max_examples=60, deadline=None)
@given(a=moments, b=moments, c=moments)
def test_spans_add_up(a, b, c):
    a, b, c = sorted([a, b, c])
    assert business_time_between(a, c) == business_time_between(a, b) + business_time_between(b, c)
