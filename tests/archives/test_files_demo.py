"""The demo's life of the tenant files (archives.demo): files closed long ago, the
engineering department's requests (one approved, one waiting), loans (two overdue, one
returned damaged), last month's completed inventory check, a hold and a destruction list
awaiting approval, all made through the services on the demo's clock."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count
from django.utils import timezone

from archives.demo import (
    build_file_life,
    build_files,
    build_old_files,
    build_register,
)
from archives.models import (
    AccessRequest,
    DestructionList,
    Document,
    Hold,
    InventoryItem,
    InventoryRun,
    ListState,
    Loan,
)
from archives.selectors import overdue_loans
from config.demo import DemoClock, build_staff

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 18, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_demo_files_have_their_life(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    users = build_staff()
    build_register(units=30, tenants=38, contractors=0, seed=5, today=TODAY, history=False)
    assert build_files(count=12, gaps=3, scans=1, seed=5) == 12
    old = build_old_files(today=TODAY, seed=5)
    said = build_file_life(clock=DemoClock(today=TODAY), old_files=old)

    assert [f.closed_on for f in old] == [date(1994, 6, 30), date(1993, 6, 30)]
    assert Document.objects.exclude(scan="").count() == 2
    # The department's requests: one approved (accompanied by the desk), one waiting.
    asked = {r.status: r for r in AccessRequest.objects.all()}
    assert set(asked) == {"approved", "pending"}
    approved = asked["approved"]
    assert (approved.requested_by, approved.decided_by, approved.accompanied_by) == (
        users["engineering"],
        users["manager"],
        users["assistant"],
    )
    assert (approved.starts_on, approved.ends_on) == (date(2026, 11, 28), date(2026, 12, 4))
    assert timezone.localdate(approved.requested_at) == date(2026, 11, 27)
    assert timezone.localdate(asked["pending"].requested_at) == date(2026, 11, 29)
    assert approved.reads.count() == 1
    # Loans: two overdue, one running, one returned damaged.
    assert [loan.due_on for loan in overdue_loans(TODAY)] == [
        date(2026, 11, 4),
        date(2026, 11, 17),
    ]
    returned = Loan.objects.get(returned_on__isnull=False)
    assert (returned.returned_on, returned.condition, returned.condition_note) == (
        date(2026, 11, 18),
        "damaged",
        "第2页有水渍",
    )
    assert Loan.objects.filter(returned_on__isnull=True).count() == 3
    # Last month's inventory check, completed with its scans re-read; one box damaged.
    run = InventoryRun.objects.get()
    assert (run.year, run.month, run.state, run.scans_checked) == (2026, 10, "completed", 2)
    marks = dict(InventoryItem.objects.values_list("mark").annotate(n=Count("pk")))
    assert marks == {"present": 13, "damaged": 1}
    # A hold keeps one old document off the destruction list, which awaits approval.
    hold = Hold.objects.get()
    drawn = DestructionList.objects.get()
    assert drawn.state == ListState.DRAWN
    assert drawn.review_due == date(2026, 12, 13)
    listed = set(drawn.items.values_list("document_id", flat=True))
    old_documents = set(Document.objects.filter(file__in=old).values_list("pk", flat=True))
    assert listed == old_documents - {hold.document_id}
    assert len(listed) == 13
    assert said.endswith("a hold and a destruction list of 13 lines awaiting approval")
