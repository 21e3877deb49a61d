"""Tenants' details verified every six months: the list of those due (never verified or
over six months ago), "verified, no change" in one click (date and who), and a correction
that records what changed and marks them verified."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from archives.models import Tenant
from archives.selectors import tenants_due_for_verification
from tests.factories.archives import TenantFactory

pytestmark = pytest.mark.django_db


def test_the_tenants_due_with_fixed_dates():
    never = TenantFactory(name="甲", last_verified_on=None)
    old = TenantFactory(name="乙", last_verified_on=date(2025, 12, 1))
    TenantFactory(name="丙", last_verified_on=date(2026, 3, 1))
    assert list(tenants_due_for_verification(date(2026, 6, 3))) == [never, old]
    assert list(tenants_due_for_verification(date(2026, 5, 1))) == [never]


def test_the_due_page_lists_them(assistant, client):
    never = TenantFactory(name="甲", last_verified_on=None)
    old = TenantFactory(name="乙", last_verified_on=date(2020, 1, 1))
    TenantFactory(name="丙", last_verified_on=timezone.localdate())
    client.force_login(assistant)
    page = client.get(reverse("archives:verification_due"))
    assert [t.pk for t in page.context["table"].page.object_list.data] == [never.pk, old.pk]


def test_verified_no_change_in_one_click(assistant, client):
    tenant = TenantFactory(last_verified_on=date(2020, 1, 1))
    client.force_login(assistant)
    done = client.post(reverse("archives:tenant_verify", args=[tenant.pk]), {"next": "due"})
    assert done.url == reverse("archives:verification_due")
    tenant.refresh_from_db()
    assert (tenant.last_verified_on, tenant.last_verified_by) == (timezone.localdate(), assistant)
    assert tenant.history.first().history_change_reason == "details verified, no change"


def test_a_correction_records_what_changed_and_marks_verified(assistant, client):
    tenant = TenantFactory(last_verified_on=date(2020, 1, 1), contact_name="王伟")
    client.force_login(assistant)
    url = reverse("archives:tenant_verify_edit", args=[tenant.pk])
    form = client.get(url).context["form"]
    assert "last_verified_on" not in form.fields
    data = {
        name: field.value() if field.value() is not None else ""
        for name, field in ((n, form[n]) for n in form.fields)
    }
    done = client.post(url, {**data, "contact_name": "李娜"})
    assert done.url == reverse("archives:verification_due")
    tenant.refresh_from_db()
    assert (tenant.contact_name, tenant.last_verified_on, tenant.last_verified_by) == (
        "李娜",
        timezone.localdate(),
        assistant,
    )
    latest = tenant.history.first()
    assert latest.history_change_reason == "details verified, corrected"
    changed = {c.field for c in latest.diff_against(latest.prev_record).changes}
    assert changed == {"contact_name", "last_verified_on", "last_verified_by"}


def test_a_bad_correction_changes_nothing(assistant, client):
    tenant = TenantFactory(last_verified_on=date(2020, 1, 1))
    client.force_login(assistant)
    url = reverse("archives:tenant_verify_edit", args=[tenant.pk])
    form = client.get(url).context["form"]
    data = {n: form[n].value() if form[n].value() is not None else "" for n in form.fields}
    page = client.post(url, {**data, "credit_code": "123"})
    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["credit_code"]
    assert Tenant.objects.get(pk=tenant.pk).last_verified_on == date(2020, 1, 1)


def test_a_reader_without_change_rights_cannot_verify(auditor, client):
    tenant = TenantFactory(last_verified_on=date(2020, 1, 1))
    client.force_login(auditor)
    assert client.post(reverse("archives:tenant_verify", args=[tenant.pk])).status_code == 403
    assert client.get(reverse("archives:tenant_verify_edit", args=[tenant.pk])).status_code == 403
    assert client.get(reverse("archives:verification_due")).status_code == 200
