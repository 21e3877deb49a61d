"""The pages of tenant files: who sees them (centre staff; finance and departments 403), the
list with its gaps and flat queries, a file's page with its catalogue, opening, moving and
filing with a scan, the scan's download (logged when confidential) and the printed
catalogue (卷内目录)."""

import hashlib
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from archives.models import AccessKind, AccessLog, Document, FileLocation, TenantFile
from tests.conftest import ensure_fee_catalogue
from tests.factories.archives import OccupancyFactory, file_document, tenant_file
from tests.images import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

READERS = ("assistant", "manager", "auditor")
OUTSIDERS = ("finance", "department")


@pytest.fixture(autouse=True)
def catalogue_and_media(settings, tmp_path):
    ensure_fee_catalogue()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def detail(made) -> str:
    return reverse("archives:file_detail", args=[made.pk])


def document_post(doc_type, **extra) -> dict:
    return {
        "doc_type": doc_type,
        "title": "租赁合同 2025",
        "dated_on": "2025-03-01",
        "pages": "4",
        "paper": "original",
        "cabinet": "",
        "box": "",
        "retention_years": "",
        "remarks": "",
        **extra,
    }


def type_pk(code: str) -> int:
    from archives.models import DocumentType

    return DocumentType.objects.get(code=code).pk


@pytest.mark.parametrize("role", READERS)
def test_centre_staff_read_the_list_and_a_file(role, login):
    made = tenant_file()
    client = login(role)
    assert client.get(reverse("archives:file_list")).status_code == 200
    page = client.get(detail(made))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_finance_and_departments_see_nothing_of_a_file(role, login):
    made = tenant_file()
    document = file_document(made, "id_copy", upload=SimpleUploadedFile("a.pdf", pdf_bytes()))
    client = login(role)
    for url in (
        reverse("archives:file_list"),
        detail(made),
        reverse("archives:file_catalogue_pdf", args=[made.pk]),
        reverse("archives:document_scan", args=[document.pk]),
        reverse("archives:document_add", args=[made.pk]),
        reverse("archives:file_move", args=[made.pk]),
    ):
        assert client.get(url).status_code == 403, url
    # Each attempt on the file itself is in the access log (archives.views.access.file_gate).
    assert list(AccessLog.objects.order_by("pk").values_list("kind", "file", "page")) == [
        (AccessKind.REFUSED, made.pk, detail(made)),
        (AccessKind.REFUSED, made.pk, reverse("archives:file_catalogue_pdf", args=[made.pk])),
        (AccessKind.REFUSED, made.pk, reverse("archives:document_scan", args=[document.pk])),
    ]


def test_the_file_page_ticks_the_catalogue_and_names_every_missing_type(login):
    made = tenant_file()
    file_document(made, "lease")
    file_document(made, "business_licence")
    page = login("assistant").get(detail(made))
    lines = [(line.type.code, line.present) for line in page.context["catalogue"].lines]
    assert lines == [
        ("business_licence", True),
        ("id_copy", False),
        ("lease", True),
        ("move_in_form", False),
        ("emergency_contacts", False),
        ("tenant_register", False),
    ]
    html = page.content.decode()
    missing = html.split('id="file-missing"')[1].split("</div>")[0]
    assert "4 required documents are missing:" in missing
    for name in (
        "ID card copy",
        "Move-in form",
        "Emergency contacts",
        "Tenant and residence register form",
    ):
        assert f"<li>{name}</li>" in missing
    assert "<li>Lease</li>" not in missing


def test_the_list_shows_missing_counts_and_filters_files_with_gaps(login):
    gaps = tenant_file()
    whole = tenant_file()
    for code in (
        "business_licence",
        "id_copy",
        "lease",
        "move_in_form",
        "emergency_contacts",
        "tenant_register",
    ):
        file_document(whole, code)
    client = login("manager")
    listed = client.get(reverse("archives:file_list"))
    rows = {row.record.number: row.record.missing for row in listed.context["table"].rows}
    assert rows == {gaps.number: 6, whole.number: 0}
    with_gaps = client.get(reverse("archives:file_list") + "?gaps=yes")
    assert [row.record.number for row in with_gaps.context["table"].rows] == [gaps.number]
    without = client.get(reverse("archives:file_list") + "?gaps=no")
    assert [row.record.number for row in without.context["table"].rows] == [whole.number]
    by_kind = client.get(reverse("archives:file_list") + "?kind=moved_out")
    assert list(by_kind.context["table"].rows) == []


def test_the_list_takes_the_same_queries_for_one_and_three_files(assistant, flat_queries):
    def add_row():
        made = tenant_file()
        file_document(made, "lease")

    flat_queries(reverse("archives:file_list"), add_row, queries=8, user=assistant)


def test_the_desk_opens_a_file_for_an_occupancy(assistant, client):
    occupancy = OccupancyFactory()
    client.force_login(assistant)
    url = reverse("archives:file_open", args=[occupancy.pk])
    empty = client.post(url, {"kind": "in_business", "opened_on": "2025-03-01", "cabinet": ""})
    assert empty.status_code == 200
    assert empty.context["form"].errors == {"cabinet": ["This field is required."]}
    assert TenantFile.objects.count() == 0
    done = client.post(
        url, {"kind": "in_business", "opened_on": "2025-03-01", "cabinet": "A柜", "box": "2盒"}
    )
    made = TenantFile.objects.get()
    assert done.url == detail(made)
    assert (made.number, made.unit, made.tenant, made.location) == (
        "DA-2025-0001",
        occupancy.unit,
        occupancy.tenant,
        "A柜 / 2盒",
    )
    # The file is linked from the unit's and the tenant's pages; a second open goes to it.
    for page in (occupancy.unit.get_absolute_url(), occupancy.tenant.get_absolute_url()):
        assert f'href="{detail(made)}"' in client.get(page).content.decode()
    assert client.get(url).url == detail(made)


def test_the_unit_page_offers_to_open_a_file_to_the_desk_only(assistant, manager, client):
    occupancy = OccupancyFactory()
    open_url = reverse("archives:file_open", args=[occupancy.pk])
    client.force_login(assistant)
    assert f'href="{open_url}"' in client.get(occupancy.unit.get_absolute_url()).content.decode()
    client.force_login(manager)
    assert open_url not in client.get(occupancy.unit.get_absolute_url()).content.decode()
    assert client.get(open_url).status_code == 403


def test_the_desk_files_a_document_with_a_pdf_scan(assistant, client):
    made = tenant_file()
    client.force_login(assistant)
    content = pdf_bytes(3)
    response = client.post(
        reverse("archives:document_add", args=[made.pk]),
        document_post(
            type_pk("lease"),
            pages="",
            scan=SimpleUploadedFile("租约.pdf", content, "application/pdf"),
        ),
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.pages, document.scan_sha256) == (
        "租赁合同 2025",
        3,
        hashlib.sha256(content).hexdigest(),
    )
    assert document.scan.read() == content


def test_a_fake_scan_is_refused_next_to_its_field_and_nothing_is_saved(assistant, client, settings):
    made = tenant_file()
    client.force_login(assistant)
    response = client.post(
        reverse("archives:document_add", args=[made.pk]),
        document_post(
            type_pk("lease"),
            scan=SimpleUploadedFile("fake.png", b"\x89PNG\r\n\x1a\n<html>not an image</html>"),
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "scan": ["The file is neither a PDF nor a JPEG or PNG image."]
    }
    assert Document.objects.count() == 0
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []


def test_a_shorter_retention_is_refused_next_to_its_field(assistant, client):
    made = tenant_file()
    client.force_login(assistant)
    response = client.post(
        reverse("archives:document_add", args=[made.pk]),
        document_post(type_pk("lease"), retention_years="10"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "retention_years": [
            "Lease is kept at least 30 years: a document of it cannot be kept less."
        ]
    }
    assert Document.objects.count() == 0


def test_the_desk_moves_the_file_and_the_page_shows_every_place(assistant, client):
    made = tenant_file(cabinet="A柜", box="1盒")
    client.force_login(assistant)
    moved = client.post(
        reverse("archives:file_move", args=[made.pk]),
        {"cabinet": "B柜", "box": "4盒", "reason": "整理"},
    )
    assert moved.url == detail(made)
    page = client.get(detail(made))
    places = [(m.location, m.reason) for m in page.context["locations"]]
    assert places == [("B柜 / 4盒", "整理"), ("A柜 / 1盒", "opened")]
    same = client.post(
        reverse("archives:file_move", args=[made.pk]), {"cabinet": "B柜", "box": "4盒"}
    )
    assert same.context["form"].errors == {"cabinet": ["The file is in this place already."]}
    assert FileLocation.objects.filter(file=made).count() == 2


def test_a_scan_downloads_as_an_attachment_and_a_confidential_one_is_logged(manager, client):
    made = tenant_file()
    lease = file_document(made, "lease", upload=SimpleUploadedFile("l.pdf", pdf_bytes(1)))
    id_copy = file_document(
        made, "id_copy", upload=SimpleUploadedFile("id.png", png_bytes(), "image/png")
    )
    client.force_login(manager)
    response = client.get(reverse("archives:document_scan", args=[lease.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"].startswith("attachment")
    assert AccessLog.objects.count() == 0
    confidential = client.get(reverse("archives:document_scan", args=[id_copy.pk]))
    assert (confidential["Content-Type"], b"".join(confidential.streaming_content)[:4]) == (
        "image/png",
        b"\x89PNG",
    )
    assert confidential["Content-Disposition"].startswith("attachment")
    logged = AccessLog.objects.get()
    assert (logged.user, logged.kind, logged.record, logged.page) == (
        manager,
        AccessKind.SCAN,
        id_copy,
        reverse("archives:document_scan", args=[id_copy.pk]),
    )


def test_the_printed_catalogue_lists_the_documents_in_date_order(assistant, client):
    made = tenant_file()
    file_document(made, "lease", title="租赁合同", dated_on=date(2025, 3, 1), pages=12)
    file_document(
        made,
        "business_licence",
        title="营业执照副本",
        dated_on=date(2024, 8, 9),
        pages=1,
        paper="copy",
        remarks="已核原件",
    )
    client.force_login(assistant)
    response = client.get(reverse("archives:file_catalogue_pdf", args=[made.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "卷内目录" in text and made.number in text
    first, second = text.index("营业执照副本"), text.index("租赁合同（")
    assert first < second
    assert "2024-08-09" in text and "已核原件" in text and "复印件" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)


def test_the_archives_menu_and_index_lead_to_the_files(login):
    client = login("auditor")
    assert reverse("archives:file_list") in client.get(reverse("home")).content.decode()


def test_pages_typed_loosely_are_refused_next_to_the_field(assistant, client):
    made = tenant_file()
    client.force_login(assistant)
    for typed in ("３", "2.5", "0", "10000"):
        response = client.post(
            reverse("archives:document_add", args=[made.pk]),
            document_post(type_pk("lease"), pages=typed),
        )
        assert response.context["form"].errors == {
            "pages": ["Give the number of pages (1 to 9999)."]
        }, typed
    assert Document.objects.count() == 0
