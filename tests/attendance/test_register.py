"""The daily register: one submit records everyone, past days are amended with a reason
and kept in the history, a signed month is amended by the manager only."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from attendance.enums import LeaveKind, Presence
from attendance.models import Amendment, AttendanceRecord, MonthSignoff
from attendance.services.register import Entry, planned_entries, register_take
from config.permanence import RecordIsPermanent
from config.roles import Role
from tests.attendance.conftest import field, post_data
from tests.factories.attendance import StaffFactory
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 4, 7)  # a working day
SATURDAY = date(2025, 4, 12)


def url(day: date) -> str:
    return f"{reverse('attendance:register')}?day={day.isoformat()}"


def rows(day: date) -> list[tuple]:
    return list(
        AttendanceRecord.objects.filter(day=day)
        .order_by("staff__name")
        .values_list(
            "staff__name",
            "presence",
            "time_in",
            "time_out",
            "late_minutes",
            "early_minutes",
            "overtime_minutes",
        )
    )


def test_one_submit_registers_everyone_as_planned(client, clock, desk, three):
    client.force_login(desk)
    response = client.post(url(MONDAY), post_data(MONDAY))
    assert response.status_code == 302
    assert response.url == url(MONDAY)
    assert rows(MONDAY) == [
        ("张三", "present", time(8, 30), time(17, 0), 0, 0, 0),
        ("李四", "present", time(8, 30), time(17, 0), 0, 0, 0),
        ("王五", "present", time(12, 30), time(21, 0), 0, 0, 0),
    ]
    record = AttendanceRecord.objects.get(staff=three[0], day=MONDAY)
    assert (record.recorded_by, record.working_day, record.symbol) == (desk, True, "√")
    assert record.history.get().history_change_reason == "registered"


def test_late_early_and_overtime_are_counted_from_the_shift(clock, desk, three):
    zhang, li, wang = three
    register_take(
        by=desk,
        day=MONDAY,
        entries=[
            Entry(zhang.pk, Presence.PRESENT, "", time(8, 45), time(16, 30)),
            Entry(li.pk, Presence.PRESENT, "", time(8, 0), time(18, 15)),
            Entry(wang.pk, Presence.LEAVE, LeaveKind.SICK),
        ],
    )
    assert rows(MONDAY) == [
        ("张三", "present", time(8, 45), time(16, 30), 15, 30, 0),
        ("李四", "present", time(8, 0), time(18, 15), 0, 0, 105),
        ("王五", "leave", None, None, 0, 0, 0),
    ]
    symbols = [r.symbol for r in AttendanceRecord.objects.order_by("staff__name")]
    assert symbols == ["迟早", "√", "病"]


def test_a_rest_day_shows_rest_and_work_on_it_is_overtime(client, clock, desk, three):
    clock.set(2025, 4, 12, 18)
    client.force_login(desk)
    page = client.get(url(SATURDAY))
    assert page.context["register"].working is False
    zhang = three[0]
    changes = {
        field(zhang, "presence"): "present",
        field(zhang, "time_in"): "09:00",
        field(zhang, "time_out"): "15:30",
    }
    assert client.post(url(SATURDAY), post_data(SATURDAY, changes)).status_code == 302
    assert rows(SATURDAY) == [
        ("张三", "present", time(9, 0), time(15, 30), 0, 0, 390),
        ("李四", "rest", None, None, 0, 0, 0),
        ("王五", "rest", None, None, 0, 0, 0),
    ]


def test_a_change_on_the_day_itself_is_no_amendment(clock, desk, three):
    clock.set(2025, 4, 7, 9)
    register_take(by=desk, day=MONDAY, entries=planned_entries(MONDAY))
    entries = planned_entries(MONDAY)
    entries[0] = Entry(three[0].pk, Presence.ABSENT)
    done = register_take(by=desk, day=MONDAY, entries=entries)
    assert (done.created, done.changed) == (0, 1)
    assert Amendment.objects.count() == 0
    record = AttendanceRecord.objects.get(staff=three[0], day=MONDAY)
    assert record.presence == "absent"
    assert record.history.first().history_change_reason == "registered again"


def test_an_amendment_after_the_day_keeps_history_and_reason(clock, desk, three):
    register_take(by=desk, day=MONDAY, entries=planned_entries(MONDAY), today=MONDAY)
    entries = planned_entries(MONDAY)
    entries[1] = Entry(three[1].pk, Presence.LEAVE, LeaveKind.PERSONAL, note="家中有事")
    with pytest.raises(ValidationError) as refused:
        register_take(by=desk, day=MONDAY, entries=entries)
    assert refused.value.messages == ["The day is past: say why its attendance is amended."]
    assert AttendanceRecord.objects.get(staff=three[1], day=MONDAY).presence == "present"

    done = register_take(by=desk, day=MONDAY, entries=entries, reason="补请事假")
    assert (done.created, done.changed) == (0, 1)
    amendment = Amendment.objects.get()
    assert (amendment.before, amendment.after, amendment.reason, amendment.amended_by) == (
        "√ 08:30–17:00",
        "事 (家中有事)",
        "补请事假",
        desk,
    )
    record = amendment.record
    assert [h.history_change_reason for h in record.history.order_by("history_id")] == [
        "registered",
        "amended: 补请事假",
    ]
    assert [h.presence for h in record.history.order_by("history_id")] == ["present", "leave"]


def test_the_register_page_shows_the_amendments(client, clock, desk, three):
    register_take(by=desk, day=MONDAY, entries=planned_entries(MONDAY), today=MONDAY)
    client.force_login(desk)
    changes = {field(three[2], "presence"): "absent", field(three[2], "time_in"): ""}
    changes[field(three[2], "time_out")] = ""
    response = client.post(url(MONDAY), post_data(MONDAY, changes, reason="未到岗"))
    assert response.status_code == 302
    page = client.get(url(MONDAY))
    assert [
        (a.record.staff.name, a.after, a.reason) for a in page.context["register"].amendments
    ] == [("王五", "旷", "未到岗")]
    assert "未到岗" in page.content.decode()


def test_a_signed_month_is_amended_by_the_manager_only_with_a_reason(clock, desk, boss, three):
    day = date(2025, 3, 3)
    MonthSignoff.objects.create(year=2025, month=3, signed_by=boss, signed_at=clock.now)
    entries = [
        Entry(person.pk, Presence.PRESENT, "", person.shift.starts_at, person.shift.ends_at)
        for person in three
    ]
    with pytest.raises(ValidationError) as refused:
        register_take(by=desk, day=day, entries=entries, reason="补登")
    assert refused.value.messages == [
        "The manager has signed 2025-03: only the manager can amend its attendance now."
    ]
    with pytest.raises(ValidationError) as refused:
        register_take(by=boss, day=day, entries=entries)
    assert refused.value.messages == ["The month is signed: say why it is amended."]
    assert AttendanceRecord.objects.count() == 0
    done = register_take(by=boss, day=day, entries=entries, reason="补登")
    assert (done.created, done.changed) == (3, 0)
    entries[0] = Entry(three[0].pk, Presence.ABSENT)
    done = register_take(by=boss, day=day, entries=entries, reason="核实旷工")
    assert (done.changed, Amendment.objects.get().amended_by) == (1, boss)


def test_the_assistant_is_told_why_a_signed_month_is_refused(client, clock, desk, boss, three):
    day = date(2025, 3, 3)
    MonthSignoff.objects.create(year=2025, month=3, signed_by=boss, signed_at=clock.now)
    client.force_login(desk)
    response = client.post(url(day), post_data(day, reason="补登"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The manager has signed 2025-03: only the manager can amend its attendance now."
    ]
    assert AttendanceRecord.objects.count() == 0


def test_refusals(clock, desk, three):
    with pytest.raises(ValidationError) as refused:
        register_take(by=desk, day=date(2025, 4, 11), entries=planned_entries(MONDAY))
    assert refused.value.messages == ["A day to come cannot be registered yet."]
    gone = StaffFactory(name="赵六", left_on=date(2025, 3, 31))
    with pytest.raises(ValidationError) as refused:
        register_take(by=desk, day=MONDAY, entries=[Entry(gone.pk, Presence.REST)])
    assert refused.value.messages == ["Only the staff employed on the day are registered."]
    bad = [Entry(three[0].pk, Presence.LEAVE)]
    with pytest.raises(ValidationError) as refused:
        register_take(by=desk, day=MONDAY, entries=bad)
    assert refused.value.messages == ["张三: Say which kind of leave."]
    finance = UserFactory(roles=[Role.FINANCE])
    with pytest.raises(PermissionDenied):
        register_take(by=finance, day=MONDAY, entries=[])
    assert AttendanceRecord.objects.count() == 0


def test_a_record_is_never_deleted(clock, desk, three):
    register_take(by=desk, day=MONDAY, entries=planned_entries(MONDAY))
    record = AttendanceRecord.objects.first()
    with pytest.raises(RecordIsPermanent):
        record.delete()
    with pytest.raises(RecordIsPermanent):
        AttendanceRecord.objects.all().delete()
    assert AttendanceRecord.objects.count() == 3


def test_a_bad_post_shows_the_message_beside_the_field_and_writes_nothing(
    client, clock, desk, three
):
    client.force_login(desk)
    changes = {field(three[0], "presence"): "leave", field(three[0], "time_in"): ""}
    changes[field(three[0], "time_out")] = ""
    response = client.post(url(MONDAY), post_data(MONDAY, changes))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        field(three[0], "leave_kind"): ["Say which kind of leave."]
    }
    changes = {field(three[1], "time_out"): "08:00"}
    response = client.post(url(MONDAY), post_data(MONDAY, changes))
    assert response.context["form"].errors == {
        field(three[1], "time_out"): ["The time out must be after the time in."]
    }
    assert AttendanceRecord.objects.count() == 0


@pytest.mark.parametrize("role", [Role.FINANCE, Role.DEPARTMENT])
def test_roles_without_attendance_get_403(client, clock, three, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(url(MONDAY)).status_code == 403
    assert client.post(url(MONDAY), post_data(MONDAY)).status_code == 403


def test_the_auditor_reads_the_register_but_cannot_write(client, clock, three):
    client.force_login(UserFactory(roles=[Role.AUDITOR]))
    assert client.get(url(MONDAY)).status_code == 200
    assert client.post(url(MONDAY), post_data(MONDAY)).status_code == 403
    assert AttendanceRecord.objects.count() == 0


@pytest.mark.parametrize("count", [2, 20])
def test_the_register_page_takes_the_same_queries_for_2_and_20_staff(
    client, clock, desk, count, django_assert_num_queries
):
    StaffFactory.create_batch(count)
    register_take(by=desk, day=MONDAY, entries=planned_entries(MONDAY)[:1])
    client.force_login(desk)
    client.get(url(MONDAY))  # the session and the user's permissions are cached after
    with django_assert_num_queries(QUERIES):
        assert client.get(url(MONDAY)).status_code == 200


# The session, the user, their permissions (2), the staff, the day's records, its
# amendments, the month's signature, the user's roles (menu), the centre (header).
QUERIES = 10


def test_the_manager_amends_a_signed_month_on_the_page(client, clock, desk, boss, three):
    day = date(2025, 3, 3)
    register_take(by=desk, day=day, entries=planned_entries(day), today=day)
    MonthSignoff.objects.create(year=2025, month=3, signed_by=boss, signed_at=clock.now)
    changes = {
        field(three[0], "presence"): "leave",
        field(three[0], "leave_kind"): "trip",
        field(three[0], "time_in"): "",
        field(three[0], "time_out"): "",
    }
    client.force_login(desk)
    refused = client.post(url(day), post_data(day, changes, reason="出差补登"))
    assert refused.status_code == 200
    assert Amendment.objects.count() == 0
    client.force_login(boss)
    done = client.post(url(day), post_data(day, changes, reason="出差补登"))
    assert done.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.record.staff, amendment.after, amendment.amended_by) == (three[0], "差", boss)
