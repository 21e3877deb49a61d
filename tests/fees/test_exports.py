"""The audit pack (fees.exporters), its background jobs (config.jobs) and pages
(fees.views.exports)."""

import base64
import hashlib
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from config import jobs
from config.exporters import Period
from config.models import ExportJob, JobStatus
from config.permanence import maintenance
from config.roles import Role
from fees.chain import chain_series
from fees.enums import PayerKind
from fees.exporters import audit_pack as pack_exporter
from fees.exporters import days as day_exporters
from fees.exporters import receipts as receipt_exporters
from fees.exporters.audit_pack import audit_pack
from fees.models import DailyClose, FeeType, Receipt
from fees.qr import qr_data_uri
from fees.services import days
from fees.services.receipts import (
    LineInput,
    Payer,
    receipt_issue,
    receipt_request_void,
    receipt_reverse,
)
from tests.factories.fees import ExportJobFactory
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
BASE_URL = "https://desk.example.cn/"
STAFF = (Role.ASSISTANT, Role.MANAGER, Role.FINANCE)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The receipts' QR codes open the centre's public address (no centre row: the default).
    settings.CENTRE_PUBLIC_URL = BASE_URL.rstrip("/")


def fee(code):
    return FeeType.objects.get(code=code)


def issue(by, lines, method="cash", reference=""):
    receipt, _created = receipt_issue(
        by=by,
        payer=Payer(kind=PayerKind.PERSON, name="王师傅"),
        lines=lines,
        method=method,
        reference=reference,
    )
    return receipt


def permit_lines():
    return [
        LineInput(fee_type=fee("permit_fee"), unit_price=D("20.00")),
        LineInput(fee_type=fee("card_fee"), unit_price=D("10.00")),
    ]


def build_books(assistant, manager, finance):
    """Yesterday: an issued receipt (30.00 cash), a void one (30.00 cash, voided by the
    manager) and a WeChat one with a discount (80.00); the day counted, approved and handed
    over to finance. Today: the manager's reversal of the first receipt (-30.00), the day
    still open."""
    manager.first_name = "王建国"
    manager.save()
    assistant.first_name = "李晓敏"
    assistant.save()
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    kept = issue(assistant, permit_lines())
    void = issue(assistant, permit_lines())
    wechat = issue(
        assistant,
        [
            LineInput(
                fee_type=fee("permit_fee"),
                unit_price=D("100.00"),
                discount=D("20.00"),
                discount_reason="老客户",
            )
        ],
        method="wechat",
        reference="WX-0001",
    )
    receipt_request_void(receipt=void, by=assistant, reason="开错金额")
    # Through the page, so that the history records who approved (as it does at the desk).
    as_manager = Client()
    as_manager.force_login(manager)
    as_manager.post(reverse("fees:receipt_approve_void", args=[void.pk]))
    # The services issue on today's date: move the day back, as if it were yesterday's.
    with maintenance():  # a receipt's and a day's dates are fixed once written
        Receipt.objects.update(business_date=yesterday)
        chain_series(Receipt, year=today.year)  # as if they had been issued yesterday
        DailyClose.objects.filter(business_date=today).update(business_date=yesterday)
    day = DailyClose.objects.get(business_date=yesterday)
    day = days.day_record_count(
        day=day, by=assistant, cash_count={D("10"): 3}, non_cash={"wechat": D("80.00")}
    )
    day = days.day_submit(day=day, by=assistant, explanations={})
    day = days.day_approve(day=day, by=manager)
    as_finance = Client()
    as_finance.force_login(finance)
    as_finance.post(
        reverse("fees:day_handover", args=[yesterday.isoformat()]),
        {"cash_received": "30.00", "bag_number": "BAG-77"},
    )
    reversal = receipt_reverse(receipt=kept, by=manager, reason="重复收费")
    for receipt in (kept, void, wechat, reversal):
        receipt.refresh_from_db()
    return {
        "period": (yesterday, today),
        "kept": kept,
        "void": void,
        "wechat": wechat,
        "reversal": reversal,
        "by": finance,
    }


@pytest.fixture
def books(assistant, manager, finance):
    return build_books(assistant, manager, finance)


@pytest.fixture(scope="module")
def packed(django_db_setup, django_db_blocker):
    """(books, pack, progress reports): the pack of ``books`` built once for the tests that
    only read it. Its rows are rolled back at once; those tests read the ZIP, the receipts'
    numbers and what the build reported."""
    with (
        django_db_blocker.unblock(),
        override_settings(CENTRE_PUBLIC_URL=BASE_URL.rstrip("/")),
        translation.override("en"),
        transaction.atomic(),
    ):
        books = build_books(*(UserFactory(username=role, roles=[role]) for role in STAFF))
        date_from, date_to = books["period"]
        reports = []
        content = audit_pack(
            date_from, date_to, by=books["by"], progress=lambda p, m: reports.append((p, m))
        )
        transaction.set_rollback(True)
    return books, zipfile.ZipFile(io.BytesIO(content)), reports


@pytest.fixture
def pack(packed):
    return packed[1]


def statement_names(date_from, date_to):
    return [
        f"statement_{year}-{month:02d}.{kind}"
        for year, month in Period(date_from, date_to).months
        for kind in ("pdf", "xlsx")
    ]


def pdf_pages(pack, name):
    return [page.extract_text() for page in PdfReader(io.BytesIO(pack.read(name))).pages]


# --- the pack ----------------------------------------------------------------------------


def test_the_zip_holds_every_part(pack, packed):
    books = packed[0]
    assert sorted(pack.namelist()) == sorted(
        [
            "daily_closes.xlsx",
            # deposits' section, registered with the pack (deposits.exporters.refunds)
            "deposit_refunds.xlsx",
            "handover_slips.pdf",
            "history.xlsx",
            "manifest.txt",
            "receipts.pdf",
            "receipts.xlsx",
            "receipt_chain.txt",
            *statement_names(*books["period"]),
        ]
    )


def test_receipts_pdf_has_one_page_per_receipt_void_and_reversal_marked(pack, packed):
    books = packed[0]
    pages = pdf_pages(pack, "receipts.pdf")
    numbers = [books[k].number for k in ("kept", "void", "wechat", "reversal")]
    assert len(pages) == 4
    # In number order, each page one receipt, counted across the whole pack.
    for index, (text, number) in enumerate(zip(pages, numbers, strict=True), start=1):
        assert f"编号：{number}" in text
        assert f"第 {index} 张 / 共 4 张" in text
    kept, void, wechat, reversal = pages
    assert "作废" in void and "¥30.00" in void
    assert "作废" not in kept
    assert f"已红冲：{books['reversal'].number}" in kept
    assert "收 据 （ 红 冲 ）" in reversal  # the heading is letter-spaced
    assert f"冲销原收据：{books['kept'].number}" in reversal
    assert "-¥30.00" in reversal
    assert "¥80.00" in wechat and "优惠原因：老客户" in wechat


@pytest.mark.slow
def test_parts_are_joined_into_one_document(books, monkeypatch):
    # Two receipts and one slip a WeasyPrint document: the parts make one PDF each.
    monkeypatch.setattr(receipt_exporters, "RECEIPT_PART", 2)
    monkeypatch.setattr(day_exporters, "SLIP_PART", 1)
    content = audit_pack(*books["period"])
    pack = zipfile.ZipFile(io.BytesIO(content))
    reader = PdfReader(io.BytesIO(pack.read("receipts.pdf")), strict=True)
    assert reader.metadata.title == f"步行街客户服务中心 收据 {Period(*books['period']).label}"
    texts = [page.extract_text() for page in reader.pages]
    assert [f"第 {n} 张 / 共 4 张" in text for n, text in enumerate(texts, start=1)] == [True] * 4
    assert [books[k].number in texts[i] for i, k in enumerate(["kept", "void", "wechat"])] == [
        True
    ] * 3
    assert len(PdfReader(io.BytesIO(pack.read("handover_slips.pdf")), strict=True).pages) == 1


@pytest.mark.slow
def test_a_receipt_waiting_for_its_void_is_stamped_alone(books, assistant):
    # Stamps are laid out for the stamped receipts only (fees.exporters.receipts): each
    # lands on its own receipt's page, and a page without one carries none.
    waiting = issue(assistant, permit_lines())
    receipt_request_void(receipt=waiting, by=assistant, reason="开错项目")
    content = audit_pack(*books["period"])
    pack = zipfile.ZipFile(io.BytesIO(content))
    pages = pdf_pages(pack, "receipts.pdf")
    assert len(pages) == 5
    assert ["作废待批" in text for text in pages] == [False, False, False, False, True]
    assert ["作废 VOID" in text for text in pages] == [False, True, False, False, False]
    assert [f"已红冲：{books['reversal'].number}" in text for text in pages] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert f"编号：{waiting.number}" in pages[4] and "第 5 张 / 共 5 张" in pages[4]


def qr_pixels(image) -> bytes:
    return image.convert("L").tobytes()


def test_receipts_carry_the_qr_of_their_verification_page(pack, packed):
    books = packed[0]
    reader = PdfReader(io.BytesIO(pack.read("receipts.pdf")))
    in_pdf = {qr_pixels(image.image) for page in reader.pages for image in page.images}
    expected = set()
    for key in ("kept", "void", "wechat", "reversal"):
        url = BASE_URL + f"r/{books[key].token}/"
        png = base64.b64decode(qr_data_uri(url).split(",", 1)[1])
        expected.add(qr_pixels(Image.open(io.BytesIO(png))))
    assert in_pdf == expected


def test_handover_slips_one_page_per_approved_day(pack, packed):
    books = packed[0]
    yesterday, _today = books["period"]
    pages = pdf_pages(pack, "handover_slips.pdf")
    assert len(pages) == 1  # today is still open: no slip
    assert f"营业日期：{yesterday:%Y-%m-%d}" in pages[0]
    assert "BAG-77" in pages[0]
    assert "第 1 份 / 共 1 份" in pages[0]


def read_sheet(pack, name, sheet=None):
    wb = load_workbook(io.BytesIO(pack.read(name)))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_receipt_register_rows_and_totals(pack, packed):
    books = packed[0]
    rows = read_sheet(pack, "receipts.xlsx")
    header, *lines, totals = rows
    assert header[:3] == ["收据编号", "营业日期", "开具时间"]
    assert header[12:16] == ["金额", "计入收入", "状态", "冲销原收据"]
    kept, void, wechat, reversal = (books[k].number for k in ("kept", "void", "wechat", "reversal"))
    yesterday, today = books["period"]
    picked = [
        (r[0], r[1].date(), r[5], r[6], r[7], r[8], r[10], r[11], r[12], r[13], r[14], r[15], r[16])
        for r in lines
    ]
    assert picked == [
        (kept, yesterday, "现金", None, "办证费", 1, D("0"), None, 20, 20, "正常", None, "李晓敏"),
        (kept, yesterday, "现金", None, "工本费", 1, D("0"), None, 10, 10, "正常", None, "李晓敏"),
        (void, yesterday, "现金", None, "办证费", 1, D("0"), None, 20, 0, "作废", None, "李晓敏"),
        (void, yesterday, "现金", None, "工本费", 1, D("0"), None, 10, 0, "作废", None, "李晓敏"),
        (
            wechat,
            yesterday,
            "微信支付",
            "WX-0001",
            "办证费",
            1,
            20,
            "老客户",
            80,
            80,
            "正常",
            None,
            "李晓敏",
        ),
        (
            reversal,
            today,
            "现金",
            None,
            "办证费",
            -1,
            D("0"),
            None,
            -20,
            -20,
            "红冲",
            kept,
            "王建国",
        ),
        (
            reversal,
            today,
            "现金",
            None,
            "工本费",
            -1,
            D("0"),
            None,
            -10,
            -10,
            "红冲",
            kept,
            "王建国",
        ),
    ]
    assert totals[0] == "合计"
    assert totals[13] == "=SUM(N2:N8)"
    assert sum(r[13] for r in lines) == 80  # what the period took: 30 + 80 - 30


def test_daily_closes_sheet(pack, packed):
    books = packed[0]
    yesterday, today = books["period"]
    header, *rows = read_sheet(pack, "daily_closes.xlsx")
    assert [r[0].date() for r in rows] == [yesterday, today]
    handed = rows[0]
    assert (handed[2], handed[3], handed[4]) == (110, 110, 0)
    assert (handed[6], handed[8], handed[11], handed[12]) == ("李晓敏", "王建国", 30, "BAG-77")
    assert rows[1][2:5] == [None, None, None]  # an open day has no frozen figures yet


def test_history_holds_the_managers_void_approval(pack, packed):
    books = packed[0]
    wb = load_workbook(io.BytesIO(pack.read("history.xlsx")))
    assert wb.sheetnames == [
        "收据",
        "日结",
        "日结分付款方式",
        "交款",
        "交款差异",
        "出入证",
        "应收款",
    ]
    rows = [list(r) for r in wb["收据"].iter_rows(min_row=2, values_only=True)]
    void = books["void"].number
    approvals = [r for r in rows if r[4] == void and r[1] == "王建国"]
    assert len(approvals) == 1
    when, who, kind, object_id, label, reason, changes = approvals[0]
    with translation.override("zh-hans"):
        voided_by = str(Receipt._meta.get_field("voided_by").verbose_name)
        assert reason == translation.gettext("void approved")
        assert kind == "修改"
    assert object_id == books["void"].pk
    assert f"{voided_by}：— → 王建国" in changes
    # Creations are listed too: four receipts, each created once in the period.
    assert sorted(r[4] for r in rows if r[2] == "新建") == sorted(
        books[k].number for k in ("kept", "void", "wechat", "reversal")
    )
    # A close's figures: each row's creation and changes, its payment method named.
    figures = [list(r) for r in wb["日结分付款方式"].iter_rows(min_row=2, values_only=True)]
    yesterday = f"{books['period'][0]:%Y-%m-%d}"
    assert [(r[2], r[4], r[5], r[6]) for r in figures[:4]] == [
        ("新建", yesterday, "实点", "实点（现金）：— → ¥30.00"),
        ("修改", yesterday, "已提交", "系统应收（现金）：— → ¥30.00"),
        ("新建", yesterday, "实点", "实点（银行卡）：— → ¥0.00"),
        ("修改", yesterday, "已提交", "系统应收（银行卡）：— → ¥0.00"),
    ]
    assert len(figures) == 10
    handovers = [list(r) for r in wb["交款"].iter_rows(min_row=2, values_only=True)]
    assert [(r[1], r[2], r[4]) for r in handovers] == [
        ("finance", "新建", f"{books['period'][0]:%Y-%m-%d}")
    ]


@pytest.mark.slow
def test_history_of_a_period_leaves_out_later_changes(books):
    yesterday, today = books["period"]
    before = today - timedelta(days=10)
    content = audit_pack(before, before)
    pack = zipfile.ZipFile(io.BytesIO(content))
    wb = load_workbook(io.BytesIO(pack.read("history.xlsx")))
    assert [ws.max_row for ws in wb.worksheets] == [1, 1, 1, 1, 1, 1, 1]
    manifest = pack.read("manifest.txt").decode()
    assert "本期间没有收据" in manifest
    assert "receipts.pdf" not in pack.namelist()


def test_manifest_checksums_match(pack, packed):
    books = packed[0]
    manifest = pack.read("manifest.txt").decode()
    yesterday, today = books["period"]
    assert f"# 期间：{yesterday:%Y-%m-%d} 至 {today:%Y-%m-%d}" in manifest
    assert "# 收据 4 张（作废 1 张，红冲 1 张）；交款单 1 份；收据链完整" in manifest
    assert "生成人：finance" in manifest
    sums = dict(
        reversed(line.split("  ", 1))
        for line in manifest.splitlines()
        if line and not line.startswith("#")
    )
    assert sorted(sums) == sorted(set(pack.namelist()) - {"manifest.txt"})
    for name, digest in sums.items():
        assert hashlib.sha256(pack.read(name)).hexdigest() == digest


@pytest.mark.slow
def test_statements_of_every_month_touched():
    # A period across a month's end brings both months' statements.
    last_of_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    content = audit_pack(last_of_month - timedelta(days=1), last_of_month + timedelta(days=1))
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    after = last_of_month + timedelta(days=1)
    assert [n for n in names if n.startswith("statement_")] == [
        f"statement_{last_of_month:%Y-%m}.xlsx",
        f"statement_{last_of_month:%Y-%m}.pdf",
        f"statement_{after:%Y-%m}.xlsx",
        f"statement_{after:%Y-%m}.pdf",
    ]


def test_progress_is_reported_up_to_the_end(packed):
    reports = packed[2]
    percents = [p for p, _m in reports]
    assert percents == sorted(percents)
    assert percents[0] == 0
    assert percents[-1] < 100  # 100 is the job's, once the file is stored
    # Messages stay lazy: the job shows them in the language of whoever asked.
    with translation.override("en"):
        messages = [str(m) for _p, m in reports]
    assert messages[0] == "Receipts"
    assert "Receipts: 4 of 4" in messages and "Handover slips: 1 of 1" in messages


# --- the period form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "offsets, field, message",
    [
        ((-1, 1), "date_to", "Enter a date from 2000-01-01 to {today}."),
        ((0, -1), "date_to", "The end of the period cannot be before its start."),
        ((-400, -1), "date_to", "A pack covers at most one year."),
        ((None, 0), "date_from", "This field is required."),
    ],
)
def test_bad_periods_are_refused_with_a_message(
    client_as, finance, settings, offsets, field, message
):
    today = timezone.localdate()
    data = {
        name: (today + timedelta(days=offset)).isoformat() if offset is not None else ""
        for name, offset in zip(("date_from", "date_to"), offsets, strict=True)
    }
    client = client_as(finance)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("fees:export_list"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message.format(today=today)]}
    assert ExportJob.objects.count() == 0


# Fixed past dates: "a year ending today" does not exist on every run date (a year that
# begins on 1 March 2027 ends on 29 February 2028, and none ends on 28 February 2028).
@pytest.mark.parametrize(
    "start, end, accepted",
    [
        ("2025-03-15", "2026-03-14", True),
        ("2025-03-15", "2026-03-15", False),
        ("2024-02-29", "2025-02-28", True),
        ("2024-02-29", "2025-03-01", False),
        ("2023-03-01", "2024-02-29", True),
    ],
)
def test_a_year_to_the_day_is_accepted_and_a_day_more_is_not(start, end, accepted):
    # The form is the pack's only limit on its length (the page shows its errors: see
    # test_bad_periods_are_refused_with_a_message); a year's pack is not built for this.
    form = pack_exporter.PackPeriodForm({"date_from": start, "date_to": end})
    if accepted:
        assert (form.is_valid(), form.errors) == (True, {})
    else:
        assert form.errors == {"date_to": ["A pack covers at most one year."]}


# --- pages and jobs ----------------------------------------------------------------------


@pytest.mark.parametrize("role, status", [("finance", 200), ("auditor", 200)])
def test_finance_and_the_auditor_see_the_page(client_as, make_user, role, status):
    response = client_as(make_user("someone", role)).get(reverse("fees:export_list"))
    assert response.status_code == status
    assert response.context["form"].initial["date_to"] == timezone.localdate().replace(
        day=1
    ) - timedelta(days=1)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ASSISTANT, Role.DEPARTMENT])
def test_other_roles_get_403_everywhere(client_as, make_user, finance, role):
    job = ExportJobFactory(requested_by=finance)
    client = client_as(make_user("someone", role))
    today = timezone.localdate().isoformat()
    assert client.get(reverse("fees:export_list")).status_code == 403
    assert (
        client.post(reverse("fees:export_list"), {"date_from": today, "date_to": today}).status_code
        == 403
    )
    for name in ("fees:export_detail", "fees:export_progress", "fees:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 403
    assert ExportJob.objects.count() == 1


def test_only_finance_and_the_auditor_may_start_a_job(manager):
    with pytest.raises(PermissionDenied):
        jobs.job_start(by=manager, kind="audit_pack", params=params_for(timezone.localdate()))
    assert ExportJob.objects.count() == 0


def params_for(date_from, date_to=None):
    return {
        "date_from": date_from.isoformat(),
        "date_to": (date_to or date_from).isoformat(),
    }


@pytest.mark.slow
def test_a_small_period_returns_the_zip_at_once(client_as, books):
    yesterday, today = books["period"]
    response = client_as(books["by"]).post(
        reverse("fees:export_list"),
        {"date_from": yesterday.isoformat(), "date_to": today.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="audit-pack_{yesterday}_{today}.zip"'
    )
    # The file's own no-store, and the rest of config.middleware.NoStoreMiddleware's.
    assert response["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"
    content = b"".join(response.streaming_content)
    job = ExportJob.objects.get()
    assert (job.status, job.progress, job.requested_by) == (JobStatus.DONE, 100, books["by"])
    assert job.sha256 == hashlib.sha256(content).hexdigest()
    assert "receipts.pdf" in zipfile.ZipFile(io.BytesIO(content)).namelist()


@pytest.mark.slow
def test_a_large_period_runs_as_a_job_with_progress_and_a_download(
    client_as, books, auditor, monkeypatch
):
    monkeypatch.setattr(pack_exporter, "SMALL_PACK", 3)  # four receipts: too many for the request
    yesterday, today = books["period"]
    client = client_as(books["by"])
    response = client.post(
        reverse("fees:export_list"),
        {"date_from": yesterday.isoformat(), "date_to": today.isoformat()},
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fees:export_detail", args=[job.pk])
    assert (job.status, job.progress, job.message) == (JobStatus.DONE, 100, "")
    assert job.file.name.startswith("exports/audit-pack_")
    with job.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == job.sha256
    page = client.get(response["Location"])
    assert page.status_code == 200
    fragment = client.get(reverse("fees:export_progress", args=[job.pk])).content.decode()
    assert reverse("fees:export_download", args=[job.pk]) in fragment
    assert "hx-trigger" not in fragment  # done: the page stops polling
    # Any holder of the permission may download, not only who asked.
    download = client_as(auditor).get(reverse("fees:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == job.sha256
    listing = client_as(books["by"]).get(reverse("fees:export_list"))
    assert list(listing.context["jobs"]) == [job]


def test_a_running_job_polls_and_cannot_be_downloaded(client_as, finance):
    job = ExportJobFactory(
        running=True,
        params=params_for(timezone.localdate()),
        requested_by=finance,
        message="Receipts: 100 of 240",
    )
    client = client_as(finance)
    fragment = client.get(reverse("fees:export_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert 'aria-valuenow="42"' in fragment and "Receipts: 100 of 240" in fragment
    assert client.get(reverse("fees:export_download", args=[job.pk])).status_code == 404


def test_a_failing_job_ends_failed_with_a_message(settings, tmp_path, finance):
    # The disk refuses the file: the media folder's place is taken by a plain file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker
    with translation.override("en"):
        job = jobs.job_start(by=finance, kind="audit_pack", params=params_for(timezone.localdate()))
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("The export failed: ")
    assert job.finished_at is not None
    assert not job.file


def test_a_job_with_bad_parameters_fails_and_says_why(finance):
    with translation.override("en"):
        job = jobs.job_start(
            by=finance,
            kind="audit_pack",
            params={"date_from": "2025-13-01", "date_to": "2025-12-31"},
        )
    assert (job.status, job.progress) == (JobStatus.FAILED, 0)
    assert job.message == "The export failed: month must be in 1..12"


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_large_period_waits_in_the_queue_until_the_worker_builds_it(
    client_as, finance, settings, monkeypatch
):
    settings.TASKS = DATABASE_TASKS  # as in production (the suite's default runs at once)
    monkeypatch.setattr(pack_exporter, "SMALL_PACK", -1)  # even an empty period is queued
    today = timezone.localdate().isoformat()
    client = client_as(finance)
    response = client.post(reverse("fees:export_list"), {"date_from": today, "date_to": today})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("fees:export_detail", args=[job.pk])
    assert (job.status, job.progress, job.worker_id) == (JobStatus.QUEUED, 0, "")
    task = DBTaskResult.objects.get()
    assert (str(task.id), task.task_path, task.args_kwargs["args"]) == (
        job.task_id,
        "config.jobs.run_job",
        [job.pk, "/"],
    )
    fragment = client.get(reverse("fees:export_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "Queued" in fragment
    # What django-tasks-db's worker does with each task (claim it, run it), in this process;
    # its loop would close the connection of the test's transaction between tasks.
    task.claim("worker-in-the-test")
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-in-the-test",
        excluded_queue_names=[],
    ).run_task(task)
    job.refresh_from_db()
    assert (job.status, job.progress, job.worker_id) == (JobStatus.DONE, 100, "worker-in-the-test")
    with job.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == job.sha256
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    fragment = client.get(reverse("fees:export_progress", args=[job.pk])).content.decode()
    assert reverse("fees:export_download", args=[job.pk]) in fragment


def test_the_list_of_packs_queries_do_not_grow_with_rows(finance, flat_queries):
    one, three = flat_queries(
        reverse("fees:export_list"),
        lambda: ExportJobFactory(requested_by=finance),
        queries=7,
        user=finance,
    )
    assert (len(one.context["jobs"]), len(three.context["jobs"])) == (1, 3)
