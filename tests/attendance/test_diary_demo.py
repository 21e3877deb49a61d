"""The demo's diaries, handovers and tasks (attendance.demo), built through the services on
the demo's clock for the demo's users."""

from datetime import date

import pytest
from django.db.models import Count

from attendance.demo import build_diary_handovers_tasks
from attendance.models import HandoverState, ShiftHandover, Staff, Task, TaskStatus, WorkDiary
from config.demo import DemoStreet, build_staff

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)  # a Wednesday


def test_the_demo_has_three_months_of_diaries_handovers_and_tasks():
    build_staff()
    said = build_diary_handovers_tasks(DemoStreet(units=10, seed=2026, today=TODAY))
    days = 91 - 13  # 91 days back to today, without its 13 Sundays
    assert said == f"{2 * days} diary entries, {days} shift handovers, 8 tasks"
    assert WorkDiary.objects.count() == 2 * days
    assert WorkDiary.objects.order_by("date").first().date == date(2026, 9, 3)
    states = dict(ShiftHandover.objects.values_list("state").annotate(n=Count("pk")))
    assert states[HandoverState.SUBMITTED] == 1  # today's, waiting for the late shift
    assert states[HandoverState.DISPUTED] >= 3
    assert sum(states.values()) == days
    tasks = Task.objects.all()
    overdue = tasks.filter(status=TaskStatus.OPEN, due_on__lt=TODAY).count()
    open_later = tasks.filter(status=TaskStatus.OPEN, due_on__gte=TODAY).count()
    assert (tasks.filter(status=TaskStatus.DONE).count(), overdue, open_later) == (4, 2, 2)
    # The staff are linked to the demo's logins, once each.
    assert sorted(Staff.objects.values_list("name", flat=True)) == ["周婷", "李晓敏"]
