from datetime import date

import pytest
from django.utils import translation

from archives import services
from archives.models import UnitStatus
from config.history import history_entries
from config.roles import Role
from tests.factories.archives import OccupancyFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_history_lists_who_changed_which_field_from_what_to_what(make_user):
    clerk = make_user("clerk")
    unit = UnitFactory(code="G-1-01", status=UnitStatus.VACANT)
    unit.status = UnitStatus.CLOSED
    unit.business = "茶叶"
    unit._history_user = clerk
    unit.save()
    with translation.override("en"):
        newest, oldest = history_entries(unit)
    assert (newest.kind, newest.who) == ("changed", clerk)
    assert sorted(newest.changes) == [
        ("line of business", "—", "茶叶"),
        ("status", "Vacant", "Out of use"),
    ]
    assert (oldest.kind, oldest.changes) == ("created", [])


def test_history_names_related_records_and_reasons(make_user):
    clerk = make_user("clerk", Role.ASSISTANT)
    occupancy = OccupancyFactory()
    other = TenantFactory(name="新租户", last_verified_on=None)
    occupancy.tenant = other
    occupancy.save()
    with translation.override("en"):
        changes = history_entries(occupancy)[0].changes
    assert changes == [
        ("tenant", str(TenantFactory._meta.model.objects.exclude(pk=other.pk).get()), "新租户")
    ]

    services.tenant_mark_verified(tenant=other, by=clerk)
    with translation.override("en"):
        entry = history_entries(other)[0]
    assert entry.reason == "details verified, no change"
    assert {new for _label, _old, new in entry.changes} == {str(date.today()), "clerk"}
