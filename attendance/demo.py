"""Attendance's part of the demo street: eight staff on two shifts, and the register of the
three months before the demo's today and of this month up to yesterday, with some lates,
early leavings, leave, an absence and overtime (one week without a rest day among them),
the past months signed by the manager; all through the services, on the demo's clock.

Each concern is its own function of (clock, rng, users ...) that build() calls in turn, so
that the diary, the handover and the tasks can add theirs here."""

import random
from collections.abc import Iterator
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from attendance.enums import LeaveKind, Presence
from attendance.models import HandoverItem, ItemKind, Shift, Staff, Task, WorkDiary
from attendance.selectors.months import month_days
from attendance.services.diary import diary_write
from attendance.services.handovers import (
    Counted,
    handover_acknowledge_all,
    handover_draft,
    handover_item_answer,
    handover_submit,
)
from attendance.services.months import month_sign
from attendance.services.register import Entry, register_take
from attendance.services.staff import shift_save, staff_save
from attendance.services.tasks import task_complete, task_give
from config.demo import DemoClock, DemoStreet, acting
from config.people import person_name
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


# --- the work diary, the shift handover and the manager's tasks (issue #13) --------------
# Three months of the desk's diaries and handovers (早班 李晓敏 hands over to 晚班 周婷 on
# most working days, a few lines disputed), and the manager's tasks: done, open, overdue.
# Built in finish(), after every app's build(): a handover reads the other apps' open work.
# The figures written in are those of the finished street (not as they were on the day):
# the apps keep no history of their queues to read back.
DIARY_DAYS = 90
HAPPENINGS = [
    "接待来访租户 {n} 人，办理装修出入证 {k} 张，收取办证费及工本费。",
    "受理投诉 {k} 宗（噪音、占道经营），已派工程部、保安部跟进。",
    "协助招商部带客看铺 {k} 次；整理二楼租户档案 {n} 份。",
    "办理装修保证金收取 {k} 笔；核对出入证库存。",
]
VISITORS = ["A-1-05 租户咨询装修审批", "施工单位负责人来办出入证", "B-2-11 租户来交资料", ""]
CALLS = ["工程部回电：漏水已处理", "租户来电询问物业费", "保安部来电：夜间巡查正常", ""]
UNUSUAL = ["", "", "", "下午停电二十分钟，收银改为手工登记", "一名施工人员未佩戴出入证，已劝离"]
MATTERS = ["A-1-05 漏水待回访", "C-1-02 装修验收约在明天上午", "出入证卡库存不足，需申领"]
TASKS = [
    # (title, days ago given, days to due, done)
    ("整理三楼档案柜并编制目录", 80, 7, True),
    ("核对本季度出入证库存与台账", 60, 5, True),
    ("准备消防检查所需的租户资料", 40, 3, True),
    ("统计上月投诉回访满意度", 25, 4, True),
    ("更新租户紧急联系人名单", 12, 5, False),  # overdue
    ("联系 B-2-11 补交营业执照复印件", 9, 4, False),  # overdue
    ("整理年度租赁合同到期清单", 3, 10, False),  # open
    ("准备下周的商户座谈会签到表", 1, 6, False),  # open
]


def _shift(name: str, starts: time, ends: time) -> Shift:
    shift, _created = Shift.objects.get_or_create(
        name=name, defaults={"starts_at": starts, "ends_at": ends}
    )
    return shift


def _member(user, shift: Shift, joined_on) -> Staff:
    """The user's member of staff, shared with the register's part (get_or_create on the
    login, so that either part may make it first)."""
    found, _created = Staff.objects.get_or_create(
        user=user,
        defaults={
            "name": person_name(user),
            "position": "客服中心助理",
            "shift": shift,
            "joined_on": joined_on,
        },
    )
    return found


def _day_story(n, rng, early, late, shifts) -> Iterator[tuple[int, int]]:
    """One day of the desk, ``n`` days back: both diaries, the handover and its answers."""
    days_ago = DIARY_DAYS - n
    (early_user, _early_staff), (late_user, late_staff) = early, late
    yield days_ago, 12
    for user, shift in ((early_user, shifts[0]), (late_user, shifts[1])):
        k = rng.randint(1, 6)
        with acting(user):
            diary_write(
                by=user,
                shift=shift,
                date=_today(),
                happened=rng.choice(HAPPENINGS).format(n=rng.randint(2, 12), k=k),
                visitors=rng.choice(VISITORS),
                calls=rng.choice(CALLS),
                unusual=rng.choice(UNUSUAL),
            )
    yield days_ago, 13
    with acting(early_user):
        handover = handover_draft(
            by=early_user,
            date=_today(),
            shift=shifts[0],
            incoming=late_staff,
            counted=[
                Counted(ItemKind.CASH_FLOAT, _money(500)),
                Counted(ItemKind.CABINET_KEYS, _count(4)),
                Counted(ItemKind.PERMIT_CARDS, _count(rng.randint(20, 80))),
            ],
            matters=rng.sample(MATTERS, rng.randint(0, 2)),
        )
        handover = handover_submit(handover=handover, by=early_user, notes="")
    if days_ago == 0:
        return  # today's handover still waits for the late shift
    yield days_ago, 13 + rng.randint(0, 3)
    with acting(late_user):
        if n % 13 == 5:  # a few disputes: the cash float counted short
            cash = HandoverItem.objects.get(handover=handover, kind=ItemKind.CASH_FLOAT)
            handover_item_answer(
                item=cash, by=late_user, disputed=True, note="实点 450.00 元，少 50 元"
            )
        handover_acknowledge_all(handover=handover, by=late_user)


def _task_story(spec, manager, people) -> Iterator[tuple[int, int]]:
    title, given_ago, due_in, done = spec
    worker = people[TASKS.index(spec) % len(people)]
    yield given_ago, 9
    with acting(manager):
        task = task_give(
            by=manager,
            assigned_to=worker,
            title=title,
            due_on=_today() + timedelta(days=due_in),
        )
    if not done:
        return
    yield given_ago - due_in + 1, 16
    with acting(worker):
        task_complete(task=task, by=worker, note="已完成，资料已归档。")


_CLOCK: list[DemoClock] = []


def _today():
    return _CLOCK[0].date


def _money(amount) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


def _count(n) -> Decimal:
    return Decimal(n)


def build_diary_handovers_tasks(street: DemoStreet) -> str:
    rng = random.Random(street.seed + 13)
    user = get_user_model().objects.get_by_natural_key
    early_user, late_user, manager = user("assistant"), user("assistant2"), user("manager")
    joined = street.today - timedelta(days=DIARY_DAYS + 400)
    shifts = (
        _shift("早班", time(8, 30), time(17, 0)),
        _shift("晚班", time(12, 30), time(21, 0)),
    )
    early = (early_user, _member(early_user, shifts[0], joined))
    late = (late_user, _member(late_user, shifts[1], joined))
    clock = DemoClock(today=street.today)
    _CLOCK[:] = [clock]
    days = [
        n
        for n in range(DIARY_DAYS + 1)
        if (street.today - timedelta(days=DIARY_DAYS - n)).weekday() != 6  # closed on Sundays
    ]
    stories = [_day_story(n, rng, early, late, shifts) for n in days]
    stories += [_task_story(spec, manager, [early_user, late_user]) for spec in TASKS]
    clock.run(stories)
    return (
        f"{WorkDiary.objects.count()} diary entries, "
        f"{len(days)} shift handovers, {Task.objects.count()} tasks"
    )


def diary_has_data() -> bool:
    return WorkDiary.objects.exists()


def finish(street: DemoStreet) -> None:
    build_diary_handovers_tasks(street)
