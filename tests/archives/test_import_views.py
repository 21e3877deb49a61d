"""The import's pages: the template, upload and check, the report, the confirmation, roles."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from archives.models import ImportStatus, RegisterImport, Tenant, Unit
from archives.services.imports import COLUMNS, ID_NUMBER, PHONE
from tests.archives.import_files import xlsx
from tests.archives.test_import_services import company_row, person_row

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, content: bytes, name="业户.xlsx"):
    return client.post(
        reverse("archives:import_upload"), {"file": SimpleUploadedFile(name, content, XLSX)}
    )


def test_the_template_downloads_and_its_filled_copy_imports_clean(client_as, manager):
    client = client_as(manager)
    response = client.get(reverse("archives:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [cell.value for cell in ws[1]] == list(COLUMNS)
    assert ws.freeze_panes == "A2"
    assert wb.sheetnames == ["业户", "填写说明"]
    # The identifiers' columns are text, so Excel keeps 18 digits whole.
    assert ws.cell(2, COLUMNS.index(ID_NUMBER) + 1).number_format == "@"

    # The empty template checks clean, with nothing to import.
    empty = upload(client, response.content)
    assert empty.status_code == 302
    checked = RegisterImport.objects.get()
    assert (checked.status, checked.rows, checked.rejected) == (ImportStatus.CHECKED, 0, 0)

    # Filled in (below its headers, in its text columns), it imports clean.
    for row in (company_row(), person_row()):
        ws.append([row.get(header) for header in COLUMNS])
    buffer = io.BytesIO()
    wb.save(buffer)
    filled = upload(client, buffer.getvalue(), name="filled.xlsx")
    register_import = RegisterImport.objects.get(file_name="filled.xlsx")
    assert filled["Location"] == register_import.get_absolute_url()
    assert (register_import.status, register_import.rows, register_import.rejected) == (
        ImportStatus.CHECKED,
        2,
        0,
    )
    page = client.get(register_import.get_absolute_url())
    assert page.status_code == 200
    assert 'id="import-confirm"' in page.content.decode()

    done = client.post(
        reverse("archives:import_confirm", args=[register_import.pk]),
        {"sha256": register_import.sha256},
        follow=True,
    )
    assert "Imported filled.xlsx: 2 rows." in done.content.decode()
    assert (Unit.objects.count(), Tenant.objects.count()) == (2, 2)


def test_the_report_lists_each_bad_row_and_offers_no_import(client_as, manager):
    client = client_as(manager)
    upload(client, xlsx([company_row(), person_row(**{PHONE: "12345"})]))
    register_import = RegisterImport.objects.get()

    page = client.get(register_import.get_absolute_url()).content.decode()

    assert 'id="import-refused"' in page
    assert 'id="import-confirm"' not in page
    assert "A mainland mobile number has 11 digits; this one has 5." in page
    assert '<tr class="table-danger" id="import-row-3">' in page
    assert '<tr id="import-row-2">' in page
    # Posting the confirmation anyway imports nothing.
    response = client.post(
        reverse("archives:import_confirm", args=[register_import.pk]),
        {"sha256": register_import.sha256},
        follow=True,
    )
    assert (
        "Rows of this file were rejected: correct the file and check it again."
        in response.content.decode()
    )
    assert (Unit.objects.count(), Tenant.objects.count()) == (0, 0)


def test_the_confirmation_refuses_another_files_digest(client_as, manager):
    client = client_as(manager)
    upload(client, xlsx([company_row()]))
    register_import = RegisterImport.objects.get()

    response = client.post(
        reverse("archives:import_confirm", args=[register_import.pk]),
        {"sha256": "0" * 64},
        follow=True,
    )

    assert "This is not the file that was checked" in response.content.decode()
    assert Tenant.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.pdf", b"%PDF-1.4", "Only an Excel workbook (.xlsx) is accepted"),
        ("list.xlsx", b"name,phone\n", "The file is not an Excel workbook (.xlsx)"),
        ("list.xlsx", xlsx([], headers=["名称"]), "The first row must hold the template's"),
    ],
)
def test_a_file_that_is_not_excel_is_refused_next_to_the_field(
    client_as, manager, name, content, message
):
    response = upload(client_as(manager), content, name=name)

    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert 'id="id_file_error"' in response.content.decode()
    assert RegisterImport.objects.count() == 0


def test_a_file_too_large_is_refused(client_as, manager, monkeypatch):
    monkeypatch.setattr("archives.forms.imports.MAX_BYTES", 10)
    response = upload(client_as(manager), xlsx([company_row()]))

    assert response.context["form"].errors["file"][0].startswith("The file is ")
    assert RegisterImport.objects.count() == 0


@pytest.mark.parametrize("role", ["assistant", "finance", "auditor", "department", "administrator"])
def test_other_roles_may_not_import(login, manager, role):
    register_import = RegisterImport.objects.create(
        file_name="x.xlsx", content=b"", sha256="0" * 64, checked_by=manager
    )
    client = login(role)

    assert client.get(reverse("archives:import_upload")).status_code == 403
    assert upload(client, xlsx([company_row()])).status_code == 403
    assert client.get(reverse("archives:import_template")).status_code == 403
    assert client.get(register_import.get_absolute_url()).status_code == 403
    confirm = reverse("archives:import_confirm", args=[register_import.pk])
    assert client.post(confirm, {"sha256": "0" * 64}).status_code == 403
    assert RegisterImport.objects.count() == 1


def test_the_upload_page_lists_recent_imports(client_as, manager):
    client = client_as(manager)
    upload(client, xlsx([company_row()]), name="first.xlsx")

    page = client.get(reverse("archives:import_upload"))

    assert page.status_code == 200
    assert "first.xlsx" in page.content.decode()


def test_an_upload_without_a_file_says_so_next_to_the_field(client_as, manager):
    response = client_as(manager).post(reverse("archives:import_upload"), {})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["This field is required."]
    assert RegisterImport.objects.count() == 0
