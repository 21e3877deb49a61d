"""The manager's tasks: only the manager gives them; only the assignee marks one done, with a
note; an open task stays on the assignee's home page, an overdue one on the manager's."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Task, TaskStatus
from attendance.panels import my_tasks_panel, overdue_tasks_panel
from attendance.services.tasks import task_complete
from config.roles import Role
from tests.factories.attendance_diary import diary_clock, task_for  # noqa: F401
from tests.factories.people import UserFactory, staff

pytestmark = pytest.mark.django_db


def test_the_manager_gives_a_task(clock):
    worker = staff(Role.ASSISTANT)
    task = task_for(worker, due_on=date(2026, 12, 4))
    assert (task.assigned_to, task.given_by, task.due_on, task.status) == (
        worker,
        staff(Role.MANAGER),
        date(2026, 12, 4),
        TaskStatus.OPEN,
    )


@pytest.mark.parametrize("role", [Role.ASSISTANT, Role.AUDITOR, Role.FINANCE, Role.DEPARTMENT])
def test_only_the_manager_gives_tasks(clock, role):
    with pytest.raises(PermissionDenied):
        task_for(staff(Role.ASSISTANT), by=staff(role))
    assert Task.objects.count() == 0


def test_a_task_is_not_due_in_the_past(clock):
    with pytest.raises(ValidationError) as refused:
        task_for(staff(Role.ASSISTANT), due_on=date(2026, 12, 1))
    assert refused.value.message_dict == {"due_on": ["A task is due today or later."]}


def test_only_the_assignee_marks_it_done_with_a_note(clock):
    worker = staff(Role.ASSISTANT)
    task = task_for(worker)
    for other in (staff(Role.MANAGER), UserFactory(username="desk-b", roles=[Role.ASSISTANT])):
        with pytest.raises(PermissionDenied):
            task_complete(task=task, by=other, note="完成")
    with pytest.raises(ValidationError) as no_note:
        task_complete(task=task, by=worker, note=" ")
    assert no_note.value.message_dict == {"note": ["Say what was done."]}
    clock.set(2026, 12, 2, 15)
    done = task_complete(task=task, by=worker, note="已整理完毕，共 12 盒")
    assert (done.status, done.done_note, done.done_at) == (
        TaskStatus.DONE,
        "已整理完毕，共 12 盒",
        clock.now,
    )
    with pytest.raises(ValidationError) as again:
        task_complete(task=task, by=worker, note="再次")
    assert again.value.messages == ["This task is done already."]


def test_the_assignee_of_any_role_completes_it_on_the_page(client, clock):
    worker = staff(Role.DEPARTMENT)
    task = task_for(worker)
    client.force_login(worker)
    assert client.get(reverse("attendance:task_detail", args=[task.pk])).status_code == 200
    response = client.post(reverse("attendance:task_complete", args=[task.pk]), {"note": "已完成"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_note) == (TaskStatus.DONE, "已完成")


def test_a_bad_post_changes_nothing(client, clock):
    worker = staff(Role.ASSISTANT)
    task = task_for(worker)
    client.force_login(worker)
    response = client.post(reverse("attendance:task_complete", args=[task.pk]), {"note": ""})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_somebody_else_is_refused_a_task_they_were_not_given(client, clock):
    task = task_for(staff(Role.ASSISTANT))
    client.force_login(staff(Role.FINANCE))
    assert client.get(reverse("attendance:task_detail", args=[task.pk])).status_code == 403
    complete = reverse("attendance:task_complete", args=[task.pk])
    assert client.post(complete, {"note": "x"}).status_code == 403
    client.force_login(staff(Role.MANAGER))  # reads it, does not complete it
    assert client.get(reverse("attendance:task_detail", args=[task.pk])).status_code == 200
    assert client.post(complete, {"note": "x"}).status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.MANAGER, 200), (Role.ASSISTANT, 403), (Role.AUDITOR, 403), (Role.FINANCE, 403)],
)
def test_only_the_manager_opens_the_task_form(client, clock, role, status):
    client.force_login(staff(role))
    assert client.get(reverse("attendance:task_create")).status_code == status


def test_the_manager_gives_one_through_the_page(client, clock):
    worker = staff(Role.ASSISTANT)
    client.force_login(staff(Role.MANAGER))
    response = client.post(
        reverse("attendance:task_create"),
        {"assigned_to": worker.pk, "title": "核对出入证库存", "due_on": "2026-12-03"},
    )
    task = Task.objects.get()
    assert response.status_code == 302
    assert (task.assigned_to, task.title, task.due_on) == (
        worker,
        "核对出入证库存",
        date(2026, 12, 3),
    )


def test_the_list_shows_ones_own_tasks_and_the_manager_every_task(client, clock):
    mine, theirs = staff(Role.ASSISTANT), staff(Role.FINANCE)
    task_for(mine, title="甲")
    task_for(theirs, title="乙")
    client.force_login(mine)
    listed = client.get(reverse("attendance:task_list")).context["table"].page.object_list
    assert [row.record.title for row in listed] == ["甲"]
    client.force_login(staff(Role.MANAGER))
    listed = client.get(reverse("attendance:task_list")).context["table"].page.object_list
    assert sorted(row.record.title for row in listed) == ["乙", "甲"]


def test_an_open_task_is_on_the_assignees_home_until_done(clock):
    worker = staff(Role.ASSISTANT)
    task = task_for(worker, due_on=date(2026, 12, 5))
    panel = my_tasks_panel(worker, date(2026, 12, 2))
    assert (panel.count, panel.items) == (
        1,
        [("整理三楼档案柜", task.get_absolute_url(), "2026-12-05")],
    )
    task_complete(task=task, by=worker, note="完成")
    assert my_tasks_panel(worker, date(2026, 12, 2)).count == 0


def test_overdue_tasks_are_on_the_managers_home(clock):
    worker = UserFactory(username="desk-c", first_name="芳", last_name="王", roles=[Role.ASSISTANT])
    late = task_for(worker, due_on=date(2026, 12, 2), title="交出入证台账")
    task_for(worker, due_on=date(2026, 12, 9), title="下周的事")
    panel = overdue_tasks_panel(staff(Role.MANAGER), date(2026, 12, 4))
    assert (panel.count, panel.items) == (
        1,
        [("交出入证台账 · 王芳", late.get_absolute_url(), "2026-12-02")],
    )
    mine = my_tasks_panel(worker, date(2026, 12, 4))
    assert mine.items[0][2] == "2026-12-02 · overdue"


def test_the_list_takes_as_many_queries_for_one_row_as_for_many(client, clock):
    worker = staff(Role.ASSISTANT)
    client.force_login(staff(Role.MANAGER))
    task_for(worker)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("attendance:task_list")).status_code == 200
    for n in range(12):
        task_for(UserFactory(username=f"person-{n}"), title=f"任务{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("attendance:task_list"))
    assert len(response.context["table"].page.object_list) == 13
    assert len(many) == len(one)
