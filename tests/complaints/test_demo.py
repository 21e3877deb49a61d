"""The demo street holds cases in every state, made through the services."""

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from complaints.enums import CaseStatus
from complaints.models import Callback, Case, CaseAction, Department
from tests.clock import SHANGHAI, fixed_clock

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 18, tzinfo=SHANGHAI)


def test_the_demo_has_cases_in_every_state(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fixed_clock(monkeypatch, NOW)
    call_command("demo_data", stdout=io.StringIO())
    counts = dict(Case.objects.values_list("status").annotate(n=Count("pk")))
    assert set(counts) == set(CaseStatus.values)
    assert sum(counts.values()) == 288
    assert Department.objects.count() == 4
    assert Callback.objects.filter(satisfaction__lte=2).count() == counts["reopened"]
    # Every case's timeline begins with its receipt, written by the desk.
    assert CaseAction.objects.filter(kind="received").count() == 288
    assert Case.objects.filter(received_at__date__gte=date(2026, 9, 1)).count() == 288
