"""Attendance is kept (DESIGN.md: at least three years): its records, their amendments and
the signed months are permanent records, tried by every path of tests.permanence."""

from datetime import date, time

import pytest
from django.db import connection
from django.utils import timezone

from attendance.models import Amendment, AttendanceRecord, MonthSignoff
from config.permanence import history_model, permanent_models
from tests.factories.attendance import StaffFactory
from tests.factories.people import assistant, manager
from tests.permanence import (
    PermanenceProbes,
    expected_triggers,
    installed_triggers,
    row_fixtures,
)


def record() -> AttendanceRecord:
    return AttendanceRecord.objects.create(
        staff=StaffFactory(),
        day=date(2025, 3, 3),
        presence="present",
        planned_start=time(8, 30),
        planned_end=time(17),
        working_day=True,
        time_in=time(8, 30),
        time_out=time(17),
        recorded_by=assistant(),
        recorded_at=timezone.now(),
    )


def amendment() -> Amendment:
    return Amendment.objects.create(
        record=record(),
        reason="补登",
        before="√",
        after="旷",
        amended_by=assistant(),
        amended_at=timezone.now(),
    )


def signoff() -> MonthSignoff:
    return MonthSignoff.objects.create(
        year=2025, month=3, signed_by=manager(), signed_at=timezone.now()
    )


PERMANENT = {AttendanceRecord: record, Amendment: amendment, MonthSignoff: signoff}
row, historical_row = row_fixtures(PERMANENT)


class TestAttendanceRecords(PermanenceProbes):
    app_label, migration = "attendance", "0002_att_register"


def test_every_permanent_model_of_attendance_is_tried_here():
    assert {m for m in permanent_models() if m._meta.app_label == "attendance"} == set(PERMANENT)
    assert [m for m in PERMANENT if history_model(m) is not None] == [AttendanceRecord]


@pytest.mark.django_db
def test_every_table_of_attendance_has_its_triggers():
    assert installed_triggers() >= expected_triggers("attendance")
    assert len(expected_triggers("attendance")) == 4 * (
        3 if connection.vendor == "postgresql" else 2
    )
