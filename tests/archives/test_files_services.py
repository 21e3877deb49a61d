"""Tenant files (一户一档): the file number sequence, the catalogue's missing list, the moves
of the paper file, retention and confidentiality from the type, and scans checked by
decoding with the SHA-256 of the stored bytes."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from archives.models import Document, DocumentType, FileKind, FileLocation, TenantFile
from archives.selectors import file_catalogue, file_list
from archives.services import document_add, file_mark_moved_out, file_move, file_open
from config.roles import Role
from tests.conftest import ensure_fee_catalogue
from tests.factories.archives import OccupancyFactory, file_document, tenant_file
from tests.factories.people import staff
from tests.images import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

IN_BUSINESS_REQUIRED = [
    "business_licence",
    "id_copy",
    "lease",
    "move_in_form",
    "emergency_contacts",
    "tenant_register",
]


@pytest.fixture(autouse=True)
def catalogue_and_media(settings, tmp_path):
    ensure_fee_catalogue()  # a transactional test elsewhere may have flushed the seed
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def refusal(action) -> tuple[str | None, str]:
    with pytest.raises(ValidationError) as refused:
        action()
    return getattr(refused.value, "field", None), " ".join(refused.value.messages)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_seeded_catalogue_has_each_type_with_its_rules():
    rows = {
        t.code: (t.name_zh, t.required_for, t.retention_years, t.confidential, t.view_only)
        for t in DocumentType.objects.all()
    }
    assert rows["id_copy"] == (
        "身份证复印件",
        ["in_business", "decorating", "moved_out"],
        30,
        True,
        True,
    )
    assert rows["receipt"] == ("收据", [], 30, False, False)
    assert rows["decoration_application"][1:3] == (["decorating"], None)
    assert rows["moveout_sheet"][1] == ["moved_out"]
    assert len(rows) == 11


def test_file_numbers_run_on_per_year_of_opening():
    first = tenant_file(opened_on=date(2025, 3, 1))
    second = tenant_file(opened_on=date(2025, 6, 1))
    other_year = tenant_file(opened_on=date(2024, 12, 31))
    third = tenant_file(opened_on=date(2025, 7, 1))
    assert [first.number, second.number, other_year.number, third.number] == [
        "DA-2025-0001",
        "DA-2025-0002",
        "DA-2024-0001",
        "DA-2025-0003",
    ]


def test_one_open_file_per_unit_and_tenant():
    occupancy = OccupancyFactory()
    made = tenant_file(occupancy)
    assert refusal(lambda: tenant_file(occupancy)) == (
        "tenant",
        f"{occupancy.tenant} has an open file for {occupancy.unit} already.",
    )
    assert TenantFile.objects.filter(pk=made.pk).count() == TenantFile.objects.count() == 1


def test_a_file_is_opened_only_for_a_unit_the_tenant_occupies_or_occupied():
    occupancy = OccupancyFactory()
    stranger = OccupancyFactory()
    desk = staff(Role.ASSISTANT)
    field, message = refusal(
        lambda: file_open(
            by=desk,
            unit=stranger.unit,
            tenant=occupancy.tenant,
            kind=FileKind.IN_BUSINESS,
            opened_on=date(2025, 3, 1),
            cabinet="A柜",
        )
    )
    assert (field, message) == (
        "unit",
        f"{occupancy.tenant} has never occupied {stranger.unit}: move them in first.",
    )
    assert TenantFile.objects.count() == 0


def test_only_the_desk_opens_files():
    occupancy = OccupancyFactory()
    for role in (Role.MANAGER, Role.FINANCE, Role.AUDITOR, Role.DEPARTMENT):
        with pytest.raises(PermissionDenied):
            tenant_file(occupancy, by=staff(role))
    assert TenantFile.objects.count() == 0


def test_the_catalogue_lists_every_missing_required_type_exactly():
    made = tenant_file()
    file_document(made, "lease")
    file_document(made, "id_copy")
    file_document(made, "receipt")  # not required: among the others
    catalogue = file_catalogue(made)
    assert [line.type.code for line in catalogue.lines] == IN_BUSINESS_REQUIRED
    assert [(line.type.code, line.present) for line in catalogue.lines] == [
        ("business_licence", False),
        ("id_copy", True),
        ("lease", True),
        ("move_in_form", False),
        ("emergency_contacts", False),
        ("tenant_register", False),
    ]
    assert [t.code for t in catalogue.missing] == [
        "business_licence",
        "move_in_form",
        "emergency_contacts",
        "tenant_register",
    ]
    assert [d.type.code for d in catalogue.others] == ["receipt"]
    assert file_list().get(pk=made.pk).missing == 4


def test_the_missing_count_follows_the_kind_and_the_active_types():
    decorating = tenant_file(kind=FileKind.DECORATING)
    for code in IN_BUSINESS_REQUIRED:
        file_document(decorating, code)
    assert [t.code for t in file_catalogue(decorating).missing] == ["decoration_application"]
    complete = tenant_file()
    for code in IN_BUSINESS_REQUIRED:
        file_document(complete, code)
    counts = dict(file_list().values_list("number", "missing"))
    assert counts == {decorating.number: 1, complete.number: 0}
    # The catalogue's change rewrites every file's stored count (archives.apps).
    retired = DocumentType.objects.get(code="decoration_application")
    retired.active = False
    retired.save()
    assert file_list().get(pk=decorating.pk).missing == 0
    assert file_catalogue(decorating).missing == []


def test_each_move_of_the_file_is_kept():
    made = tenant_file(cabinet="A柜", box="1盒")
    assistant = staff(Role.ASSISTANT)
    file_move(by=assistant, tenant_file=made, cabinet="B柜", box="3盒", reason="柜满")
    file_move(by=assistant, tenant_file=made, cabinet="C柜", box="", reason="")
    made.refresh_from_db()
    assert made.location == "C柜"
    moves = [
        (m.cabinet, m.box, m.reason)
        for m in FileLocation.objects.filter(file=made).order_by("moved_at", "pk")
    ]
    assert moves == [("A柜", "1盒", "opened"), ("B柜", "3盒", "柜满"), ("C柜", "", "")]
    assert refusal(lambda: file_move(by=assistant, tenant_file=made, cabinet="C柜", box="")) == (
        "cabinet",
        "The file is in this place already.",
    )
    assert refusal(lambda: file_move(by=assistant, tenant_file=made, cabinet=" ", box="")) == (
        "cabinet",
        "Say which cabinet holds it.",
    )
    with pytest.raises(PermissionDenied):
        file_move(by=staff(Role.AUDITOR), tenant_file=made, cabinet="D柜", box="")
    assert FileLocation.objects.filter(file=made).count() == 3


def test_retention_comes_from_the_type_and_is_never_shorter():
    made = tenant_file()
    assert file_document(made, "lease").retention_years == 30
    assert file_document(made, "emergency_contacts", retention_years=30).retention_years == 30
    assert file_document(made, "lease", permanent=True).retention_years is None
    assert refusal(lambda: file_document(made, "lease", retention_years=10)) == (
        "retention_years",
        "Lease is kept at least 30 years: a document of it cannot be kept less.",
    )
    assert refusal(lambda: file_document(made, "inspection_report", retention_years=30)) == (
        "retention_years",
        "Inspection report is kept permanently: a document of it cannot be kept for less.",
    )
    assert Document.objects.count() == 3


def test_a_confidential_type_makes_its_documents_confidential():
    made = tenant_file()
    assert file_document(made, "id_copy", confidential=False).confidential is True
    assert file_document(made, "lease").confidential is False
    assert file_document(made, "lease", confidential=True).confidential is True


def test_a_pdf_scan_is_stored_whole_with_the_sha256_of_the_stored_bytes():
    made = tenant_file()
    content = pdf_bytes(3)
    document = file_document(made, "lease", pages=None, upload=upload("../../租约.pdf", content))
    document.refresh_from_db()
    stored = document.scan.read()
    assert stored == content
    assert document.scan_sha256 == hashlib.sha256(stored).hexdigest()
    assert (document.pages, document.scan_size) == (3, len(content))
    assert document.scan.name.startswith("archives/scans/")
    assert document.scan.name.endswith(".pdf")
    assert "租约" not in document.scan.name and ".." not in document.scan.name


def test_an_image_scan_is_re_encoded_and_its_digest_is_of_the_png_stored():
    made = tenant_file()
    sent = png_bytes(size=(50, 40)) + b"<script>trailing</script>"
    document = file_document(made, "id_copy", upload=upload("id.png", sent, "image/png"))
    stored = document.scan.read()
    assert stored != sent and stored.startswith(b"\x89PNG")
    assert document.scan_sha256 == hashlib.sha256(stored).hexdigest()
    assert document.scan.name.endswith(".png")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.4\n<script>alert(1)</script>", "The file is not a PDF that can be opened."),
        (b"GIF89a not an image", "The file is not a JPEG or PNG image."),
    ],
)
def test_a_fake_scan_is_refused_and_nothing_is_filed(content, message, settings):
    made = tenant_file()
    field, said = refusal(lambda: file_document(made, "lease", upload=upload("x.pdf", content)))
    assert (field, said) == ("scan", message)
    assert Document.objects.count() == 0
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []


def test_pages_are_needed_without_a_pdf_to_count_them():
    made = tenant_file()
    assert refusal(lambda: file_document(made, "lease", pages=None)) == (
        "pages",
        "Give the number of pages (1 to 9999).",
    )


def test_only_the_desk_adds_documents():
    made = tenant_file()
    for role in (Role.MANAGER, Role.FINANCE, Role.AUDITOR, Role.DEPARTMENT):
        with pytest.raises(PermissionDenied):
            document_add(
                by=staff(role),
                tenant_file=made,
                doc_type=DocumentType.objects.get(code="lease"),
                title="租赁合同",
                dated_on=date(2025, 3, 1),
                pages=2,
            )
    assert Document.objects.count() == 0


def test_a_handed_over_occupancy_closes_its_file_as_moved_out():
    occupancy = OccupancyFactory()
    made = tenant_file(occupancy)
    occupancy.handed_over_on = date(2026, 5, 20)
    occupancy.save()
    marked = file_mark_moved_out(by=staff(Role.MANAGER), occupancy=occupancy)
    made.refresh_from_db()
    assert (marked.pk, made.kind, made.closed_on) == (
        made.pk,
        FileKind.MOVED_OUT,
        date(2026, 5, 20),
    )
    # Closed: the pair may open a new file, and a second mark finds no open one.
    assert file_mark_moved_out(by=staff(Role.MANAGER), occupancy=occupancy) is None
    assert made.history.first().history_change_reason.startswith("moved out")


def test_the_demo_fills_files_some_with_gaps():
    from archives.demo import build_files, build_register
    from archives.selectors import file_list

    build_register(units=6, tenants=6, contractors=0, seed=5, history=False)
    made = build_files(count=4, gaps=2, seed=5)
    missing = sorted(file_list().values_list("missing", flat=True))
    assert made == 4
    assert missing[:2] == [0, 0] and all(1 <= n <= 3 for n in missing[2:])
