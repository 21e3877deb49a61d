from datetime import date, datetime, time

import pytest

from attendance.enums import Presence
from attendance.forms.register import RegisterForm
from attendance.selectors.register import register_day
from config.roles import Role
from tests.clock import SHANGHAI, fixed_clock
from tests.factories.attendance import ShiftFactory, StaffFactory, late_shift
from tests.factories.people import UserFactory

# Thursday 10 April 2025, 10:00: March 2025 (21 working days, no holiday) is over.
NOW = datetime(2025, 4, 10, 10, tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch):
    return fixed_clock(monkeypatch, NOW)


@pytest.fixture
def desk(db):
    return UserFactory(username="desk", first_name="小王", roles=[Role.ASSISTANT])


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", first_name="李经理", roles=[Role.MANAGER])


@pytest.fixture
def three(db):
    """Two on the early shift (08:30–17:00), one on the late shift (12:30–21:00)."""
    early = ShiftFactory()
    return [
        StaffFactory(name="张三", shift=early),
        StaffFactory(name="李四", shift=early),
        StaffFactory(name="王五", shift=late_shift()),
    ]


def post_data(day: date, changes: dict | None = None, reason: str = "") -> dict:
    """The register's form as a browser posts it untouched, with ``changes`` by field name
    (``s<pk>-presence`` ...)."""
    form = RegisterForm(register=register_day(day))
    data = {}
    for name in form.fields:
        value = form.initial.get(name, "")
        if isinstance(value, time):
            value = value.strftime("%H:%M")
        data[name] = "" if value is None else str(value)
    data["reason"] = reason
    data.update(changes or {})
    return data


def field(staff, name: str) -> str:
    return f"s{staff.pk}-{name}"


PRESENT = Presence.PRESENT
