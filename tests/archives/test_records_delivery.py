"""A notice's delivery to units (签收): sent to every occupied unit, a block or the units
picked; the units not yet signed listed; each signature recorded by a role that may."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from archives.models import NoticeDelivery, RecordKind
from archives.services.records import delivery_sign, notice_send
from tests.factories.archives import (
    CentreRecordFactory,
    OccupancyFactory,
    TenantFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

NOTICE_DAY = date(2026, 3, 2)


@pytest.fixture
def street():
    """A-1-01, A-1-02 and B-1-01 occupied; A-1-03 vacant; A-1-04 handed over."""
    units = {
        code: UnitFactory(code=code) for code in ("A-1-01", "A-1-02", "A-1-03", "A-1-04", "B-1-01")
    }
    for code in ("A-1-01", "A-1-02", "B-1-01"):
        OccupancyFactory(
            unit=units[code], tenant=TenantFactory(name=f"{code}商户", contact_name=f"{code}店长")
        )
    OccupancyFactory(unit=units["A-1-04"], handed_over_on=date(2026, 1, 31))
    return units


@pytest.fixture
def notice():
    return CentreRecordFactory(kind=RecordKind.NOTICE, date=NOTICE_DAY, title="关于停水的通知")


def codes(deliveries):
    return [d.unit.code for d in deliveries]


def test_sent_to_every_occupied_unit_with_its_tenant(assistant, street, notice):
    from archives.selectors.records import occupied_units

    made = notice_send(notice=notice, units=occupied_units(), by=assistant)
    assert codes(made) == ["A-1-01", "A-1-02", "B-1-01"]
    assert [d.tenant.name for d in made] == ["A-1-01商户", "A-1-02商户", "B-1-01商户"]
    assert made[0].history.get().history_user == assistant


def test_sending_again_adds_only_the_units_not_sent_to(client_as, assistant, street, notice):
    client = client_as(assistant)
    url = reverse("archives:notice_send", args=[notice.pk])
    assert client.post(url, {"scope": "block", "block": "a"}).status_code == 302
    assert codes(NoticeDelivery.objects.order_by("unit__code")) == ["A-1-01", "A-1-02"]
    picked = [street["A-1-02"].pk, street["A-1-03"].pk]
    assert client.post(url, {"scope": "picked", "units": picked}).status_code == 302
    assert client.post(url, {"scope": "occupied"}).status_code == 302
    assert codes(NoticeDelivery.objects.order_by("unit__code")) == [
        "A-1-01",
        "A-1-02",
        "A-1-03",
        "B-1-01",
    ]
    # The vacant unit picked has no tenant noted.
    assert NoticeDelivery.objects.get(unit__code="A-1-03").tenant is None


def test_send_form_errors_are_next_to_their_fields(client_as, assistant, street, notice):
    client = client_as(assistant)
    url = reverse("archives:notice_send", args=[notice.pk])
    response = client.post(url, {"scope": "block", "block": "Z"})
    assert response.status_code == 400
    assert response.context["send_form"].errors == {"block": ["Block Z has no occupied unit."]}
    response = client.post(url, {"scope": "picked"})
    assert response.context["send_form"].errors == {"units": ["Pick at least one unit."]}
    assert not NoticeDelivery.objects.exists()


def test_only_a_notice_is_delivered(assistant, street):
    letter = CentreRecordFactory(kind=RecordKind.LETTER_OUT)
    with pytest.raises(ValidationError, match="Only a notice"):
        notice_send(notice=letter, units=[street["A-1-01"]], by=assistant)


def sent(notice, street, by):
    from archives.selectors.records import occupied_units

    notice_send(notice=notice, units=occupied_units(), by=by)
    return {d.unit.code: d for d in notice.deliveries.select_related("unit")}


def test_the_page_lists_signed_and_not_yet_signed_exactly(
    client_as, assistant, auditor, street, notice
):
    deliveries = sent(notice, street, assistant)
    delivery_sign(
        delivery=deliveries["A-1-02"], by=assistant, signed_by="王店长", signed_on=date(2026, 3, 3)
    )
    response = client_as(auditor).get(reverse("archives:notice_delivery", args=[notice.pk]))
    assert response.status_code == 200
    listed = response.context["deliveries"]
    assert codes(listed.signed) == ["A-1-02"]
    assert codes(listed.unsigned) == ["A-1-01", "B-1-01"]
    page = response.content.decode()
    assert "Sent to 3 units: 1 signed, 2 not yet signed." in page
    # The auditor reads; the sign buttons are the desk's.
    assert reverse("archives:delivery_sign", args=[deliveries["A-1-01"].pk]) not in page


def test_one_click_signed_records_who_and_when(client_as, assistant, street, notice):
    deliveries = sent(notice, street, assistant)
    delivery = deliveries["B-1-01"]
    client = client_as(assistant)
    page = client.get(reverse("archives:notice_delivery", args=[notice.pk]))
    form = next(d.sign_form for d in page.context["deliveries"].unsigned if d.pk == delivery.pk)
    assert form.initial["signed_by"] == "B-1-01店长"
    response = client.post(
        reverse("archives:delivery_sign", args=[delivery.pk]),
        {f"d{delivery.pk}-signed_by": "B-1-01店长", f"d{delivery.pk}-signed_on": "2026-03-04"},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.signed_by, delivery.signed_on, delivery.recorded_by) == (
        "B-1-01店长",
        date(2026, 3, 4),
        assistant,
    )
    assert delivery.history.latest().history_change_reason == "signed for"


def test_a_signature_is_refused_before_the_notice_or_twice(client_as, assistant, street, notice):
    deliveries = sent(notice, street, assistant)
    delivery = deliveries["A-1-01"]
    client = client_as(assistant)
    url = reverse("archives:delivery_sign", args=[delivery.pk])
    response = client.post(
        url, {f"d{delivery.pk}-signed_by": "李", f"d{delivery.pk}-signed_on": "2026-03-01"}
    )
    assert response.status_code == 400
    form = next(d.sign_form for d in response.context["deliveries"].unsigned if d.pk == delivery.pk)
    assert form.errors == {
        "signed_on": ["A signature cannot be dated before the notice (2026-03-02)."]
    }
    delivery_sign(delivery=delivery, by=assistant, signed_by="李", signed_on=NOTICE_DAY)
    with pytest.raises(ValidationError, match="signed for this notice on 2026-03-02 already"):
        delivery_sign(delivery=delivery, by=assistant, signed_by="张", signed_on=NOTICE_DAY)
    delivery.refresh_from_db()
    assert delivery.signed_by == "李"


@pytest.mark.parametrize("role", ["auditor", "finance", "department"])
def test_signing_by_a_role_without_permission_is_403(
    client_as, request, assistant, street, notice, role
):
    delivery = sent(notice, street, assistant)["A-1-01"]
    client = client_as(request.getfixturevalue(role))
    response = client.post(
        reverse("archives:delivery_sign", args=[delivery.pk]),
        {f"d{delivery.pk}-signed_by": "李", f"d{delivery.pk}-signed_on": "2026-03-03"},
    )
    assert response.status_code == 403
    send = client.post(reverse("archives:notice_send", args=[notice.pk]), {"scope": "occupied"})
    assert send.status_code == 403
    delivery.refresh_from_db()
    assert delivery.signed_on is None
    assert notice.deliveries.count() == 3
    with pytest.raises(PermissionDenied):
        delivery_sign(
            delivery=delivery,
            by=request.getfixturevalue(role),
            signed_by="李",
            signed_on=NOTICE_DAY,
        )


def test_the_notice_page_counts_its_signatures(client_as, manager, street, notice):
    deliveries = sent(notice, street, manager)
    delivery_sign(delivery=deliveries["A-1-01"], by=manager, signed_by="王", signed_on=NOTICE_DAY)
    page = client_as(manager).get(notice.get_absolute_url())
    assert "1 of 3 units signed for it." in page.content.decode()
