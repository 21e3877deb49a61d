"""The manager keeps the staff and their shifts: pages, services, refusals, 403s."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from attendance.models import Shift, Staff
from attendance.services.register import planned_entries, register_take
from attendance.services.staff import shift_save, staff_leave, staff_save
from config.roles import Role
from tests.factories.attendance import ShiftFactory, StaffFactory
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db


def test_the_manager_adds_a_shift_and_a_member_of_staff(client, boss):
    client.force_login(boss)
    response = client.post(
        reverse("attendance:shift_create"),
        {"name": "中班", "starts_at": "10:00", "ends_at": "18:30", "active": "on"},
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert (shift.name, shift.starts_at, shift.ends_at, shift.active) == (
        "中班",
        time(10),
        time(18, 30),
        True,
    )
    login = UserFactory(username="xiaowang", roles=[Role.ASSISTANT])
    response = client.post(
        reverse("attendance:staff_create"),
        {
            "name": "王小明",
            "position": "客服专员",
            "shift": shift.pk,
            "joined_on": "2025-03-01",
            "user": login.pk,
        },
    )
    assert response.status_code == 302
    staff = Staff.objects.get()
    assert (staff.name, staff.shift, staff.joined_on, staff.user) == (
        "王小明",
        shift,
        date(2025, 3, 1),
        login,
    )
    assert staff.history.get().history_change_reason == "added"
    assert client.get(reverse("attendance:staff_list")).status_code == 200
    assert client.get(reverse("attendance:staff_update", args=[staff.pk])).status_code == 200


def test_a_shift_that_ends_before_it_starts_is_refused_beside_the_field(client, boss):
    client.force_login(boss)
    response = client.post(
        reverse("attendance:shift_create"),
        {"name": "夜班", "starts_at": "20:00", "ends_at": "06:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A shift ends after it starts, on the same day."
    ]
    assert Shift.objects.count() == 0


def test_a_login_belongs_to_one_member_of_staff(boss):
    login = UserFactory()
    StaffFactory(user=login)
    with pytest.raises(ValidationError) as refused:
        staff_save(
            by=boss, name="另一人", shift=ShiftFactory(), joined_on=date(2025, 1, 1), user=login
        )
    assert refused.value.messages == ["This login is another member of staff's."]


def test_a_member_of_staff_leaves_and_is_no_longer_registered(clock, boss, desk):
    zhang = StaffFactory(name="张三")
    li = StaffFactory(name="李四")
    staff_leave(by=boss, staff=zhang, left_on=date(2025, 4, 4))
    zhang.refresh_from_db()
    assert zhang.left_on == date(2025, 4, 4)
    assert [e.staff_id for e in planned_entries(date(2025, 4, 7))] == [li.pk]
    assert [e.staff_id for e in planned_entries(date(2025, 4, 3))] == [zhang.pk, li.pk]
    with pytest.raises(ValidationError) as refused:
        staff_leave(by=boss, staff=zhang, left_on=date(2025, 4, 5))
    assert refused.value.messages == ["张三 has already left."]


def test_leaving_before_recorded_attendance_is_refused(clock, boss, desk):
    zhang = StaffFactory(name="张三")
    register_take(by=desk, day=date(2025, 4, 7), entries=planned_entries(date(2025, 4, 7)))
    with pytest.raises(ValidationError) as refused:
        staff_leave(by=boss, staff=zhang, left_on=date(2025, 4, 4))
    assert refused.value.messages == ["张三 has attendance recorded after that day."]


def test_the_leave_page(client, clock, boss):
    zhang = StaffFactory(name="张三")
    client.force_login(boss)
    url = reverse("attendance:staff_leave", args=[zhang.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"left_on": "2025-04-09"}).status_code == 302
    assert Staff.objects.get().left_on == date(2025, 4, 9)


@pytest.mark.parametrize("role", [Role.ASSISTANT, Role.FINANCE, Role.AUDITOR, Role.DEPARTMENT])
def test_only_the_manager_keeps_staff_and_shifts(client, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    for name in ("staff_create", "shift_create"):
        assert client.get(reverse(f"attendance:{name}")).status_code == 403
        assert client.post(reverse(f"attendance:{name}"), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        shift_save(by=user, name="X", starts_at=time(8), ends_at=time(9))


@pytest.mark.parametrize("count", [1, 30])
def test_the_staff_list_takes_the_same_queries_for_1_and_30(
    client, boss, count, django_assert_num_queries
):
    StaffFactory.create_batch(count)
    client.force_login(boss)
    url = reverse("attendance:staff_list")
    client.get(url)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200


LIST_QUERIES = 9  # session, user, permissions, the count, the page of rows, the filter...
