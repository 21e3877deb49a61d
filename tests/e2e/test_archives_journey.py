"""The archives' journey in Chromium (issue #11), through the pages as the desk, the
manager and the engineering department use them: a tenant file opened and a scan filed,
another department refused until the manager approves its request (查阅登记), its reads
then logged, a document lent and taken back, and a tenant list imported from Excel (a
dry run's report first, then the import).

The database only sets up the register (one occupancy) and checks exact values;
everything else is typed and clicked.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from archives.models import (
    AccessKind,
    AccessLog,
    AccessRequest,
    AccessStatus,
    Document,
    DocumentType,
    ImportStatus,
    Loan,
    RegisterImport,
    Tenant,
    TenantFile,
    Unit,
)
from config.people import person_name
from tests.archives.import_files import xlsx
from tests.archives.test_import_services import company_row, person_row
from tests.e2e import audit
from tests.e2e.audit import login, navigate, submit, visit
from tests.factories.archives import OccupancyFactory, UnitFactory

pytestmark = pytest.mark.e2e


def scan_file(tmp_path) -> str:
    """A photographed ID copy (a real PNG, so that the upload's decoder accepts it)."""
    path = tmp_path / "id-copy.png"
    image = Image.new("RGB", (300, 190), "white")
    for x in range(20, 280):
        image.putpixel((x, 60), (0, 0, 0))
        image.putpixel((x, 120), (0, 0, 0))
    image.save(path, format="PNG")
    return str(path)


def file_document(page, code: str, title: str, *, scan: str | None = None) -> None:
    """File a document of the catalogue's type ``code`` from the file's page."""
    navigate(page, lambda: page.click("main a[href$='/documents/new/']"))
    page.select_option("#id_doc_type", str(DocumentType.objects.get(code=code).pk))
    page.fill("#id_title", title)
    page.fill("#id_dated_on", timezone.localdate().isoformat())
    page.fill("#id_pages", "2")
    if scan:
        page.set_input_files("#id_scan", scan)
    submit(page)


def test_file_access_loan_and_import(page, staff, second_page, tmp_path):
    today = timezone.localdate()
    occupancy = OccupancyFactory(unit=UnitFactory(code="C-1-08"))
    desk, manager = staff["assistant"], staff["manager"]

    # The desk opens the tenant's file from the tenant's page.
    login(page, "assistant")
    visit(page, occupancy.tenant.get_absolute_url())
    navigate(page, lambda: page.click(f"main a[href$='/files/open/{occupancy.pk}/']"))
    page.select_option("#id_kind", "in_business")
    page.fill("#id_cabinet", "C区1号柜")
    page.fill("#id_box", "3号盒")
    submit(page)
    tenant_file = TenantFile.objects.get()
    assert page.url.endswith(f"/archives/files/{tenant_file.pk}/")
    assert (tenant_file.unit, tenant_file.tenant, tenant_file.location) == (
        occupancy.unit,
        occupancy.tenant,
        "C区1号柜 / 3号盒",
    )
    expect(page.locator("#file-missing li")).to_have_count(6)

    # It files the tenant's ID copy with its scan, and the move-in form on paper.
    file_document(page, "id_copy", "身份证复印件（法人）", scan=scan_file(tmp_path))
    file_document(page, "move_in_form", "入驻登记表")
    id_copy = Document.objects.get(type__code="id_copy")
    move_in_form = Document.objects.get(type__code="move_in_form")
    assert (id_copy.confidential, len(id_copy.scan_sha256), move_in_form.scan.name) == (
        True,
        64,
        "",
    )
    assert page.url.endswith(tenant_file.get_absolute_url())
    expect(page.locator("#file-documents tbody tr")).to_have_count(2)
    expect(page.locator("#file-missing li")).to_have_count(4)
    page.screenshot(path=str(audit.SCREENSHOT_DIR / "archives_file_desk.png"), full_page=True)

    # The engineering department may not see the file: 403, nothing of it, and logged.
    engineering = second_page("engineering")
    refused = engineering.goto(tenant_file.get_absolute_url())
    assert refused.status == 403
    expect(engineering.locator("body")).not_to_contain_text(tenant_file.number)
    expect(engineering.locator("body")).not_to_contain_text(occupancy.tenant.name)

    # It asks for three days' access, and is still refused while the request waits.
    visit(engineering, f"/archives/access/new/?file={tenant_file.pk}")
    expect(engineering.locator("#id_file_number")).to_have_value(tenant_file.number)
    engineering.fill("#id_purpose", "核对店铺电气改造图纸")
    engineering.fill("#id_days", "3")
    submit(engineering)
    access_request = AccessRequest.objects.get()
    assert access_request.status == AccessStatus.PENDING
    assert engineering.goto(tenant_file.get_absolute_url()).status == 403

    # The manager approves it, naming who accompanies the reader.
    boss = second_page("manager")
    visit(boss, access_request.get_absolute_url())
    navigate(boss, lambda: boss.click("main a[href$='/approve/']"))
    boss.select_option("#id_accompanied_by", label=person_name(desk))
    submit(boss)
    access_request.refresh_from_db()
    assert (
        access_request.status,
        access_request.decided_by,
        access_request.accompanied_by,
        access_request.starts_on,
        access_request.ends_on,
    ) == (AccessStatus.APPROVED, manager, desk, today, today + timedelta(days=2))

    # Now the department reads the file from its request and downloads the scan.
    visit(engineering, access_request.get_absolute_url())
    navigate(engineering, lambda: engineering.click("#read-file"))
    assert engineering.url.endswith(tenant_file.get_absolute_url())
    expect(engineering.locator("#file-permission")).to_contain_text(person_name(desk))
    expect(engineering.locator("#file-documents tbody tr")).to_have_count(2)
    engineering.screenshot(
        path=str(audit.SCREENSHOT_DIR / "archives_file_under_permission.png"), full_page=True
    )
    with engineering.expect_download() as download:
        engineering.click("#file-documents a[href$='/scan/']")
    assert download.value.suggested_filename.endswith(".png")

    # Each read is in the access log, with the two refusals before.
    reads = AccessLog.objects.filter(file=tenant_file).order_by("at", "pk")
    assert [(r.user, r.kind, r.document, r.access_request) for r in reads] == [
        (staff["engineering"], AccessKind.REFUSED, None, None),
        (staff["engineering"], AccessKind.REFUSED, None, None),
        (staff["engineering"], AccessKind.FILE, None, access_request),
        (staff["engineering"], AccessKind.SCAN, id_copy, access_request),
    ]
    visit(boss, f"/archives/access-log/?file={tenant_file.number}")
    rows = boss.locator("main table tbody tr")
    expect(rows).to_have_count(4)
    # The desk's language is Chinese unless the user switches.
    expect(rows.first).to_contain_text("下载了保密文件")
    expect(rows.nth(1)).to_contain_text("凭查阅登记查看档案")
    expect(rows.nth(2)).to_contain_text("无查阅许可，拒绝查看档案")

    # The desk lends the move-in form for a week and takes it back intact.
    visit(page, tenant_file.get_absolute_url())
    navigate(page, lambda: page.click(f"a[href$='/files/documents/{move_in_form.pk}/lend/']"))
    page.select_option("#id_borrower", label=person_name(manager))
    page.fill("#id_due_on", (today + timedelta(days=7)).isoformat())
    page.fill("#id_purpose", "核对入驻日期")
    submit(page)
    loan = Loan.objects.get()
    assert (loan.document, loan.borrower, loan.lent_by, loan.due_on, loan.is_open) == (
        move_in_form,
        manager,
        desk,
        today + timedelta(days=7),
        True,
    )
    visit(page, tenant_file.get_absolute_url())
    expect(page.locator("#file-documents")).to_contain_text(f"借给 {person_name(manager)}")
    visit(page, loan.get_absolute_url())
    navigate(page, lambda: page.click("main a[href$='/return/']"))
    page.check("input[name=condition][value=intact]")
    submit(page)
    loan.refresh_from_db()
    assert (loan.returned_on, loan.received_by, loan.condition) == (today, desk, "intact")
    expect(page.locator("#loan-returned")).to_contain_text(today.isoformat())

    # The manager imports a centre's tenant list: the dry run's report, then the import.
    workbook = tmp_path / "业户.xlsx"
    workbook.write_bytes(xlsx([company_row(), person_row()]))
    units_before, tenants_before = Unit.objects.count(), Tenant.objects.count()
    visit(boss, "/archives/imports/")
    boss.set_input_files("#id_file", str(workbook))
    submit(boss, "#import-check")
    checked = RegisterImport.objects.get()
    assert (checked.status, checked.rows, checked.rejected) == (ImportStatus.CHECKED, 2, 0)
    expect(boss.locator("#import-report tbody tr")).to_have_count(2)
    assert (Unit.objects.count(), Tenant.objects.count()) == (units_before, tenants_before)
    submit(boss, "#import-confirm")
    checked.refresh_from_db()
    assert checked.status == ImportStatus.IMPORTED
    expect(boss.locator("#import-status")).to_have_text("已导入")
    assert set(Unit.objects.values_list("code", flat=True)) == {"C-1-08", "A-1-05", "A-1-06"}
    assert Tenant.objects.filter(name__in=["福州好味餐饮有限公司", "陈大文"]).count() == 2
