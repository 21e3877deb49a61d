"""The work diary: one entry per person, shift and date; only the writer changes it, after
its day with a reason the history keeps; the list filters by person and dates in a fixed
number of queries."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import WorkDiary
from attendance.services.diary import diary_change
from config.roles import Role
from tests.factories.attendance_diary import (  # noqa: F401 (the clock fixture)
    day_shift,
    desk,
    diary_clock,
    diary_of,
    late_shift,
    member,
)
from tests.factories.people import staff

pytestmark = pytest.mark.django_db


def test_one_entry_per_person_shift_and_date(clock):
    user, person = desk("desk-a", "李娜")
    entry = diary_of(user, visitors="A-1-05 租户", calls="工程部来电")
    assert (entry.staff, entry.shift, entry.date) == (person, day_shift(), date(2026, 12, 2))
    assert entry.written_by == user
    with pytest.raises(ValidationError) as again:
        diary_of(user)
    assert again.value.messages == [
        "李娜 already wrote the diary of 早班 on 2026-12-02: change that entry."
    ]
    other_shift = diary_of(user, shift=late_shift())
    assert other_shift.pk != entry.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkDiary.objects.create(
            staff=person,
            shift=day_shift(),
            date=date(2026, 12, 2),
            happened="重复",
            written_by=user,
            written_at=entry.written_at,
            changed_at=entry.written_at,
        )
    assert WorkDiary.objects.count() == 2


def test_nothing_written_for_a_day_to_come_or_without_text(clock):
    user, _person = desk("desk-a", "李娜")
    with pytest.raises(ValidationError) as ahead:
        diary_of(user, day=date(2026, 12, 3))
    assert ahead.value.message_dict == {"date": ["A diary is written on the day or after it."]}
    with pytest.raises(ValidationError) as empty:
        diary_of(user, happened="   ")
    assert empty.value.message_dict == {"happened": ["Say what happened on the shift."]}
    assert WorkDiary.objects.count() == 0


def test_the_writer_changes_the_entry_that_day_and_later_with_a_reason(clock):
    user, _person = desk("desk-a", "李娜")
    entry = diary_of(user)
    diary_change(entry=entry, by=user, happened="接待来访租户四人", unusual="停电十分钟")
    entry.refresh_from_db()
    assert (entry.happened, entry.unusual) == ("接待来访租户四人", "停电十分钟")
    clock.set(2026, 12, 3, 9)
    with pytest.raises(ValidationError) as no_reason:
        diary_change(entry=entry, by=user, happened="补记")
    assert no_reason.value.message_dict == {
        "reason": ["Say why the entry of a past day is changed."]
    }
    diary_change(entry=entry, by=user, happened="补记：接待五人", reason="漏记一位访客")
    reasons = list(
        entry.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", "happened"
        )
    )
    assert reasons == [
        ("Diary written", "接待来访租户三人，办理出入证两张"),
        ("Diary changed", "接待来访租户四人"),
        ("Changed after its day: 漏记一位访客", "补记：接待五人"),
    ]


def test_nobody_else_changes_an_entry(clock):
    user, _person = desk("desk-a", "李娜")
    entry = diary_of(user)
    other, _other = desk("desk-b", "王芳")
    with pytest.raises(PermissionDenied):
        diary_change(entry=entry, by=other, happened="改写")
    entry.refresh_from_db()
    assert entry.happened == "接待来访租户三人，办理出入证两张"


def test_a_login_without_staff_cannot_write(clock):
    with pytest.raises(ValidationError) as refused:
        diary_of(staff(Role.ASSISTANT))
    assert refused.value.messages == ["Your login is not linked to a member of staff."]


def test_the_manager_does_not_write_the_diary(clock):
    manager = staff(Role.MANAGER)
    member(manager, "刘经理")
    with pytest.raises(PermissionDenied):
        diary_of(manager)


# --- pages ------------------------------------------------------------------------------


def test_the_writer_writes_through_the_page(client, clock):
    user, person = desk("desk-a", "李娜")
    client.force_login(user)
    response = client.post(
        reverse("attendance:diary_create"),
        {"date": "2026-12-02", "shift": day_shift().pk, "happened": "办理出入证三张"},
    )
    entry = WorkDiary.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:diary_detail", args=[entry.pk])
    assert (entry.staff, entry.happened) == (person, "办理出入证三张")


def test_a_bad_post_shows_the_field_and_writes_nothing(client, clock):
    user, _person = desk("desk-a", "李娜")
    client.force_login(user)
    response = client.post(
        reverse("attendance:diary_create"), {"date": "2026-12-02", "shift": day_shift().pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"happened": ["This field is required."]}
    assert WorkDiary.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        (Role.ASSISTANT, 200, 200),
        (Role.MANAGER, 200, 403),
        (Role.AUDITOR, 200, 403),
        (Role.FINANCE, 403, 403),
        (Role.DEPARTMENT, 403, 403),
    ],
)
def test_who_reads_and_writes_the_diary(client, clock, role, list_status, create_status):
    client.force_login(staff(role))
    assert client.get(reverse("attendance:diary_list")).status_code == list_status
    assert client.get(reverse("attendance:diary_create")).status_code == create_status


def test_another_assistant_may_not_open_the_change_page(client, clock):
    user, _person = desk("desk-a", "李娜")
    entry = diary_of(user)
    other, _other = desk("desk-b", "王芳")
    client.force_login(other)
    assert client.get(reverse("attendance:diary_update", args=[entry.pk])).status_code == 403


def test_the_list_filters_by_person_and_dates(client, clock):
    user, person = desk("desk-a", "李娜")
    other, _other = desk("desk-b", "王芳")
    diary_of(user, day=date(2026, 11, 30))
    diary_of(user, day=date(2026, 12, 1))
    diary_of(other, day=date(2026, 12, 1))
    client.force_login(staff(Role.MANAGER))
    response = client.get(
        reverse("attendance:diary_list"),
        {"staff": person.pk, "date_from": "2026-12-01", "date_to": "2026-12-02"},
    )
    rows = [
        (r.record.staff.name, r.record.date) for r in response.context["table"].page.object_list
    ]
    assert rows == [("李娜", date(2026, 12, 1))]


def test_the_list_takes_as_many_queries_for_one_row_as_for_many(client, clock):
    user, _person = desk("desk-a", "李娜")
    reader = staff(Role.MANAGER)
    client.force_login(reader)
    diary_of(user, day=date(2026, 11, 1))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("attendance:diary_list")).status_code == 200
    for day in range(2, 20):
        diary_of(user, day=date(2026, 11, day))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("attendance:diary_list"))
    assert len(response.context["table"].page.object_list) == 19
    assert len(many) == len(one)
