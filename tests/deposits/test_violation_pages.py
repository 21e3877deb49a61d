"""The pages of violations: the list, recording one (against a tenant, a unit or a
decoration; its evidence photo; a penalty billed as a charge), its page with the resolve
form, and the photo's download. Refused input writes nothing."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from archives.models import AccessLog
from deposits.enums import ApplicationStatus
from deposits.models import Violation, ViolationPhoto
from fees.models import Charge
from tests.factories.archives import OccupancyFactory
from tests.factories.deposits import DecorationApplicationFactory, ViolationFactory, png_upload
from tests.factories.fees import today
from tests.pages import field_errors, messages_of

pytestmark = pytest.mark.django_db
D = Decimal
READERS = ["assistant", "manager", "finance", "auditor"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- the list -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_the_list_opens_for_every_reader(login, role):
    violation = ViolationFactory()
    page = login(role).get(reverse("deposits:violation_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert violation.get_absolute_url() in html
    assert "¥200.00" in html


def test_the_list_is_refused_to_a_department(login):
    assert login("department").get(reverse("deposits:violation_list")).status_code == 403


def test_the_list_costs_the_same_queries_for_one_and_three_rows(assistant, flat_queries):
    flat_queries(reverse("deposits:violation_list"), ViolationFactory, queries=8, user=assistant)


def test_the_list_filters_open_and_resolved_and_by_unit(client, assistant):
    from deposits.services.violations import violation_resolve

    open_one = ViolationFactory(penalty=None)
    resolved = violation_resolve(
        by=assistant, violation=ViolationFactory(penalty=None), resolution="已整改"
    )
    client.force_login(assistant)
    url = reverse("deposits:violation_list")

    def shown(**query):
        return [row.record.pk for row in client.get(url, query).context["table"].page.object_list]

    assert shown(state="open") == [open_one.pk]
    assert shown(state="resolved") == [resolved.pk]
    assert shown(unit=open_one.unit.code) == [open_one.pk]
    assert shown(tenant=resolved.tenant.name) == [resolved.pk]
    day = today().isoformat()
    assert sorted(shown(occurred_from=day, occurred_to=day)) == sorted([open_one.pk, resolved.pk])


# --- recording ----------------------------------------------------------------------------


def test_the_desk_records_a_violation_of_a_tenant_with_evidence_and_a_penalty(
    client, assistant, media
):
    occupancy = OccupancyFactory()
    client.force_login(assistant)
    response = client.post(
        reverse("deposits:violation_create"),
        {
            "tenant": f"{occupancy.tenant.name} #{occupancy.tenant.pk}",
            "unit": occupancy.unit.code.lower(),
            "occurred_on": today().isoformat(),
            "description": "占用公共通道堆放材料",
            "photo": png_upload("../evidence.png"),
            "penalty": "500.00",
        },
    )
    violation = Violation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == violation.get_absolute_url()
    assert (violation.tenant, violation.unit, violation.application) == (
        occupancy.tenant,
        occupancy.unit,
        None,
    )
    charge = Charge.objects.get()
    assert (violation.penalty, charge.amount, charge.tenant) == (
        charge,
        D("500.00"),
        occupancy.tenant,
    )
    photo = ViolationPhoto.objects.get()
    stored = (media / photo.file.name).read_bytes()
    assert photo.sha256 == hashlib.sha256(stored).hexdigest()
    assert photo.file.name.startswith("deposits/photos/") and photo.file.name.endswith(".jpg")
    page = client.get(response["Location"])
    assert messages_of(page) == [
        f"Violation recorded. A penalty of ¥500.00 is billed to {occupancy.tenant.name}."
    ]
    assert reverse("deposits:violation_photo", args=[photo.pk]) in page.content.decode()


def test_a_violation_of_a_decoration_concerns_its_tenant_and_unit(client, assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    client.force_login(assistant)
    form = client.get(reverse("deposits:violation_create"), {"application": application.number})
    assert form.context["form"].initial["application"] == application.number
    client.post(
        reverse("deposits:violation_create"),
        {
            "application": application.number,
            "occurred_on": today().isoformat(),
            "description": "夜间施工噪音",
        },
    )
    violation = Violation.objects.get()
    assert (violation.application, violation.tenant, violation.unit, violation.penalty) == (
        application,
        application.tenant,
        application.unit,
        None,
    )
    page = client.get(application.get_absolute_url()).content.decode()
    assert violation.get_absolute_url() in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "tenant", "Say whom the violation is against."),
        ({"unit": "Z-9-99"}, "unit", "There is no unit Z-9-99 in the register."),
        (
            {"application": "D1999-0001"},
            "application",
            "There is no decoration application D1999-0001.",
        ),
        (
            {"tenant": "TENANT", "penalty": "1e3"},
            "penalty",
            "Enter an amount from 0.01 to 1000000.00 yuan in plain digits with at most two "
            "decimals, e.g. 35 or 35.50 (no commas).",
        ),
        (
            {"unit": "UNIT", "penalty": "100"},
            "tenant",
            "A penalty is billed to a tenant: name the tenant.",
        ),
        ({"tenant": "TENANT", "description": "  "}, "description", "This field is required."),
        ({"tenant": "TENANT", "days_ago": 91}, "occurred_on", None),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(
    client, assistant, data, field, message
):
    occupancy = OccupancyFactory()
    data = dict(data)
    if data.get("tenant") == "TENANT":
        data["tenant"] = f"{occupancy.tenant.name} #{occupancy.tenant.pk}"
    if data.get("unit") == "UNIT":
        data["unit"] = occupancy.unit.code
    days_ago = data.pop("days_ago", 0)
    post = {
        "occurred_on": (today() - timedelta(days=days_ago)).isoformat(),
        "description": "乱扔垃圾",
        **data,
    }
    client.force_login(assistant)
    response = client.post(reverse("deposits:violation_create"), post)
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert len(errors) == 1
    if message is not None:
        assert errors == [message]
    assert (Violation.objects.count(), Charge.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\x00" * 40, "The file is not a JPEG or PNG image."),
        (
            b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>",
            "The file is not a JPEG or PNG image.",
        ),
    ],
)
def test_a_fake_evidence_photo_is_refused_and_no_penalty_is_billed(
    client, assistant, media, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    occupancy = OccupancyFactory()
    client.force_login(assistant)
    response = client.post(
        reverse("deposits:violation_create"),
        {
            "tenant": f"{occupancy.tenant.name} #{occupancy.tenant.pk}",
            "occurred_on": today().isoformat(),
            "description": "乱扔垃圾",
            "penalty": "100",
            "photo": SimpleUploadedFile("evidence.png", content, content_type="image/png"),
        },
    )
    assert field_errors(response, "photo") == [message]
    assert (Violation.objects.count(), Charge.objects.count(), ViolationPhoto.objects.count()) == (
        0,
        0,
        0,
    )


def test_an_oversized_evidence_photo_is_refused(client, assistant, settings):
    settings.UPLOAD_MAX_BYTES = 200
    occupancy = OccupancyFactory()
    client.force_login(assistant)
    response = client.post(
        reverse("deposits:violation_create"),
        {
            "tenant": f"{occupancy.tenant.name} #{occupancy.tenant.pk}",
            "occurred_on": today().isoformat(),
            "description": "乱扔垃圾",
            "photo": png_upload(size=(300, 300), colour=(10, 200, 30, 255)),
        },
    )
    [error] = field_errors(response, "photo")
    assert error.endswith("at most 200\xa0bytes is accepted.")
    assert Violation.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "finance", "auditor", "department"])
def test_only_the_desk_records(login, role):
    occupancy = OccupancyFactory()
    client = login(role)
    assert client.get(reverse("deposits:violation_create")).status_code == 403
    response = client.post(
        reverse("deposits:violation_create"),
        {
            "tenant": f"{occupancy.tenant.name} #{occupancy.tenant.pk}",
            "occurred_on": today().isoformat(),
            "description": "x",
        },
    )
    assert response.status_code == 403
    assert Violation.objects.count() == 0


# --- the violation's page -----------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_the_page_opens_for_every_reader(login, role):
    violation = ViolationFactory()
    page = login(role).get(violation.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert violation.application.number in html and "¥200.00" in html
    assert page.context["can_resolve"] is (role == "assistant")
    assert ('id="resolve-form"' in html) is (role == "assistant")


def test_a_resolution_is_recorded_once(login, assistant):
    violation = ViolationFactory()
    client = login("assistant")
    url = reverse("deposits:violation_resolve", args=[violation.pk])
    response = client.post(url, {"resolution": "已恢复通道并书面检讨"})
    assert response.status_code == 302
    assert messages_of(client.get(response["Location"])) == ["The violation is resolved."]
    violation.refresh_from_db()
    assert (violation.resolution, violation.resolved_on, violation.resolved_by) == (
        "已恢复通道并书面检讨",
        today(),
        assistant,
    )
    again = client.post(url, {"resolution": "改写"})
    assert messages_of(client.get(again["Location"])) == ["This violation was resolved already."]
    violation.refresh_from_db()
    assert violation.resolution == "已恢复通道并书面检讨"


def test_a_blank_resolution_is_refused_next_to_the_field(login):
    violation = ViolationFactory()
    response = login("assistant").post(
        reverse("deposits:violation_resolve", args=[violation.pk]), {"resolution": "  "}
    )
    assert response.status_code == 400
    assert field_errors(response, "resolution", form="resolve_form") == ["This field is required."]
    violation.refresh_from_db()
    assert (violation.resolved_on, violation.resolution) == (None, "")


@pytest.mark.parametrize("role", ["manager", "finance", "auditor"])
def test_nobody_else_resolves(login, role):
    violation = ViolationFactory()
    response = login(role).post(
        reverse("deposits:violation_resolve", args=[violation.pk]), {"resolution": "已整改"}
    )
    assert response.status_code == 403
    violation.refresh_from_db()
    assert violation.resolved_on is None


@pytest.mark.parametrize("role", READERS)
def test_the_photo_is_a_recorded_download_for_readers(login, role, media):
    violation = ViolationFactory(penalty=None, photo=png_upload())
    photo = violation.photos.get()
    response = login(role).get(reverse("deposits:violation_photo", args=[photo.pk]))
    assert response.status_code == 200
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (
        "image/jpeg",
        "nosniff",
    )
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == photo.sha256
    log = AccessLog.objects.get()
    assert (log.kind, log.object_id, log.user.username) == ("photo", violation.pk, role)


def test_the_photo_is_refused_to_a_department(login):
    violation = ViolationFactory(penalty=None, photo=png_upload())
    photo = violation.photos.get()
    assert (
        login("department").get(reverse("deposits:violation_photo", args=[photo.pk])).status_code
        == 403
    )
    assert AccessLog.objects.count() == 0
