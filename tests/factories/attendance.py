"""Shifts, staff and a day's register, made through the services where they are written."""

from datetime import date, time

import factory

from attendance.models import Shift, Staff
from attendance.services.register import planned_entries, register_take
from tests.factories.people import assistant


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift
        django_get_or_create = ("name",)

    name = "早班"
    starts_at = time(8, 30)
    ends_at = time(17, 0)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    name = factory.Sequence(lambda n: f"员工{n:03d}")
    position = "客服专员"
    shift = factory.SubFactory(ShiftFactory)
    joined_on = date(2024, 1, 1)


def late_shift() -> Shift:
    return ShiftFactory(name="晚班", starts_at=time(12, 30), ends_at=time(21, 0))


def register_as_planned(day: date, *, by=None, today: date | None = None):
    """Everyone employed on ``day`` registered as planned (one submit)."""
    return register_take(
        by=by or assistant(), day=day, entries=planned_entries(day), today=today or day
    )
