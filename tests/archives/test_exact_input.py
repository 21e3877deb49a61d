"""Areas, meter readings, keys and the dates of the register: exact or refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from archives.models import Occupancy, Unit
from tests.factories.archives import OccupancyFactory, TenantFactory, UnitFactory

pytestmark = pytest.mark.django_db

AREA_RULE = (
    "Enter an area from 1.00 to 100000.00 m² in plain digits with at most two decimals, "
    "e.g. 85 or 85.50."
)
READING_RULE = (
    "Enter the meter reading from 0.00 to 99999999.99 in plain digits with at most two "
    "decimals, e.g. 10234.5."
)
KEYS_RULE = "Enter a whole number from 0 to 99 in plain digits."


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


def handover_post(**changes):
    data = {
        "handed_over_on": today().isoformat(),
        "keys_returned": "3",
        "electricity_reading": "10234.5",
        "water_reading": "512",
        "condition": "墙面完好",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"keys_returned": "３"}, "keys_returned", KEYS_RULE),
        ({"keys_returned": "1e1"}, "keys_returned", KEYS_RULE),
        ({"keys_returned": "100"}, "keys_returned", KEYS_RULE),
        ({"keys_returned": " "}, "keys_returned", KEYS_RULE),
        ({"electricity_reading": "1e3"}, "electricity_reading", READING_RULE),
        ({"electricity_reading": "-1"}, "electricity_reading", READING_RULE),
        ({"water_reading": "５１２"}, "water_reading", READING_RULE),
        ({"water_reading": "12.345"}, "water_reading", READING_RULE),
    ],
)
def test_shop_handover_figures_refuse(assistant, client, changes, field, message):
    occupancy = OccupancyFactory()
    client.force_login(assistant)
    url = reverse("archives:occupancy_hand_over", args=[occupancy.pk])
    response = client.post(url, handover_post(**changes))
    assert response.context["form"].errors == {field: [message]}
    occupancy.refresh_from_db()
    assert occupancy.handed_over_on is None


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_shop_handover_date_from_move_in_to_today(assistant, client, offset):
    moved_in = today() - timedelta(days=30)
    occupancy = OccupancyFactory(moved_in_on=moved_in)
    client.force_login(assistant)
    url = reverse("archives:occupancy_hand_over", args=[occupancy.pk])
    day = {-1: moved_in - timedelta(days=1), 0: moved_in, 1: today() + timedelta(days=1)}[offset]
    response = client.post(url, handover_post(handed_over_on=day.isoformat()))
    occupancy.refresh_from_db()
    if offset == 0:
        assert response.status_code == 302
        assert (occupancy.handed_over_on, occupancy.electricity_reading) == (
            moved_in,
            Decimal("10234.50"),
        )
    else:
        assert response.context["form"].errors == {
            "handed_over_on": [f"Enter a date from {moved_in} to {today()}."]
        }
        assert occupancy.handed_over_on is None


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
