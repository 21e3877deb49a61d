"""Staff with logins, diary entries, handovers and tasks for the tests of the work diary,
the shift handover and the manager's tasks (attendance, issue #13)."""

from datetime import datetime, time
from decimal import Decimal

import pytest

from attendance.models import ItemKind, Shift, Staff
from attendance.services.diary import diary_write
from attendance.services.handovers import Counted, handover_draft, handover_submit
from attendance.services.tasks import task_give
from config.roles import Role
from tests.clock import SHANGHAI, fixed_clock
from tests.factories.fees import today
from tests.factories.people import UserFactory, staff


def day_shift() -> Shift:
    shift, _created = Shift.objects.get_or_create(
        name="早班", defaults={"starts_at": time(8, 30), "ends_at": time(17, 0)}
    )
    return shift


def late_shift() -> Shift:
    shift, _created = Shift.objects.get_or_create(
        name="晚班", defaults={"starts_at": time(13, 0), "ends_at": time(21, 0)}
    )
    return shift


def member(user, name: str = "") -> Staff:
    """The member of staff whose login ``user`` is (made once)."""
    found, _created = Staff.objects.get_or_create(
        user=user,
        defaults={
            "name": name or f"员工{user.pk}",
            "shift": day_shift(),
            "joined_on": today().replace(year=today().year - 1),
        },
    )
    return found


def desk(username: str = "", name: str = "") -> tuple:
    """An assistant's login and their member of staff."""
    user = (
        UserFactory(username=username, roles=[Role.ASSISTANT])
        if username
        else staff(Role.ASSISTANT)
    )
    return user, member(user, name)


def diary_of(user, day=None, shift=None, **fields):
    fields.setdefault("happened", "接待来访租户三人，办理出入证两张")
    return diary_write(by=user, shift=shift or day_shift(), date=day or today(), **fields)


COUNTED = [
    Counted(ItemKind.CASH_FLOAT, Decimal("500.00")),
    Counted(ItemKind.CABINET_KEYS, Decimal("3")),
    Counted(ItemKind.PERMIT_CARDS, Decimal("42")),
]


def handover_of(outgoing_user, incoming_staff, *, submit=False, matters=("A-1-05 漏水待回访",)):
    handover = handover_draft(
        by=outgoing_user,
        date=today(),
        shift=day_shift(),
        incoming=incoming_staff,
        counted=list(COUNTED),
        matters=list(matters),
        notes="",
    )
    if submit:
        handover = handover_submit(handover=handover, by=outgoing_user, notes="一切正常")
    return handover


def task_for(user, *, due_on=None, by=None, title="整理三楼档案柜"):
    return task_give(
        by=by or staff(Role.MANAGER), assigned_to=user, title=title, due_on=due_on or today()
    )


@pytest.fixture(name="clock")
def diary_clock(monkeypatch):
    """The services' clock, set by the test: Wednesday 2 December 2026, 09:00 to begin
    (import it into a test module to use it)."""
    return fixed_clock(monkeypatch, datetime(2026, 12, 2, 9, tzinfo=SHANGHAI))


def diary_street(desk_user, manager_user) -> dict[str, dict]:
    """URL arguments of the diary's, the handovers' and the tasks' pages, from real records:
    the desk's diary entry of today; the desk's draft handover to a colleague; a handover a
    colleague submitted to the desk, and one of its lines; a task the manager gave the desk."""
    member(desk_user, "李娜")
    colleague = UserFactory(username="desk-colleague", roles=[Role.ASSISTANT])
    other = member(colleague, "王芳")
    entry = diary_of(desk_user)
    draft = handover_of(desk_user, other)
    submitted = handover_of(colleague, member(desk_user), submit=True)
    task = task_for(desk_user, by=manager_user)
    return {
        "diary": {"pk": entry.pk},
        "handover": {"pk": draft.pk},
        "submitted_handover": {"pk": submitted.pk},
        "handover_item": {"pk": submitted.pk, "item_pk": submitted.items.first().pk},
        "task": {"pk": task.pk},
    }
