"""Areas, meter readings, keys and the dates of the register: exact or refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from archives.models import Occupancy, Unit
from tests.factories.archives import TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db

AREA_RULE = (
    "Enter an area from 1.00 to 100000.00 m² in plain digits with at most two decimals, "
    "e.g. 85 or 85.50."
)


def today() -> date:
    return timezone.localdate()


def unit_post(area):
    return {"code": "B-2-15", "area": area, "status": "vacant", "business": "", "notes": ""}


@pytest.mark.parametrize(
    "area",
    ["1e3", "NaN", "Infinity", "88.505", "８８", "1,000", "+5", "0x10", " ", "0.99", "100000.01"],
)
def test_unit_area_refuses(assistant, client, area):
    client.force_login(assistant)
    response = client.post(reverse("archives:unit_create"), unit_post(area))
    assert response.status_code == 200
    assert response.context["form"].errors == {"area": [AREA_RULE]}
    assert Unit.objects.count() == 0


@pytest.mark.parametrize(
    ("area", "stored"), [("1", "1.00"), ("88.5", "88.50"), ("100000", "100000.00")]
)
def test_unit_area_is_kept_exactly(assistant, client, area, stored):
    client.force_login(assistant)
    assert client.post(reverse("archives:unit_create"), unit_post(area)).status_code == 302
    assert Unit.objects.get().area == Decimal(stored)


def move_in(client, tenant, **changes):
    data = {"unit": UnitFactory().code, "role": "lessee", "moved_in_on": today().isoformat()}
    data.update(changes)
    return client.post(reverse("archives:tenant_move_in", args=[tenant.pk]), data)


def test_move_in_at_most_a_year_ahead(assistant, client):
    tenant = TenantFactory()
    client.force_login(assistant)
    latest = today() + timedelta(days=366)
    refused = move_in(client, tenant, moved_in_on=(latest + timedelta(days=1)).isoformat())
    assert refused.context["form"].errors == {
        "moved_in_on": [f"Enter a date from 2000-01-01 to {latest}."]
    }
    assert Occupancy.objects.count() == 0
    assert move_in(client, tenant, moved_in_on=latest.isoformat()).status_code == 302


def test_a_lease_runs_at_most_twenty_years(assistant, client):
    tenant = TenantFactory()
    client.force_login(assistant)
    start = date(2025, 3, 10)
    refused = move_in(client, tenant, moved_in_on=start.isoformat(), lease_ends_on="2045-03-11")
    assert refused.context["form"].errors == {
        "lease_ends_on": ["Enter a date from 2025-03-10 to 2045-03-10."]
    }
    assert Occupancy.objects.count() == 0
    accepted = move_in(client, tenant, moved_in_on=start.isoformat(), lease_ends_on="2045-03-10")
    assert accepted.status_code == 302
    assert Occupancy.objects.get().lease_ends_on == date(2045, 3, 10)


def test_last_verified_not_in_the_future_nor_before_the_records(assistant, client, settings):
    settings.EARLIEST_RECORD_DATE = date(2010, 1, 1)
    tenant = TenantFactory(last_verified_on=date(2020, 6, 1))
    client.force_login(assistant)
    url = reverse("archives:tenant_update", args=[tenant.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    for day in (date(2009, 12, 31), today() + timedelta(days=1)):
        response = client.post(url, {**data, "last_verified_on": day.isoformat()})
        assert response.context["form"].errors == {
            "last_verified_on": [f"Enter a date from 2010-01-01 to {today()}."]
        }
    tenant.refresh_from_db()
    assert tenant.last_verified_on == date(2020, 6, 1)
