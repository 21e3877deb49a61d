"""The pages of decoration applications: the list, the registration with its files, the
application's page with the actions each role may take, the permits and inspection pages,
and the downloads. Each refused action leaves everything as it was."""

import hashlib
import io
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pypdf import PdfWriter

from archives.models import AccessLog
from config.roles import Role
from deposits.enums import ApplicationStatus, DepositStatus
from deposits.models import (
    ApplicationDocument,
    ApplicationExtension,
    ApplicationPermit,
    DecorationApplication,
    Deposit,
    Inspection,
    InspectionItem,
    InspectionPhoto,
)
from deposits.selectors.applications import approval_time
from fees.models import Permit, Receipt
from tests.factories.archives import ContractorFactory, OccupancyFactory
from tests.factories.deposits import (
    ApplicationDocumentFactory,
    DecorationApplicationFactory,
    DepositFactory,
    advance,
    png_upload,
)
from tests.factories.fees import PermitFactory, today
from tests.images import pdf_bytes, png_bytes
from tests.pages import field_errors, messages_of

pytestmark = pytest.mark.django_db
D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")
READERS = ["assistant", "manager", "finance", "auditor"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# --- the list -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_the_list_opens_for_every_reader(login, role):
    application = DecorationApplicationFactory()
    page = login(role).get(reverse("deposits:application_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert application.number in html
    assert '<span class="badge text-bg-warning">Submitted</span>' in html


def test_the_list_is_refused_to_a_department(login):
    assert login("department").get(reverse("deposits:application_list")).status_code == 403


def test_the_list_costs_the_same_queries_for_one_and_three_rows(assistant, flat_queries):
    flat_queries(
        reverse("deposits:application_list"),
        DecorationApplicationFactory,
        queries=8,
        user=assistant,
    )


def test_the_list_filters_by_status_and_tenant_and_sorts_by_unit(client, assistant):
    submitted = DecorationApplicationFactory()
    approved = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    client.force_login(assistant)
    url = reverse("deposits:application_list")
    rows = client.get(url, {"status": "approved"}).context["table"].page.object_list
    assert [row.record.pk for row in rows] == [approved.pk]
    rows = client.get(url, {"tenant": submitted.tenant.name}).context["table"].page.object_list
    assert [row.record.pk for row in rows] == [submitted.pk]
    rows = client.get(url, {"sort": "unit"}).context["table"].page.object_list
    codes = [row.record.unit.code for row in rows]
    assert codes == sorted(codes)
    day = today().isoformat()
    rows = client.get(url, {"submitted_from": day, "submitted_to": day}).context["table"]
    assert rows.paginator.count == 2


# --- registering --------------------------------------------------------------------------


def registration(occupancy, contractor, **extra) -> dict:
    return {
        "unit": occupancy.unit.code,
        # As a suggestion puts them (config.search.LookupField).
        "tenant": f"{occupancy.tenant.name} #{occupancy.tenant.pk}",
        "contractor": f"{contractor.name} #{contractor.pk}",
        "planned_start": today().isoformat(),
        "planned_end": (today() + timedelta(days=45)).isoformat(),
        "scope": "重做吊顶与地面",
        **extra,
    }


def test_the_desk_registers_an_application_with_a_drawing_and_a_pdf(client, assistant, media):
    occupancy, contractor = OccupancyFactory(), ContractorFactory()
    client.force_login(assistant)
    drawing = png_bytes(size=(300, 200))
    pdf = pdf_bytes(pages=3)
    response = client.post(
        reverse("deposits:application_create"),
        registration(
            occupancy,
            contractor,
            drawing=upload("../../etc/plan.png", drawing, "image/png"),
            document=upload("licence.pdf", pdf, "application/pdf"),
        ),
    )
    application = DecorationApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert (application.unit, application.tenant, application.submitted_by) == (
        occupancy.unit,
        occupancy.tenant,
        assistant,
    )
    document_row, drawing_row = application.documents.order_by("kind")
    assert (document_row.kind, document_row.pages, document_row.size) == ("document", 3, len(pdf))
    # The PDF is kept as sent; its digest is of the stored bytes.
    stored_pdf = (media / document_row.file.name).read_bytes()
    assert stored_pdf == pdf
    assert document_row.sha256 == hashlib.sha256(pdf).hexdigest()
    # The drawing is re-encoded (a fresh PNG), under a name the server made.
    stored_png = (media / drawing_row.file.name).read_bytes()
    assert drawing_row.kind == "drawing" and drawing_row.pages is None
    assert drawing_row.sha256 == hashlib.sha256(stored_png).hexdigest()
    assert drawing_row.file.name.startswith("deposits/documents/")
    assert "plan" not in drawing_row.file.name and "etc" not in drawing_row.file.name
    assert messages_of(client.get(response["Location"])) == [
        f"Decoration application {application.number} registered."
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"planned_end": "START-1"},
            "planned_end",
            "The planned end cannot be before the planned start.",
        ),
        ({"scope": "   "}, "scope", "This field is required."),
    ],
)
def test_a_bad_period_or_a_blank_scope_is_refused_next_to_its_field(
    client, assistant, changes, field, message
):
    occupancy, contractor = OccupancyFactory(), ContractorFactory()
    data = registration(occupancy, contractor)
    if changes.get("planned_end") == "START-1":
        changes = {"planned_end": (today() - timedelta(days=1)).isoformat()}
    data.update(changes)
    client.force_login(assistant)
    response = client.post(reverse("deposits:application_create"), data)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert DecorationApplication.objects.count() == 0


def test_a_tenant_who_does_not_hold_the_unit_is_refused_next_to_the_unit(client, assistant):
    occupancy, other = OccupancyFactory(), OccupancyFactory()
    data = registration(
        occupancy, ContractorFactory(), tenant=f"{other.tenant.name} #{other.tenant.pk}"
    )
    client.force_login(assistant)
    response = client.post(reverse("deposits:application_create"), data)
    assert field_errors(response, "unit") == [
        f"{other.tenant.name} is not the current tenant of unit {occupancy.unit.code}."
    ]
    assert DecorationApplication.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "name", "content", "message"),
    [
        (
            "document",
            "fake.pdf",
            b"%PDF-1.7\n" + b"<script>alert(1)</script>" * 20,
            "The file is not a PDF that can be opened.",
        ),
        (
            "drawing",
            "fake.png",
            b"\x89PNG\r\n\x1a\n<html>not an image</html>",
            "The file is neither a PDF nor a JPEG or PNG image.",
        ),
        (
            "drawing",
            "big.png",
            png_bytes(size=(400, 400), colour=(1, 2, 3, 255)),
            "The file is ",  # ... KB; at most 1.0 KB is accepted.
        ),
    ],
)
def test_a_fake_or_oversized_file_is_refused_and_nothing_is_written(
    client, assistant, settings, media, field, name, content, message
):
    settings.UPLOAD_MAX_BYTES = 1024 if name == "big.png" else settings.UPLOAD_MAX_BYTES
    occupancy, contractor = OccupancyFactory(), ContractorFactory()
    client.force_login(assistant)
    data = registration(occupancy, contractor, **{field: upload(name, content, "image/png")})
    response = client.post(reverse("deposits:application_create"), data)
    assert response.status_code == 200
    [error] = field_errors(response, field)
    assert error.startswith(message)
    if name == "big.png":
        assert error.endswith("at most 1.0\xa0KB is accepted.")
    assert (DecorationApplication.objects.count(), ApplicationDocument.objects.count()) == (0, 0)
    assert not media.exists() or list(media.rglob("*.*")) == []


def test_a_password_protected_pdf_is_refused(client, assistant):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    data = registration(
        OccupancyFactory(),
        ContractorFactory(),
        document=upload("locked.pdf", out.getvalue(), "application/pdf"),
    )
    client.force_login(assistant)
    response = client.post(reverse("deposits:application_create"), data)
    assert field_errors(response, "document") == [
        "The PDF is protected by a password; upload one that opens without it."
    ]
    assert DecorationApplication.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "finance", "auditor", "department"])
def test_only_the_desk_registers(login, role):
    occupancy, contractor = OccupancyFactory(), ContractorFactory()
    client = login(role)
    assert client.get(reverse("deposits:application_create")).status_code == 403
    response = client.post(
        reverse("deposits:application_create"), registration(occupancy, contractor)
    )
    assert response.status_code == 403
    assert DecorationApplication.objects.count() == 0


# --- the application's page: reading -----------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_the_page_opens_for_every_reader_with_its_facts(login, role):
    document = ApplicationDocumentFactory()
    application = document.application
    page = login(role).get(application.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert application.unit.code in html and application.contractor.name in html
    assert reverse("deposits:application_document", args=[document.pk]) in html
    assert "History of changes" in html


def test_the_page_is_refused_to_a_department(login):
    application = DecorationApplicationFactory()
    assert login("department").get(application.get_absolute_url()).status_code == 403


def test_each_role_is_offered_only_its_own_actions(login):
    application = DecorationApplicationFactory()
    manager_page = login("manager").get(application.get_absolute_url())
    actions = manager_page.context["actions"]
    assert (actions.decide, actions.start, actions.take_deposit, actions.add_document) == (
        True,
        False,
        False,
        False,
    )
    assert 'id="approve-button"' in manager_page.content.decode()
    desk_page = login("assistant").get(application.get_absolute_url())
    actions = desk_page.context["actions"]
    assert (actions.decide, actions.take_deposit, actions.add_document, actions.extend) == (
        False,
        True,
        True,
        False,
    )
    html = desk_page.content.decode()
    assert 'id="approve-button"' not in html and 'id="deposit-form"' in html
    auditor_page = login("auditor").get(application.get_absolute_url())
    assert auditor_page.context["actions"].any is False
    assert '<form method="post" action="/deposits' not in auditor_page.content.decode()


# --- working days to approval -------------------------------------------------------------


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_the_approval_time_counts_working_days_of_the_state_council_s_notice():
    # Friday 26 September 2025 to Thursday 9 October 2025: the National Day holiday (1–8
    # October) is off; Sunday 28 September was a working day in exchange (调休).
    application = DecorationApplication(
        submitted_at=at(date(2025, 9, 26)), decided_at=at(date(2025, 10, 9))
    )
    time = approval_time(application, today=date(2025, 10, 20))
    assert (time.days, time.decided, time.estimate, time.over_target) == (4, True, False, False)


def test_an_approval_over_five_working_days_is_flagged():
    application = DecorationApplication(
        submitted_at=at(date(2025, 11, 3)), decided_at=at(date(2025, 11, 11))
    )
    time = approval_time(application, today=date(2025, 11, 30))
    assert (time.days, time.over_target) == (6, True)


def test_a_wait_in_a_year_without_a_notice_is_an_estimate():
    application = DecorationApplication(submitted_at=at(date(2030, 3, 1)), decided_at=None)
    time = approval_time(application, today=date(2030, 3, 8))
    # Friday to the next Friday: five weekdays.
    assert (time.days, time.decided, time.estimate, time.over_target) == (5, False, True, False)


def test_the_page_shows_the_time_to_approval(login):
    application = advance(DecorationApplicationFactory(), ApplicationStatus.APPROVED)
    html = login("auditor").get(application.get_absolute_url()).content.decode()
    assert "Decided after 0 working days." in html
    assert "answered within 1–5 working days" in html
    assert 'id="over-target"' not in html


# --- deciding -----------------------------------------------------------------------------


def test_the_manager_approves(login):
    application = DecorationApplicationFactory()
    client = login("manager")
    response = client.post(reverse("deposits:application_approve", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert messages_of(client.get(response["Location"])) == [
        f"Decoration application {application.number} approved."
    ]


@pytest.mark.parametrize("role", ["assistant", "finance", "auditor"])
def test_nobody_else_approves_or_rejects(login, role):
    application = DecorationApplicationFactory()
    client = login(role)
    approve = client.post(reverse("deposits:application_approve", args=[application.pk]))
    reject = client.post(
        reverse("deposits:application_reject", args=[application.pk]), {"reason": "不行"}
    )
    assert (approve.status_code, reject.status_code) == (403, 403)
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (ApplicationStatus.SUBMITTED, None)


def test_a_manager_never_decides_an_application_they_registered(make_user, client):
    both = make_user("both", Role.ASSISTANT, Role.MANAGER)
    application = DecorationApplicationFactory(submitted_by=both)
    client.force_login(both)
    page = client.get(application.get_absolute_url())
    assert page.context["actions"].decide is False
    assert 'id="own-work"' in page.content.decode()
    response = client.post(reverse("deposits:application_approve", args=[application.pk]))
    assert messages_of(client.get(response["Location"])) == [
        "You registered this application: another manager must decide it."
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_rejection_without_a_reason_is_refused_next_to_the_reason(login):
    application = DecorationApplicationFactory()
    response = login("manager").post(
        reverse("deposits:application_reject", args=[application.pk]), {"reason": "   "}
    )
    assert response.status_code == 400
    assert field_errors(response, "reason", form="reject_form") == ["This field is required."]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_manager_rejects_with_a_reason(login):
    application = DecorationApplicationFactory()
    client = login("manager")
    response = client.post(
        reverse("deposits:application_reject", args=[application.pk]), {"reason": "图纸不全"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == ("rejected", "图纸不全")
    html = client.get(application.get_absolute_url()).content.decode()
    assert '<dd class="col-8" id="rejection-reason">图纸不全</dd>' in html


# --- the works ----------------------------------------------------------------------------


def test_the_desk_records_the_start(login):
    application = advance(DecorationApplicationFactory(), ApplicationStatus.APPROVED)
    response = login("assistant").post(
        reverse("deposits:application_start", args=[application.pk]),
        {"started_on": today().isoformat()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.started_on) == ("in_progress", today())


def test_a_start_before_the_approval_is_refused_next_to_the_date(login):
    application = advance(DecorationApplicationFactory(), ApplicationStatus.APPROVED)
    response = login("assistant").post(
        reverse("deposits:application_start", args=[application.pk]),
        {"started_on": (today() - timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert field_errors(response, "started_on", form="start_form") == [
        f"The works cannot start before the approval ({today()}) or after today."
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_an_extension_is_recorded_with_its_reason_and_shown(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    new_end = application.planned_end + timedelta(days=10)
    client = login("assistant")
    response = client.post(
        reverse("deposits:application_extend", args=[application.pk]),
        {"new_end": new_end.isoformat(), "reason": "材料延迟到货"},
    )
    assert response.status_code == 302
    extension = ApplicationExtension.objects.get()
    assert (extension.previous_end, extension.new_end, extension.reason) == (
        application.planned_end,
        new_end,
        "材料延迟到货",
    )
    html = client.get(application.get_absolute_url()).content.decode()
    assert "<td>材料延迟到货</td>" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "   "}, "reason", "This field is required."),
        (
            {"days": -1, "reason": "提前完工"},
            "new_end",
            "The new end must be after the present one",
        ),
    ],
)
def test_a_bad_extension_is_refused_next_to_its_field(login, data, field, message):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    new_end = application.planned_end + timedelta(days=data.pop("days", 10))
    response = login("assistant").post(
        reverse("deposits:application_extend", args=[application.pk]),
        {"new_end": new_end.isoformat(), **data},
    )
    assert response.status_code == 400
    [error] = field_errors(response, field, form="extend_form")
    assert error.startswith(message)
    assert ApplicationExtension.objects.count() == 0


def test_the_manager_may_not_extend_or_start(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    client = login("manager")
    start = client.post(
        reverse("deposits:application_start", args=[application.pk]),
        {"started_on": today().isoformat()},
    )
    assert start.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


# --- the deposit --------------------------------------------------------------------------


def test_the_desk_takes_the_deposit_on_a_receipt_and_the_page_links_it(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    client = login("assistant")
    response = client.post(
        reverse("deposits:application_deposit_take", args=[application.pk]),
        {
            "request_key": str(uuid.uuid4()),
            "payer_kind": "contractor",
            "amount": "8000.00",
            "method": "cash",
            "reference": "",
        },
    )
    assert response.status_code == 302
    deposit = Deposit.objects.get()
    receipt = deposit.receipt_line.receipt
    assert (deposit.amount, deposit.status, deposit.contractor) == (
        D("8000.00"),
        DepositStatus.HELD,
        application.contractor,
    )
    assert receipt.total == D("8000.00")
    page = client.get(application.get_absolute_url())
    assert messages_of(page) == [f"Deposit of ¥8,000.00 taken on receipt {receipt.number}."]
    html = page.content.decode()
    assert f'<a href="{receipt.get_absolute_url()}">{receipt.number}</a>' in html
    assert reverse("deposits:deposit_detail", args=[deposit.pk]) in html
    [row] = page.context["deposits"]
    assert (row.balance, row.deducted, row.refunded) == (D("8000.00"), D("0.00"), D("0.00"))
    assert page.context["actions"].take_deposit is False  # it holds one now


def test_a_non_cash_deposit_without_its_reference_is_refused_next_to_it(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    response = login("assistant").post(
        reverse("deposits:application_deposit_take", args=[application.pk]),
        {
            "request_key": str(uuid.uuid4()),
            "payer_kind": "tenant",
            "amount": "5000",
            "method": "wechat",
        },
    )
    assert response.status_code == 400
    assert field_errors(response, "reference", form="deposit_form") != []
    assert (Deposit.objects.count(), Receipt.objects.count()) == (0, 0)


def test_the_manager_may_not_take_a_deposit(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.APPROVED)
    response = login("manager").post(
        reverse("deposits:application_deposit_take", args=[application.pk]),
        {"request_key": str(uuid.uuid4()), "payer_kind": "tenant", "amount": "5000"},
    )
    assert response.status_code == 403
    assert Deposit.objects.count() == 0


# --- permits ------------------------------------------------------------------------------


def test_the_desk_issues_the_decoration_s_permits_with_fees_form(login):
    import random

    from config.demo import make_mobile, make_resident_id

    rng = random.Random(3)
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    client = login("assistant")
    assert (
        client.get(reverse("deposits:application_permits", args=[application.pk])).status_code
        == 200
    )
    data = {
        "request_key": str(uuid.uuid4()),
        "valid_from": today().isoformat(),
        "valid_to": (today() + timedelta(days=20)).isoformat(),
        "with_card_deposit": "on",
        "method": "cash",
        "workers-TOTAL_FORMS": "1",
        "workers-INITIAL_FORMS": "0",
        "workers-0-name": "李师傅",
        "workers-0-id_doc_type": "resident_id",
        "workers-0-id_number": make_resident_id(rng),
        "workers-0-phone": make_mobile(rng),
    }
    response = client.post(reverse("deposits:application_permits", args=[application.pk]), data)
    permit = Permit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fees:permit_batch", args=[permit.receipt_id])
    assert (permit.contractor, permit.unit, permit.worker_name) == (
        application.contractor,
        application.unit,
        "李师傅",
    )
    assert ApplicationPermit.objects.get().application == application


def test_permits_past_the_planned_end_are_refused_next_to_the_end(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    import random

    from config.demo import make_mobile, make_resident_id

    rng = random.Random(4)
    data = {
        "request_key": str(uuid.uuid4()),
        "valid_from": today().isoformat(),
        "valid_to": (application.planned_end + timedelta(days=1)).isoformat(),
        "method": "cash",
        "workers-TOTAL_FORMS": "1",
        "workers-INITIAL_FORMS": "0",
        "workers-0-name": "李师傅",
        "workers-0-id_doc_type": "resident_id",
        "workers-0-id_number": make_resident_id(rng),
        "workers-0-phone": make_mobile(rng),
    }
    response = login("assistant").post(
        reverse("deposits:application_permits", args=[application.pk]), data
    )
    assert response.status_code == 200
    [error] = field_errors(response, "valid_to")
    assert error.startswith("The permits must end by the decoration's planned end")
    assert (Permit.objects.count(), Receipt.objects.count()) == (0, 0)


def test_a_permit_issued_at_the_desk_is_linked(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    permit = PermitFactory(contractor=application.contractor, unit=application.unit)
    client = login("assistant")
    response = client.post(
        reverse("deposits:application_permit_link", args=[application.pk]),
        {"permit": permit.number.lower()},
    )
    assert response.status_code == 302
    assert ApplicationPermit.objects.get().permit == permit
    html = client.get(application.get_absolute_url()).content.decode()
    assert f'<a href="{permit.get_absolute_url()}">{permit.number}</a>' in html


def test_a_permit_of_another_contractor_is_refused_with_a_message(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    permit = PermitFactory()
    client = login("assistant")
    response = client.post(
        reverse("deposits:application_permit_link", args=[application.pk]),
        {"permit": permit.number},
    )
    assert messages_of(client.get(response["Location"])) == [
        f"Permit {permit.number} is for another contractor or unit than this decoration."
    ]
    assert ApplicationPermit.objects.count() == 0


def test_an_unknown_permit_number_is_refused_next_to_the_field(login):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    response = login("assistant").post(
        reverse("deposits:application_permit_link", args=[application.pk]), {"permit": "X-1"}
    )
    assert response.status_code == 400
    assert field_errors(response, "permit", form="link_form") == ["There is no permit X-1."]


# --- inspections --------------------------------------------------------------------------


def inspection_data(inspector, result: str, items: list[str], **files) -> dict:
    data = {
        "inspected_on": today().isoformat(),
        "inspector": inspector.pk,
        "result": result,
        "remarks": "复检",
        "items-TOTAL_FORMS": str(max(len(items), 1)),
        "items-INITIAL_FORMS": "0",
    }
    for n, text in enumerate(items):
        data[f"items-{n}-description"] = text
    data.update(files)
    return data


def test_a_failed_inspection_is_recorded_with_its_items_and_a_photo(login, assistant, media):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    client = login("assistant")
    url = reverse("deposits:application_inspect", args=[application.pk])
    assert client.get(url).status_code == 200
    data = inspection_data(
        assistant, "fail", ["墙面开裂", "消防喷淋未恢复"], **{"items-1-photo": png_upload()}
    )
    response = client.post(url, data)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    items = list(inspection.items.order_by("position"))
    assert [(i.position, i.description) for i in items] == [(1, "墙面开裂"), (2, "消防喷淋未恢复")]
    photo = InspectionPhoto.objects.get()
    assert photo.item == items[1]
    assert photo.sha256 == hashlib.sha256((media / photo.file.name).read_bytes()).hexdigest()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FAILED
    html = client.get(application.get_absolute_url()).content.decode()
    assert reverse("deposits:inspection_photo", args=[photo.pk]) in html


def test_a_failed_inspection_without_items_is_refused_above_the_items(login, assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    response = login("assistant").post(
        reverse("deposits:application_inspect", args=[application.pk]),
        inspection_data(assistant, "fail", []),
    )
    assert response.status_code == 200
    assert field_errors(response, "items") == ["A failed inspection lists the items to fix."]
    assert 'id="items-error"' in response.content.decode()
    assert (Inspection.objects.count(), InspectionItem.objects.count()) == (0, 0)


def test_a_fake_item_photo_is_refused_next_to_it(login, assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    fake = upload("crack.png", b"\x89PNG\r\n\x1a\n<svg onload=alert(1)>", "image/png")
    response = login("assistant").post(
        reverse("deposits:application_inspect", args=[application.pk]),
        inspection_data(assistant, "fail", ["墙面开裂"], **{"items-0-photo": fake}),
    )
    assert response.status_code == 200
    assert response.context["items"].forms[0].errors["photo"] == [
        "The file is not a JPEG or PNG image."
    ]
    assert (Inspection.objects.count(), InspectionPhoto.objects.count()) == (0, 0)


def test_a_passed_inspection_then_closing(login, assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    client = login("assistant")
    client.post(
        reverse("deposits:application_inspect", args=[application.pk]),
        inspection_data(assistant, "pass", []),
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PASSED
    response = client.post(reverse("deposits:application_close", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.closed_by) == (ApplicationStatus.CLOSED, assistant)


def test_closing_while_a_deposit_is_held_is_refused_with_a_message(login):
    deposit = DepositFactory()
    application = advance(deposit.application, ApplicationStatus.PASSED)
    client = login("assistant")
    response = client.post(reverse("deposits:application_close", args=[application.pk]))
    assert messages_of(client.get(response["Location"])) == [
        "A deposit of this decoration is still held."
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PASSED


def test_the_manager_may_not_inspect(login, manager):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    client = login("manager")
    url = reverse("deposits:application_inspect", args=[application.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, inspection_data(manager, "pass", [])).status_code == 403
    assert Inspection.objects.count() == 0


# --- more documents and the downloads -----------------------------------------------------


def test_a_document_is_added_on_the_page(login, media):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    client = login("assistant")
    response = client.post(
        reverse("deposits:application_document_add", args=[application.pk]),
        {"kind": "document", "title": "消防方案", "file": upload("x.pdf", pdf_bytes(1), "")},
    )
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert (document.title, document.kind, document.pages) == ("消防方案", "document", 1)


def test_a_fake_pdf_added_on_the_page_is_refused_next_to_the_file(login):
    application = DecorationApplicationFactory()
    response = login("assistant").post(
        reverse("deposits:application_document_add", args=[application.pk]),
        {"kind": "drawing", "title": "平面图", "file": upload("x.pdf", b"%PDF-1.4\n%%EOF", "")},
    )
    assert response.status_code == 400
    assert field_errors(response, "file", form="document_form") == [
        "The file is not a PDF that can be opened."
    ]
    assert ApplicationDocument.objects.count() == 0


def test_nothing_more_is_filed_with_a_rejected_application(login):
    application = advance(DecorationApplicationFactory(), ApplicationStatus.REJECTED)
    client = login("assistant")
    response = client.post(
        reverse("deposits:application_document_add", args=[application.pk]),
        {"kind": "drawing", "title": "平面图", "file": png_upload()},
    )
    assert messages_of(client.get(response["Location"])) == [
        "Nothing more is filed with a rejected or closed application."
    ]
    assert ApplicationDocument.objects.count() == 0


@pytest.mark.parametrize("role", READERS)
def test_a_document_is_served_as_an_attachment_to_readers(login, role, media):
    document = ApplicationDocumentFactory()
    response = login(role).get(reverse("deposits:application_document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == document.sha256


def test_downloads_are_refused_to_a_department(login):
    document = ApplicationDocumentFactory()
    client = login("department")
    assert (
        client.get(reverse("deposits:application_document", args=[document.pk])).status_code == 403
    )


def test_an_inspection_photo_download_is_recorded(login, assistant):
    application = DecorationApplicationFactory(status=ApplicationStatus.IN_PROGRESS)
    from tests.factories.deposits import inspect

    inspection = inspect(application, passed=False, photos={0: png_upload()})
    photo = inspection.items.get().photos.get()
    response = login("auditor").get(reverse("deposits:inspection_photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    log = AccessLog.objects.get()
    assert (log.kind, log.object_id) == ("photo", application.pk)


def test_a_title_with_a_line_break_or_a_slash_makes_a_safe_download_name(login, assistant):
    from deposits.services.applications import application_document_add

    application = DecorationApplicationFactory()
    document = application_document_add(
        by=assistant,
        application=application,
        kind="drawing",
        title='平面\r\n图/"A"',
        upload=png_upload(),
    )
    response = login("auditor").get(reverse("deposits:application_document", args=[document.pk]))
    disposition = response["Content-Disposition"]
    assert "\n" not in disposition and "/" not in disposition.split("filename*=")[0]
    assert disposition.endswith("''" + quote(f"{application.number}-平面_图_A_.png"))
