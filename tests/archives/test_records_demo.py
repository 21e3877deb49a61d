"""The demo's records of the centre (archives.demo.build_records): volumes, letters,
reports and two notices, some units not yet signed, all through the services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from archives.demo import RECORDS, build_records
from archives.models import CentreRecord, RecordKind, Volume
from archives.selectors.records import notice_deliveries
from config.demo import build_staff
from tests.factories.archives import OccupancyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_the_demo_files_records_and_leaves_units_unsigned():
    build_staff()
    for code in ("A-1-01", "A-1-02", "A-1-03", "A-1-04", "B-1-01", "B-1-02"):
        OccupancyFactory(unit=UnitFactory(code=code))
    today = timezone.localdate()
    assert build_records(today=today, seed=1) == len(RECORDS)
    assert CentreRecord.objects.count() == len(RECORDS)
    assert CentreRecord.objects.filter(volume__isnull=True).count() == 1
    last_year = Volume.objects.filter(year__lt=today.year)
    assert last_year.exists()
    assert all(volume.is_closed for volume in last_year)
    first, second = CentreRecord.objects.filter(kind=RecordKind.NOTICE).order_by("date")
    delivered = notice_deliveries(first)
    assert (len(delivered.signed), len(delivered.unsigned)) == (3, 3)
    delivered = notice_deliveries(second)
    assert [d.unit.code for d in delivered.signed + delivered.unsigned] == [
        "A-1-01",
        "A-1-02",
        "A-1-03",
        "A-1-04",
    ]
    assert len(delivered.signed) == 2
    assert all(d.signed_on <= today for d in delivered.signed)
    assert first.date == today - timedelta(days=20)
    assert isinstance(first.date, date)
