"""Callbacks (回访): recorded on a resolved case; 1–2 reopens it to its department."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.enums import CaseStatus
from complaints.models import Callback, Case, CaseAction
from complaints.services.callbacks import callback_record
from complaints.services.cases import case_close
from tests.complaints.conftest import SHANGHAI
from tests.factories.complaints import case_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("score", [1, 2])
def test_an_unsatisfied_callback_reopens_the_case_to_its_department(clock, assistant, score):
    case = case_in(CaseStatus.RESOLVED)
    clock.set(2026, 12, 1, 10)
    callback_record(
        by=assistant,
        case=case,
        called_on=date(2026, 12, 1),
        method="phone",
        satisfaction=score,
        comment="还是漏水",
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.department.code, case.resolved_by) == (
        "reopened",
        "engineering",
        None,
    )
    # Due anew from the reopening: normal, 24 business hours.
    assert case.due_at == datetime(2026, 12, 3, 16, tzinfo=SHANGHAI)
    assert list(CaseAction.objects.filter(case=case).values_list("kind", flat=True))[-2:] == [
        "callback",
        "reopened",
    ]


def test_a_satisfied_callback_lets_the_manager_close(clock, assistant, manager):
    case = case_in(CaseStatus.RESOLVED)
    callback = callback_record(
        by=assistant, case=case, called_on=date(2026, 11, 30), method="in_person", satisfaction=4
    )
    assert (callback.satisfied, Case.objects.get(pk=case.pk).status) == (True, "resolved")
    assert case_close(by=manager, case=case).status == "closed"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"satisfaction": 6}, "satisfaction", "from 1 to 5"),
        ({"satisfaction": 0}, "satisfaction", "from 1 to 5"),
        ({"method": "fax"}, "method", "Say how"),
        ({"called_on": date(2026, 11, 29)}, "called_on", "between the day it was resolved"),
        ({"called_on": date(2026, 12, 1)}, "called_on", "between the day it was resolved"),
        ({"satisfaction": 2, "comment": ""}, "comment", "Say what is still wrong"),
    ],
)
def test_a_callback_refused(clock, assistant, fields, field, message):
    case = case_in(CaseStatus.RESOLVED)
    data = {"called_on": date(2026, 11, 30), "method": "phone", "satisfaction": 3} | fields
    with pytest.raises(ValidationError) as refused:
        callback_record(by=assistant, case=case, **data)
    assert (refused.value.field, message in refused.value.messages[0]) == (field, True)
    assert Callback.objects.count() == 0


@pytest.mark.parametrize(
    "status", ["new", "assigned", "in_progress", "waiting", "closed", "reopened"]
)
def test_only_a_resolved_case_is_called_back(clock, assistant, status):
    case = case_in(status)
    with pytest.raises(ValidationError, match="on a resolved case"):
        callback_record(
            by=assistant, case=case, called_on=date(2026, 11, 30), method="phone", satisfaction=5
        )


def test_a_department_does_not_record_callbacks(clock, department):
    case = case_in(CaseStatus.RESOLVED)
    with pytest.raises(PermissionDenied):
        callback_record(
            by=department, case=case, called_on=date(2026, 11, 30), method="phone", satisfaction=5
        )
