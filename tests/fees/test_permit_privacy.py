"""A worker's ID and mobile number on the permit pages, in the permit's history and in the
exports that carry it (history.xlsx alone and in the audit pack), for every role and
anonymous: the ID masked everywhere, shown whole only by the recorded action."""

import io
import re
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from archives.models import AccessKind, AccessLog
from config.permanence import maintenance
from fees.exporters.audit_pack import audit_pack
from fees.models import Permit
from tests.factories.fees import PermitFactory

pytestmark = pytest.mark.django_db

ID_OLD, MASKED_OLD = "110105199003071239", "110105********1239"
ID_NEW, MASKED_NEW = "330102198506150024", "330102********0024"
PHONE_OLD, PHONE_OLD_MASKED = "13955554444", "139****4444"
PHONE_NEW, PHONE_NEW_MASKED = "13800001234", "138****1234"

ROLES = ["anonymous", "assistant", "manager", "finance", "auditor", "department", "administrator"]
# Each role on the permit pages: status, and the mobile number as it reads there.
PERMIT_PAGES = {
    "anonymous": (302, None),
    "assistant": (200, PHONE_OLD),
    "manager": (200, PHONE_OLD),
    "finance": (200, PHONE_OLD_MASKED),
    "auditor": (200, PHONE_OLD_MASKED),
    "department": (403, None),
    "administrator": (403, None),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def permit():
    return PermitFactory(worker_name="张建军", id_number=ID_OLD, phone=PHONE_OLD)


def correct_holder(permit: Permit) -> Permit:
    """A correction of the worker's ID and mobile number, kept in the history. A permit's
    holder is fixed once issued (config.permanence): only maintenance writes it again."""
    permit.id_number, permit.phone = ID_NEW, PHONE_NEW
    with maintenance():
        permit.save()
    return permit


def shown(html: str, *texts: str) -> set[str]:
    return {text for text in texts if text in html}


@pytest.mark.parametrize("role", ROLES)
def test_the_permit_pages_mask_the_id_for_every_role(login, permit, role):
    client = login(role)
    urls = [
        reverse("fees:permit_list") + "?worker=张建军",
        permit.get_absolute_url(),
        reverse("fees:permit_batch", args=[permit.receipt_id]),
    ]
    status, mobile = PERMIT_PAGES[role]
    for url in urls:
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == status, url
        assert ID_OLD not in html
        if status == 200:
            assert MASKED_OLD in html
            assert shown(html, PHONE_OLD, PHONE_OLD_MASKED) == {mobile}
    if status == 200:
        detail = client.get(permit.get_absolute_url()).content.decode()
        assert ('id="reveal-id"' in detail) == (role in {"assistant", "manager"})


@pytest.mark.parametrize("role", ["assistant", "manager", "finance", "auditor"])
def test_the_permit_history_shows_a_corrected_id_and_mobile_masked(login, permit, role):
    correct_holder(permit)
    page = login(role).get(permit.get_absolute_url())
    assert page.context["history"][0].changes == [
        ("ID number", MASKED_OLD, MASKED_NEW),
        ("mobile", PHONE_OLD_MASKED, PHONE_NEW_MASKED),
    ]
    html = page.content.decode()
    history = html[html.index('aria-labelledby="history-title"') :]
    assert shown(history, ID_OLD, ID_NEW, PHONE_OLD, PHONE_NEW) == set()


REVEAL_STATUS = {
    "anonymous": 302,
    "assistant": 200,
    "manager": 200,
    "finance": 403,
    "auditor": 403,
    "department": 403,
    "administrator": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_showing_a_workers_whole_id_is_recorded_first(login, permit, request, role):
    url = reverse("fees:permit_id_number", args=[permit.pk])
    response = login(role).post(url)
    html = response.content.decode()
    assert response.status_code == REVEAL_STATUS[role]
    rows = list(
        AccessLog.objects.values_list(
            "user__username", "kind", "content_type", "object_id", "subject", "page"
        )
    )
    if response.status_code == 200:
        assert re.search(r'id="whole-id">([^<]*)<', html)[1] == ID_OLD
        assert rows == [
            (
                request.getfixturevalue(role).username,
                AccessKind.WHOLE_ID,
                ContentType.objects.get_for_model(Permit).pk,
                permit.pk,
                f"{permit.number} 张建军",
                url,
            )
        ]
    else:
        assert ID_OLD not in html
        assert rows == []


def readable_text(name: str, content: bytes) -> str:
    """What a reader of the file sees: every cell of a workbook, a PDF's text, plain text."""
    if name.endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if name.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode()


def history_changes(workbook_bytes: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(workbook_bytes))["出入证"]
    return [row[6] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2] == "修改"]


def expected_change() -> str:
    with translation.override("zh-hans"):
        id_label = str(Permit._meta.get_field("id_number").verbose_name)
        phone_label = str(Permit._meta.get_field("phone").verbose_name)
    return (
        f"{id_label}：{MASKED_OLD} → {MASKED_NEW}；"
        f"{phone_label}：{PHONE_OLD_MASKED} → {PHONE_NEW_MASKED}"
    )


@pytest.mark.parametrize(
    "role, status",
    [
        ("assistant", 403),
        ("manager", 403),
        ("finance", 200),
        ("auditor", 200),
        ("department", 403),
        ("administrator", 403),
    ],
)
def test_the_history_export_masks_a_workers_id_and_mobile(login, permit, role, status):
    correct_holder(permit)
    today = timezone.localdate().isoformat()
    response = login(role).get(
        reverse("export", args=["change_history"]), {"date_from": today, "date_to": today}
    )
    assert response.status_code == status
    if status == 200:
        assert history_changes(response.content) == [expected_change()]
        text = readable_text("history.xlsx", response.content)
        assert shown(text, ID_OLD, ID_NEW, PHONE_OLD, PHONE_NEW) == set()
        assert shown(text, MASKED_OLD, MASKED_NEW) == {MASKED_OLD, MASKED_NEW}


@pytest.mark.slow
def test_the_audit_packs_history_masks_a_workers_id_and_mobile(permit, finance):
    correct_holder(permit)
    today = timezone.localdate()
    pack = zipfile.ZipFile(io.BytesIO(audit_pack(today, today, by=finance)))
    assert history_changes(pack.read("history.xlsx")) == [expected_change()]
    # Every file of the pack, as its reader sees it (the month's statements named by month).
    undated = [name for name in sorted(pack.namelist()) if not name.startswith("statement_")]
    assert undated == [
        "daily_closes.xlsx",
        "deposit_refunds.xlsx",
        "history.xlsx",
        "manifest.txt",
        "receipt_chain.txt",
        "receipts.pdf",
        "receipts.xlsx",
    ]
    for name in pack.namelist():
        text = readable_text(name, pack.read(name))
        assert shown(text, ID_OLD, ID_NEW, PHONE_OLD, PHONE_NEW) == set(), name
