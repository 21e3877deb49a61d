"""Reading never writes: every page a role can GET leaves every table as it was.

The URLs come from the URL configuration itself (a new page with parameters fails here
until it is given real objects), filled from a small data set built through the services.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from archives.models import CentreRecord
from archives.services import access_request_file, loan_lend
from archives.services.imports import import_check
from archives.services.inventory import inventory_start
from archives.services.records import notice_send, record_register, volume_open
from archives.services.retention import destruction_draw, hold_place
from attendance.enums import Presence
from attendance.models import MonthSignoff
from attendance.services.register import Entry as AttendanceEntry
from attendance.services.register import planned_entries, register_take
from config.demo import make_resident_id
from config.exporters import exporters
from config.models import ExportJob
from config.roles import Role
from deposits.services.moveouts import moveout_add_item, moveout_start
from fees.enums import PaymentMethod
from fees.models import Discrepancy, FeeType, Permit
from fees.services.books import book_register
from fees.services.charges import charge_bill
from fees.services.months import month_lock
from fees.services.permits import WorkerInput, permit_issue
from tests.archives.import_files import xlsx
from tests.factories.archives import (
    ContractorFactory,
    OccupancyFactory,
    closed_file,
    file_document,
    tenant_file,
)
from tests.factories.attendance import StaffFactory
from tests.factories.attendance_diary import diary_street
from tests.factories.complaints import CategoryFactory, case_in
from tests.factories.deposits import deposit_records
from tests.factories.fees import ExportJobFactory
from tests.factories.finance import build_month, issue
from tests.images import png_bytes
from tests.rows import row_counts

pytestmark = pytest.mark.django_db

# The deposits' URLs that take a record, and which record of deposit_records() each shows.
DEPOSIT_PAGES = {
    **{
        name: "application"
        for name in (
            "application_detail",
            "application_approve",
            "application_reject",
            "application_start",
            "application_extend",
            "application_close",
            "application_deposit_take",
            "application_permits",
            "application_permit_link",
            "application_inspect",
            "application_document_add",
        )
    },
    "application_document": "application_document",
    "inspection_photo": "inspection_photo",
    "violation_detail": "violation",
    "violation_resolve": "violation",
    "violation_photo": "violation_photo",
    "deposit_detail": "deposit",
    "deposit_forfeit": "deposit",
    "refund_prepare": "deposit",
    "deduction_photo": "deduction",
    "refund_detail": "refund",
    "refund_approve": "refund",
    "refund_return": "refund",
    "refund_pdf": "refund",
    "refund_pay": "approved_refund",
}
# A photo of a decoration or a violation is a recorded read: its GET writes its line of the
# access log (archives.AccessLog) and nothing else.
RECORDED_READS = ("inspection_photo", "violation_photo", "archives:document_scan")
# A tenant file refuses whoever is neither the centre's staff nor under a permission (查阅
# 登记), and logs the attempt: its 403 writes its line of the access log and nothing else.
RECORDED_REFUSALS = (
    "archives:file_detail",
    "archives:file_catalogue_pdf",
    "archives:document_scan",
)
# The admin's pages are Django's own; the project's pages are everything else.
SKIPPED_NAMESPACES = ("admin",)
# Reports without parameters, served at their own URLs as well as config's.
OWN_URL = {
    "charge_ageing_xlsx",
    "charge_ageing_pdf",
    "book_gaps_xlsx",
    "tenant_summary_xlsx",
    "register_import_template",
}


def routes() -> list[tuple[str, list[str]]]:
    """(URL name, its parameter names) of every named page of the project."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if inner not in SKIPPED_NAMESPACES:
                    walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, list(entry.pattern.converters)))

    walk(get_resolver().url_patterns, None)
    return sorted(set((name, tuple(params)) for name, params in found))


@dataclass
class Street:
    today: date
    locked: object  # tests.factories.finance.Month, locked by finance
    unlocked_day: date  # a date without any close row
    receipt: object
    permit: Permit
    charge: object
    book: object
    occupancy: object
    contractor: object
    job: ExportJob
    discrepancy: Discrepancy
    moveout: object  # an open shop handover, with a condition item and its photo
    deposits: dict  # URL arguments of each deposits page's record (deposit_records)
    case: object  # a case in progress at a department
    records: dict  # URL arguments of the centre's records' pages (_centre_records)
    register_import: object  # a checked file of the day-one import, with its report
    retained: dict = None  # URL arguments of the inventory's and retention's pages
    tenant_file: object = None  # a tenant file with a confidential document's scan
    access_request: object = None  # the department's request to read that file
    loan: object = None  # a centre record lent to the desk
    attendance: dict = None  # a member of staff, a day registered and amended, a signed month
    diary: dict = None  # URL arguments of the diary's, handovers' and tasks' pages


@pytest.fixture
def street(assistant, manager, finance, department, settings, tmp_path) -> Street:
    settings.MEDIA_ROOT = tmp_path / "media"
    month = build_month(assistant, manager, finance)  # handed over, with a discrepancy
    month_lock(by=finance, year=month.year, month=month.month)
    occupancy = OccupancyFactory()
    contractor = ContractorFactory()
    receipt = issue(assistant, ("permit_fee", "20", 1))
    _receipt, permits, _created = permit_issue(
        by=assistant,
        contractor=contractor,
        unit=occupancy.unit,
        workers=[
            WorkerInput(
                name="张垚",
                id_doc_type="resident_id",
                id_number=make_resident_id(random.Random(3)),
                phone="13800138000",
            )
        ],
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate() + timedelta(days=30),
        method=PaymentMethod.CASH,
        request_key=uuid.uuid4(),
    )
    charge = charge_bill(
        by=assistant,
        tenant=occupancy.tenant,
        unit=occupancy.unit,
        fee_type=FeeType.objects.get(code="waste_removal"),
        description="十一月垃圾清运",
        amount=Decimal("300.00"),
        billed_on=timezone.localdate(),
        due_on=timezone.localdate() + timedelta(days=15),
    )
    book = book_register(
        by=assistant,
        series="A",
        first_number=1,
        last_number=50,
        issued_to=assistant,
        issued_on=timezone.localdate(),
    )
    job = ExportJobFactory(
        params={"date_from": month.d1.isoformat(), "date_to": month.d3.isoformat()},
        requested_by=finance,
    )
    return Street(
        today=timezone.localdate(),
        locked=month,
        unlocked_day=month.d1 + timedelta(days=1),
        receipt=receipt,
        permit=permits[0],
        charge=charge,
        book=book,
        occupancy=occupancy,
        contractor=contractor,
        job=job,
        discrepancy=Discrepancy.objects.get(handover__day__business_date=month.d2),
        moveout=_moveout(assistant),
        case=case_in("in_progress", category=CategoryFactory(name="漏水")),
        deposits=deposit_records(assistant),
        records=(records := _centre_records(assistant, occupancy)),
        tenant_file=(made := _tenant_file(assistant)),
        access_request=access_request_file(
            by=department, tenant_file=made, purpose="核对图纸", days=2
        ),
        loan=loan_lend(
            by=assistant,
            item=CentreRecord.objects.get(pk=records["record"]["pk"]),
            borrower=assistant,
            due_on=timezone.localdate(),
        ),
        retained=_retained(assistant, manager),
        attendance=_attendance(assistant, manager),
        diary=diary_street(assistant, manager),
        register_import=import_check(
            content=xlsx([{"单元编号": "Z-1-01", "面积(m²)": 20}, {"单元编号": "Z-9-99"}]),
            file_name="业户.xlsx",
            by=manager,
        ),
    )


def _attendance(assistant, manager) -> dict:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    staff = StaffFactory(name="张三", joined_on=today - timedelta(days=400))
    register_take(by=assistant, day=yesterday, entries=planned_entries(yesterday), today=yesterday)
    amended = [AttendanceEntry(staff.pk, Presence.ABSENT)]
    register_take(by=assistant, day=yesterday, entries=amended, reason="未到岗")
    last_month = today.replace(day=1) - timedelta(days=1)
    MonthSignoff.objects.create(
        year=last_month.year, month=last_month.month, signed_by=manager, signed_at=timezone.now()
    )
    return {
        "staff": staff.pk,
        "shift": staff.shift_id,
        "day": yesterday,
        "months": [
            {"year": last_month.year, "month": last_month.month},
            {"year": today.year, "month": today.month},
        ],
    }


def _tenant_file(assistant):
    made = tenant_file(by=assistant)
    scan = SimpleUploadedFile("id.png", png_bytes(), "image/png")
    file_document(made, "id_copy", by=assistant, upload=scan)
    return made


def _retained(assistant, manager) -> dict:
    """A month's inventory check; a destruction list of a document past its retention; a
    hold on another document and one on a centre record."""
    today = timezone.localdate()
    run = inventory_start(by=assistant, year=today.year, month=today.month)
    old = closed_file(date(today.year - 20, 6, 30), by=assistant)
    file_document(old, "emergency_contacts", by=assistant)
    drawn = destruction_draw(by=assistant, review_due=today)
    held = file_document(old, "lease", by=assistant)
    hold = hold_place(by=manager, document=held, reason="audit", note="年度审计")
    record = record_register(by=assistant, kind="report", date=today, title="年报")
    return {
        "run": {"pk": run.pk},
        "item": {"pk": run.items.order_by("pk").first().pk},
        "list": {"pk": drawn.pk},
        "hold": {"pk": hold.pk},
        "document": {"pk": held.pk},
        "record": {"pk": record.pk},
    }


def _centre_records(assistant, occupancy) -> dict:
    """A volume holding a report with its scan; a notice sent to the occupancy's unit."""
    today = timezone.localdate()
    volume = volume_open(by=assistant, year=today.year, title="收发文", retention="30y")
    scan = SimpleUploadedFile("scan.png", png_bytes(), "image/png")
    report = record_register(
        by=assistant, kind="report", date=today, title="月度报告", volume=volume, scan=scan
    )
    notice = record_register(by=assistant, kind="notice", date=today, title="停水通知")
    (delivery,) = notice_send(notice=notice, units=[occupancy.unit], by=assistant)
    return {
        "record": {"pk": report.pk},
        "notice": {"pk": notice.pk},
        "delivery": {"pk": delivery.pk},
        "volume": {"pk": volume.pk},
    }


def _moveout(assistant):
    moveout = moveout_start(
        by=assistant,
        occupancy=OccupancyFactory(),
        planned_on=timezone.localdate(),
        keys_issued=2,
        late_daily_fee="0",
    )
    photo = SimpleUploadedFile("wall.png", png_bytes(), "image/png")
    moveout_add_item(by=assistant, moveout=moveout, description="墙面污损", price="0", photo=photo)
    return moveout


def parameters(s: Street) -> dict[str, list[dict]]:
    """Real values for every URL that takes parameters (several where the page differs)."""
    days = [s.today, s.locked.d2, s.unlocked_day]  # open, handed over, no row at all
    month = {"year": s.locked.year, "month": s.locked.month}
    this_month = {"year": s.today.year, "month": s.today.month}
    receipt = [{"pk": s.receipt.pk}]
    return {
        # Every registered report's form; those without parameters are files that the
        # pages' own URLs (fees:charge_ageing_pdf ...) already fetch for every role.
        "export": [{"name": item.name} for item in exporters() if item.name not in OWN_URL],
        "verify_receipt": [{"token": s.receipt.token}],
        "archives:unit_detail": [{"pk": s.occupancy.unit.pk}],
        "archives:unit_update": [{"pk": s.occupancy.unit.pk}],
        "archives:tenant_detail": [{"pk": s.occupancy.tenant.pk}],
        "archives:tenant_update": [{"pk": s.occupancy.tenant.pk}],
        "archives:tenant_move_in": [{"pk": s.occupancy.tenant.pk}],
        "archives:tenant_verify": [{"pk": s.occupancy.tenant.pk}],
        "archives:tenant_id_number": [{"pk": s.occupancy.tenant.pk}],
        "archives:occupancy_detail": [{"pk": s.occupancy.pk}],
        **{
            f"archives:{name}": [s.records[record]]
            for name, record in (
                ("record_detail", "record"),
                ("record_file", "record"),
                ("record_scan", "record"),
                ("notice_delivery", "notice"),
                ("notice_send", "notice"),
                ("delivery_sign", "delivery"),
                ("volume_detail", "volume"),
                ("volume_update", "volume"),
                ("volume_close", "volume"),
                ("volume_catalogue_pdf", "volume"),
            )
        },
        "archives:contractor_detail": [{"pk": s.contractor.pk}],
        "archives:contractor_update": [{"pk": s.contractor.pk}],
        "archives:import_detail": [{"pk": s.register_import.pk}],
        "archives:import_confirm": [{"pk": s.register_import.pk}],
        "fees:receipt_detail": receipt + [{"pk": s.locked.receipts["V1"].pk}],
        "fees:receipt_print": receipt,
        "fees:receipt_request_void": receipt,
        "fees:receipt_approve_void": receipt,
        "fees:receipt_reject_void": receipt,
        "fees:receipt_reverse": receipt,
        **{
            f"fees:{name}": [{"day": d.isoformat()} for d in days]
            for name in (
                "day_detail",
                "day_count",
                "day_submit",
                "day_approve",
                "day_return",
                "day_handover",
                "handover_slip",
            )
        },
        "fees:discrepancy_sign_off": [{"pk": s.discrepancy.pk}],
        "deposits:moveout_start": [{"occupancy_pk": s.occupancy.pk}],
        **{
            f"deposits:{name}": [{"pk": s.moveout.pk}]
            for name in (
                "moveout_detail",
                "moveout_keys",
                "moveout_reading",
                "moveout_item",
                "moveout_condition",
                "moveout_late_days",
                "moveout_complete",
                "moveout_cancel",
                "moveout_pdf",
            )
        },
        "deposits:moveout_item_photo": [{"pk": s.moveout.items.get().pk}],
        **{
            f"archives:{name}": [{"pk": s.tenant_file.pk}]
            for name in ("file_detail", "file_move", "document_add", "file_catalogue_pdf")
        },
        **{
            f"archives:{name}": [{"pk": s.access_request.pk}]
            for name in (
                "access_request_detail",
                "access_request_approve",
                "access_request_refuse",
            )
        },
        **{f"archives:{name}": [{"pk": s.loan.pk}] for name in ("loan_detail", "loan_return")},
        "archives:document_lend": [{"pk": s.tenant_file.documents.get().pk}],
        "archives:record_lend": [s.records["record"]],
        "archives:tenant_verify_edit": [{"pk": s.occupancy.tenant.pk}],
        "archives:file_open": [{"occupancy_pk": s.occupancy.pk}],
        **{
            f"archives:{name}": [s.retained[key]]
            for name, key in (
                ("inventory_detail", "run"),
                ("inventory_mark_page", "run"),
                ("inventory_complete", "run"),
                ("inventory_report", "run"),
                ("inventory_report_pdf", "run"),
                ("inventory_mark", "item"),
                ("destruction_detail", "list"),
                ("destruction_approve", "list"),
                ("destruction_review", "list"),
                ("destruction_reject", "list"),
                ("destruction_record", "list"),
                ("destruction_pdf", "list"),
                ("hold_lift", "hold"),
                ("hold_place_document", "document"),
                ("hold_place_record", "record"),
            )
        },
        "archives:document_scan": [{"pk": s.tenant_file.documents.get().pk}],
        **{
            f"complaints:{name}": [{"pk": s.case.pk}]
            for name in (
                "case_detail",
                "case_assign",
                "case_reassign",
                "case_start",
                "case_wait",
                "case_resume",
                "case_update",
                "case_resolve",
                "case_close",
                "case_callback",
                "case_work_order",
            )
        },
        **{
            f"complaints:{name}": [{"pk": s.case.department_id}]
            for name in (
                "department_update",
                "department_deactivate",
                "department_activate",
            )
        },
        **{
            f"complaints:{name}": [{"pk": s.case.category_id}]
            for name in ("category_update", "category_deactivate", "category_activate")
        },
        **{f"deposits:{name}": [s.deposits[record]] for name, record in DEPOSIT_PAGES.items()},
        **{
            f"fees:{name}": [{"pk": s.permit.pk}]
            for name in (
                "permit_detail",
                "permit_return",
                "permit_lost",
                "permit_photo",
                "permit_id_number",
            )
        },
        **{
            f"attendance:{name}": [{"pk": s.attendance["staff"]}]
            for name in ("staff_update", "staff_leave")
        },
        "attendance:shift_update": [{"pk": s.attendance["shift"]}],
        **{
            f"attendance:{name}": s.attendance["months"]
            for name in ("month_sheet", "month_xlsx", "month_pdf", "month_sign")
        },
        "fees:permit_card": [{"pk": s.permit.pk}],
        "fees:permit_batch": [{"receipt_pk": s.permit.receipt_id}],
        "fees:permit_receipt_cards": [{"receipt_pk": s.permit.receipt_id}],
        "fees:charge_detail": [{"pk": s.charge.pk}],
        "fees:charge_cancel": [{"pk": s.charge.pk}],
        "fees:dunning_note_add": [{"pk": s.charge.pk}],
        "fees:tenant_statement": [{"tenant_pk": s.occupancy.tenant.pk}],
        "fees:book_detail": [{"pk": s.book.pk}],
        "fees:book_return": [{"pk": s.book.pk}],
        "fees:book_transcribe": [{"pk": s.book.pk, "number": 1}],
        "fees:book_spoil": [{"pk": s.book.pk, "number": 2}],
        **{
            f"fees:{name}": [month, this_month]
            for name in (
                "finance_month",
                "finance_month_xlsx",
                "finance_month_pdf",
                "finance_month_lock",
            )
        },
        **{
            f"fees:{name}": [{"pk": s.job.pk}]
            for name in ("export_detail", "export_progress", "export_download")
        },
        **{
            f"attendance:{name}": [s.diary[record]]
            for name, record in (
                ("diary_detail", "diary"),
                ("diary_update", "diary"),
                ("handover_update", "handover"),
                ("handover_submit", "handover"),
                ("handover_acknowledge_all", "submitted_handover"),
                ("handover_item_answer", "handover_item"),
                ("task_detail", "task"),
                ("task_complete", "task"),
            )
        },
        # The desk's draft (with the preview of the open work) and one submitted to it.
        "attendance:handover_detail": [
            s.diary["handover"],
            s.diary["submitted_handover"],
        ],
    }


def queries(s: Street) -> dict[str, str]:
    """Query strings that make a page show its results (a search, a period)."""
    period = f"?date_from={s.locked.d1.isoformat()}&date_to={s.today.isoformat()}"
    # The period's files are built for each role that may download them: keep it short.
    today = f"?date_from={s.today.isoformat()}&date_to={s.today.isoformat()}"
    return {
        "search": f"?q={s.occupancy.unit.code}",
        "complaints:case_create": f"?unit={s.occupancy.unit.code}",
        "complaints:case_list": "?show=due_soon&q=漏水",
        "fees:receipt_list": period,
        "fees:finance_index": f"?year={s.locked.year}",
        "fees:finance_period": period,
        "fees:chain_verify": period,
        "fees:finance_period_xlsx": today,
        "fees:finance_period_pdf": today,
        "complaints:statistics": f"?month={s.today:%Y-%m}",
        "attendance:register": f"?day={s.attendance['day'].isoformat()}",
    }


def every_get_url(s: Street) -> list[tuple[str, str]]:
    values, extra = parameters(s), queries(s)
    urls = []
    for name, params in routes():
        if params and name not in values:
            pytest.fail(f"{name} takes {params}: give it real objects in parameters()")
        for kwargs in values.get(name, [{}]):
            urls.append((name, reverse(name, kwargs=kwargs) + extra.get(name, "")))
    return urls


@pytest.fixture
def reader(request, make_user):
    """The user of a role (None for anonymous); the street's own users where it has them."""
    role = request.param
    if role == "anonymous":
        return None
    if role == "admin":
        return make_user("admin", Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    return request.getfixturevalue(role)


# What each role's requests answer at least: the check below reached pages and refusals.
ANSWERED = {
    "anonymous": {302},
    "assistant": {200, 403},
    "manager": {200, 403},
    "finance": {200, 403},
    "auditor": {200, 403},
    "department": {200, 403},
    "admin": {200},
}


# A test a role, so that the two workers share the roles' requests (some 700 each).
@pytest.mark.slow
@pytest.mark.parametrize("reader", list(ANSWERED), indirect=True)
def test_no_get_of_any_role_writes_a_row(street, reader, request, client):
    urls = every_get_url(street)
    assert len(urls) > 100
    if reader is not None:
        client.force_login(reader)  # the login's own rows are written before counting
    written, answered = [], set()
    before = row_counts()
    for name, url in urls:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        after = row_counts()
        answered.add(response.status_code)
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if name.removeprefix("deposits:") in RECORDED_READS and response.status_code == 200:
            changed.pop("archives_accesslog", None)
        if name in RECORDED_REFUSALS and response.status_code == 403:
            changed.pop("archives_accesslog", None)
        if changed:
            written.append(f"GET {url}: {changed}")
        before = after  # only the request ran since the last count
    assert written == []
    assert ANSWERED[request.node.callspec.id] <= answered
