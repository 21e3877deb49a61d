"""Access to a tenant file as a recorded permission (查阅登记): a department without one gets
403 and nothing of the file, the attempt logged; under an approved permission each view and
download is logged; an expired one refuses again; nobody approves their own request; the
access log's page (filters, flat queries) and its Excel export for the auditor."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from archives.models import AccessKind, AccessLog, AccessRequest, AccessStatus
from archives.services import (
    access_request_approve,
    access_request_file,
    access_request_refuse,
    file_read_record,
)
from config.roles import Role
from tests.conftest import ensure_fee_catalogue
from tests.factories.archives import file_document, tenant_file
from tests.images import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue_and_media(settings, tmp_path):
    ensure_fee_catalogue()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture
def made(assistant):
    """A file with a scanned move-in form and a scanned ID copy (confidential)."""
    made = tenant_file(by=assistant)
    scan = SimpleUploadedFile("form.png", png_bytes(), "image/png")
    form = file_document(made, "move_in_form", by=assistant, upload=scan, title="入驻登记表2025")
    scan = SimpleUploadedFile("id.png", png_bytes(), "image/png")
    id_copy = file_document(made, "id_copy", by=assistant, upload=scan, title="法人身份证")
    made.form, made.id_copy = form, id_copy
    return made


def log_lines():
    return list(
        AccessLog.objects.order_by("pk").values_list(
            "user__username", "kind", "file", "document", "access_request", "page"
        )
    )


def page_of(made) -> str:
    return reverse("archives:file_detail", args=[made.pk])


def scan_of(document) -> str:
    return reverse("archives:document_scan", args=[document.pk])


def test_a_department_without_permission_gets_403_nothing_shown_and_the_attempt_logged(
    made, department, client
):
    client.force_login(department)
    page = client.get(page_of(made))
    scan = client.get(scan_of(made.form))
    assert (page.status_code, scan.status_code) == (403, 403)
    for response in (page, scan):
        html = response.content.decode()
        assert made.number not in html
        assert made.tenant.name not in html
        assert "入驻登记表2025" not in html
    assert log_lines() == [
        ("engineering", AccessKind.REFUSED, made.pk, None, None, page_of(made)),
        ("engineering", AccessKind.REFUSED, made.pk, made.form.pk, None, scan_of(made.form)),
    ]


def test_with_an_approved_permission_each_view_and_download_is_logged(
    made, department, manager, assistant, client
):
    asked = access_request_file(by=department, tenant_file=made, purpose="核对装修图纸", days=3)
    access_request_approve(by=manager, access_request=asked, accompanied_by=assistant)
    asked.refresh_from_db()
    today = timezone.localdate()
    assert (asked.status, asked.starts_on, asked.ends_on, asked.decided_by) == (
        AccessStatus.APPROVED,
        today,
        today + (date(2026, 1, 3) - date(2026, 1, 1)),
        manager,
    )
    client.force_login(department)
    first = client.get(page_of(made))
    second = client.get(page_of(made))
    form = client.get(scan_of(made.form))
    id_copy = client.get(scan_of(made.id_copy))
    assert [r.status_code for r in (first, second, form, id_copy)] == [200, 200, 200, 200]
    assert made.number in first.content.decode()
    assert first.context["permission"] == asked
    assert log_lines() == [
        ("engineering", AccessKind.FILE, made.pk, None, asked.pk, page_of(made)),
        ("engineering", AccessKind.FILE, made.pk, None, asked.pk, page_of(made)),
        ("engineering", AccessKind.DOCUMENT, made.pk, made.form.pk, asked.pk, scan_of(made.form)),
        ("engineering", AccessKind.SCAN, made.pk, made.id_copy.pk, asked.pk, scan_of(made.id_copy)),
    ]


def test_the_centre_staff_read_freely_and_only_confidential_downloads_are_logged(
    made, assistant, client
):
    client.force_login(assistant)
    assert client.get(page_of(made)).status_code == 200
    assert client.get(scan_of(made.form)).status_code == 200
    assert client.get(scan_of(made.id_copy)).status_code == 200
    assert log_lines() == [
        ("assistant", AccessKind.SCAN, made.pk, made.id_copy.pk, None, scan_of(made.id_copy)),
    ]


def test_an_expired_permission_refuses_again(made, department, manager, assistant, client):
    asked = access_request_file(
        by=department, tenant_file=made, purpose="核对", days=2, today=date(2020, 1, 5)
    )
    access_request_approve(
        by=manager, access_request=asked, accompanied_by=assistant, today=date(2020, 1, 5)
    )
    asked.refresh_from_db()
    assert (asked.starts_on, asked.ends_on) == (date(2020, 1, 5), date(2020, 1, 6))
    assert asked.is_valid_on(date(2020, 1, 6)) is True
    assert asked.is_valid_on(date(2020, 1, 7)) is False
    client.force_login(department)
    assert client.get(page_of(made)).status_code == 403
    assert log_lines() == [
        ("engineering", AccessKind.REFUSED, made.pk, None, None, page_of(made)),
    ]


def test_a_pending_or_refused_request_shows_nothing(made, department, manager, client):
    asked = access_request_file(by=department, tenant_file=made, purpose="核对", days=1)
    client.force_login(department)
    assert client.get(page_of(made)).status_code == 403
    access_request_refuse(by=manager, access_request=asked, reason="无正当理由")
    assert client.get(page_of(made)).status_code == 403
    assert [line[1] for line in log_lines()] == [AccessKind.REFUSED, AccessKind.REFUSED]
    asked.refresh_from_db()
    assert (asked.status, asked.refusal) == (AccessStatus.REFUSED, "无正当理由")


def test_nobody_approves_their_own_request(made, make_user, assistant):
    both = make_user("both", Role.DEPARTMENT, Role.MANAGER)
    asked = access_request_file(by=both, tenant_file=made, purpose="核对", days=1)
    with pytest.raises(ValidationError) as refused:
        access_request_approve(by=both, access_request=asked, accompanied_by=assistant)
    assert refused.value.messages == ["Nobody approves their own request."]
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (AccessStatus.PENDING, None)


def test_only_the_manager_approves_and_a_companion_is_centre_staff(
    made, department, assistant, manager, finance
):
    asked = access_request_file(by=department, tenant_file=made, purpose="核对", days=1)
    with pytest.raises(PermissionDenied):
        access_request_approve(by=assistant, access_request=asked, accompanied_by=assistant)
    with pytest.raises(ValidationError) as refused:
        access_request_approve(by=manager, access_request=asked, accompanied_by=finance)
    assert refused.value.messages == [
        "The reader is accompanied by a member of the centre's staff."
    ]
    with pytest.raises(ValidationError) as twice:
        access_request_file(by=department, tenant_file=made, purpose="再次", days=1)
    assert twice.value.messages == ["Your request for this file is awaiting approval already."]


def test_the_request_pages_walk_from_asking_to_reading(
    made, department, manager, assistant, client
):
    client.force_login(department)
    asking = client.get(reverse("archives:access_request_create"), {"file": made.pk})
    assert asking.context["form"]["file_number"].value() == made.number
    bad = client.post(
        reverse("archives:access_request_create"),
        {"file_number": "DA-1999-9999", "purpose": "核对", "days": "40"},
    )
    assert bad.context["form"].errors == {
        "file_number": ["There is no tenant file DA-1999-9999."],
        "days": ["Enter a whole number from 1 to 30 in plain digits."],
    }
    assert AccessRequest.objects.count() == 0
    filed = client.post(
        reverse("archives:access_request_create"),
        {"file_number": made.number, "purpose": "核对装修图纸", "days": "2"},
    )
    asked = AccessRequest.objects.get()
    assert filed.url == asked.get_absolute_url()
    assert (
        client.get(reverse("archives:access_request_approve", args=[asked.pk])).status_code == 403
    )
    client.force_login(manager)
    approved = client.post(
        reverse("archives:access_request_approve", args=[asked.pk]),
        {"accompanied_by": assistant.pk},
    )
    assert approved.status_code == 302
    client.force_login(department)
    mine = client.get(reverse("archives:access_request_list"))
    assert [r.pk for r in mine.context["table"].page.object_list.data] == [asked.pk]
    shown = client.get(asked.get_absolute_url())
    assert shown.context["running"] is True
    assert client.get(page_of(made)).status_code == 200


def test_another_department_user_does_not_see_a_request(made, department, make_user, client):
    asked = access_request_file(by=department, tenant_file=made, purpose="核对", days=1)
    other = make_user("security", Role.DEPARTMENT)
    client.force_login(other)
    assert client.get(asked.get_absolute_url()).status_code == 403
    assert client.get(reverse("archives:access_request_list")).context["table"].paginator.count == 0


# --- the access log -----------------------------------------------------------------------


def test_the_access_log_filters_by_person_file_document_and_dates(
    made, department, assistant, manager, client
):
    other = tenant_file(by=assistant)
    file_read_record(by=department, tenant_file=made, page="/a/", refused=True)
    file_read_record(by=assistant, tenant_file=made, document=made.id_copy, page="/b/")
    file_read_record(by=department, tenant_file=other, page="/c/", refused=True)
    client.force_login(manager)
    url = reverse("archives:access_log")

    def pages(**query):
        listed = client.get(url, query).context["table"].page.object_list.data
        return sorted(line.page for line in listed)

    today = timezone.localdate().isoformat()
    assert pages(user=department.pk) == ["/a/", "/c/"]
    assert pages(file=made.number) == ["/a/", "/b/"]
    assert pages(document="身份证") == ["/b/"]
    assert pages(date_from=today, date_to=today) == ["/a/", "/b/", "/c/"]
    assert pages(date_to="2020-01-01") == []


def test_the_access_log_page_keeps_its_queries_flat(made, department, manager, flat_queries):
    flat_queries(
        reverse("archives:access_log"),
        lambda: file_read_record(by=department, tenant_file=made, page="/x/", refused=True),
        queries=9,
        user=manager,
    )


def test_the_access_log_exports_for_the_auditor(made, department, auditor, client):
    line = file_read_record(by=department, tenant_file=made, document=made.form, page="/p/")
    client.force_login(auditor)
    today = timezone.localdate().isoformat()
    response = client.get(
        reverse("export", args=["access_log_xlsx"]), {"date_from": today, "date_to": today}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["时间", "查阅人", "查阅内容", "对象", "档号", "文件", "查阅登记号", "页面"]
    assert rows[1][1:] == [
        "engineering",
        "查阅许可下下载文件",
        str(made.form),
        made.number,
        "入驻登记表2025",
        None,
        "/p/",
    ]
    # The time as the centre reads it (Excel keeps milliseconds).
    shown_at = timezone.localtime(line.at).replace(tzinfo=None)
    assert abs(rows[1][0] - shown_at) < timedelta(milliseconds=1)
