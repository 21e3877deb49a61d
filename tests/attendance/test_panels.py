"""The home panels: the desk's register of today not yet taken, the manager's months to sign."""

from datetime import date

import pytest
from django.urls import reverse

from attendance.panels import months_panel, register_panel
from attendance.services.months import month_sign
from attendance.services.register import planned_entries, register_take
from tests.attendance.test_months import TODAY, build_march

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 4, 7)


def test_the_desk_sees_who_is_not_yet_registered_today(clock, desk, three):
    url = f"{reverse('attendance:register')}?day=2025-04-07"
    panel = register_panel(desk, MONDAY)
    assert (panel.count, panel.items) == (
        3,
        [("3 of the staff not yet registered today", url, "04-07")],
    )
    register_take(by=desk, day=MONDAY, entries=planned_entries(MONDAY)[:2], today=MONDAY)
    assert register_panel(desk, MONDAY).count == 1
    register_take(by=desk, day=MONDAY, entries=planned_entries(MONDAY)[2:], today=MONDAY)
    assert (register_panel(desk, MONDAY).count, register_panel(desk, MONDAY).items) == (0, [])
    assert register_panel(desk, date(2025, 4, 12)).count == 0  # a Saturday


def test_the_manager_sees_the_months_to_sign(clock, desk, boss):
    build_march(desk)
    panel = months_panel(boss, TODAY)
    assert (panel.count, panel.items) == (
        1,
        [("2025-03", reverse("attendance:month_sheet", args=[2025, 3]), "62 records")],
    )
    month_sign(by=boss, year=2025, month=3, today=TODAY)
    assert (months_panel(boss, TODAY).count, months_panel(boss, TODAY).items) == (0, [])
