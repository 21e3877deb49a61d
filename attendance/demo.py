"""Attendance's part of the demo street: eight staff on two shifts, and the register of the
three months before the demo's today and of this month up to yesterday, with some lates,
early leavings, leave, an absence and overtime (one week without a rest day among them),
the past months signed by the manager; all through the services, on the demo's clock.

Each concern is its own function of (clock, rng, users ...) that build() calls in turn, so
that the diary, the handover and the tasks can add theirs here."""

import random
from collections.abc import Iterator
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model

from attendance.enums import LeaveKind, Presence
from attendance.models import Shift, Staff
from attendance.selectors.months import month_days
from attendance.services.months import month_sign
from attendance.services.register import Entry, register_take
from attendance.services.staff import shift_save, staff_save
from config.demo import DemoClock, DemoStreet, acting
from config.workdays import is_working_day

SHIFTS = [("早班", time(8, 30), time(17, 0)), ("晚班", time(12, 30), time(21, 0))]
# (name, position, shift, login of the demo's users or "")
STAFF = [
    ("王建国", "客服中心经理", "早班", "manager"),
    ("李晓敏", "客服中心助理", "早班", "assistant"),
    ("周婷", "客服中心助理", "晚班", "assistant2"),
    ("张伟", "客服专员", "早班", ""),
    ("刘洋", "客服专员", "晚班", ""),
    ("陈静", "档案管理员", "早班", ""),
    ("杨帆", "收费员", "晚班", ""),
    ("黄磊", "客服专员", "晚班", ""),
]
MONTHS_BACK = 3


def has_data() -> bool:
    return Staff.objects.exists()


def first_day(today: date) -> date:
    """The first day of the month ``MONTHS_BACK`` months before today's."""
    year, month = today.year, today.month - MONTHS_BACK
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def build_staff_and_shifts(*, manager, users: dict, joined_on: date) -> list[Staff]:
    with acting(manager):
        shifts = {
            name: shift_save(by=manager, name=name, starts_at=start, ends_at=end)
            for name, start, end in SHIFTS
        }
        return [
            staff_save(
                by=manager,
                name=name,
                position=position,
                shift=shifts[shift],
                joined_on=joined_on,
                user=users.get(login),
            )
            for name, position, shift, login in STAFF
        ]


def _at(clock_time: time, minutes: int) -> time:
    moment = (clock_time.hour * 60 + clock_time.minute + minutes) % (24 * 60)
    return time(moment // 60, moment % 60)


def day_entries(day: date, staff: list[Staff], rng: random.Random, no_rest_week: date) -> list:
    """A believable day: most people as planned, now and then a late arrival, an early
    leaving, a day of leave or an evening of overtime; on rest days one person on duty."""
    working = is_working_day(day)
    entries = []
    for index, person in enumerate(staff):
        start, end = person.shift.starts_at, person.shift.ends_at
        if not working:
            on_duty = (day.toordinal() % len(staff)) == index and day.weekday() == 5
            # 张伟 covers a whole weekend too: the week of no_rest_week has no rest day.
            covers = index == 3 and no_rest_week <= day <= no_rest_week + timedelta(days=6)
            if on_duty or covers:
                entries.append(Entry(person.pk, Presence.PRESENT, "", time(9), time(17)))
            else:
                entries.append(Entry(person.pk, Presence.REST))
            continue
        roll = rng.random()
        if roll < 0.04:
            entries.append(
                Entry(person.pk, Presence.PRESENT, "", _at(start, rng.randint(5, 40)), end)
            )
        elif roll < 0.06:
            entries.append(
                Entry(person.pk, Presence.PRESENT, "", start, _at(end, -rng.randint(10, 60)))
            )
        elif roll < 0.09:
            kind = rng.choice(
                [LeaveKind.ANNUAL, LeaveKind.SICK, LeaveKind.PERSONAL, LeaveKind.TRIP]
            )
            entries.append(Entry(person.pk, Presence.LEAVE, kind))
        elif roll < 0.14:
            entries.append(
                Entry(person.pk, Presence.PRESENT, "", start, _at(end, rng.choice([60, 90, 120])))
            )
        else:
            entries.append(Entry(person.pk, Presence.PRESENT, "", start, end))
    return entries


def _register_story(*, clock, desk, manager, staff, rng, first, today) -> Iterator[tuple]:
    day = first
    absence = None
    no_rest_week = first + timedelta(days=35 - first.weekday())  # a Monday of the 2nd month
    while day < today:
        yield (today - day).days, 18
        entries = day_entries(day, staff, rng, no_rest_week)
        if absence is None and is_working_day(day) and day > first + timedelta(days=20):
            absence = day
            entries[4] = Entry(staff[4].pk, Presence.ABSENT, note="未请假未到岗")
        with acting(desk):
            register_take(by=desk, day=day, entries=entries, today=day)
        last = month_days(day.year, day.month)[-1]
        if day == last and (today - day).days > 2:
            # The manager signs the month on the second day of the next.
            yield (today - day).days - 2, 10
            with acting(manager):
                month_sign(by=manager, year=day.year, month=day.month, today=clock.date)
        day += timedelta(days=1)


def build_register(*, clock: DemoClock, desk, manager, staff: list[Staff], seed: int) -> int:
    rng = random.Random(seed)
    first = first_day(clock.today)
    clock.run(
        [
            _register_story(
                clock=clock,
                desk=desk,
                manager=manager,
                staff=staff,
                rng=rng,
                first=first,
                today=clock.today,
            )
        ]
    )
    return (clock.today - first).days


def build(street: DemoStreet) -> str:
    user = get_user_model().objects.get_by_natural_key
    users = {name: user(name) for name in ("assistant", "assistant2", "manager")}
    manager = users["manager"]
    staff = build_staff_and_shifts(
        manager=manager, users=users, joined_on=first_day(street.today) - timedelta(days=365)
    )
    staff = list(Staff.objects.select_related("shift").order_by("pk"))
    days = build_register(
        clock=DemoClock(today=street.today),
        desk=users["assistant"],
        manager=manager,
        staff=staff,
        seed=street.seed,
    )
    return f"{len(staff)} staff on {Shift.objects.count()} shifts, {days} days of attendance"
