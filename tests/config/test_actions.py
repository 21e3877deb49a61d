"""config.actions: every action view checks its form, calls one service, says what happened
and goes back to the record's page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from fees.selectors.days import day_get
from tests.factories.archives import TenantFactory
from tests.factories.finance import billed_charge

pytestmark = pytest.mark.django_db


def said(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_a_done_action_says_so_and_goes_back(assistant, client):
    tenant = TenantFactory(name="陈记茶行")
    client.force_login(assistant)
    response = client.post(reverse("archives:tenant_verify", args=[tenant.pk]))
    assert response["Location"] == tenant.get_absolute_url()
    assert said(response) == [("success", "陈记茶行's details marked verified today.")]


def test_a_refused_action_says_why_and_goes_back(assistant, client):
    charge = billed_charge(assistant, TenantFactory())
    client.force_login(assistant)
    url = reverse("fees:charge_cancel", args=[charge.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"reason": "duplicate"})
    response = client.post(url, {"reason": "again"})
    assert response["Location"] == charge.get_absolute_url()
    assert said(response) == [
        ("success", "The charge was cancelled."),  # not shown yet: no page came between
        ("error", "This charge was cancelled already."),
    ]


def test_an_invalid_form_is_reported_field_by_field_and_nothing_is_called(assistant, client):
    client.force_login(assistant)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("fees:day_count", args=[today]), {"cash_100": "-1"})
    assert response["Location"] == reverse("fees:day_detail", args=[today])
    assert said(response) == [
        ("error", "¥100 × count: Enter a whole number from 0 to 100000 in plain digits.")
    ]
    assert day_get(timezone.localdate()).pk is None


def test_an_action_may_name_its_own_message_for_an_invalid_form(finance, client):
    today = timezone.localdate()
    client.force_login(finance)
    response = client.post(reverse("fees:finance_month_lock", args=[today.year, today.month]))
    assert response["Location"] == reverse("fees:finance_month", args=[today.year, today.month])
    assert said(response) == [("error", "Tick the confirmation to lock the month.")]


def test_the_wrong_role_gets_403(manager, client):
    client.force_login(manager)
    today = timezone.localdate().isoformat()
    assert client.post(reverse("fees:day_count", args=[today]), {}).status_code == 403
