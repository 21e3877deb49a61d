"""The factories of tests/factories/fees.py make rows the services would have written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from config.models import JobStatus
from fees.enums import DayState, PermitStatus, ReceiptStatus
from fees.models import DailyClose, Receipt
from tests.factories.archives import OccupancyFactory
from tests.factories.fees import (
    ChargeFactory,
    DailyCloseFactory,
    DailyCloseMethodFactory,
    DayCountAmountFactory,
    DayCountCashFactory,
    DayCountFactory,
    DiscrepancyFactory,
    DunningNoteFactory,
    ExportJobFactory,
    FeeTypeFactory,
    HandoverFactory,
    MonthLockFactory,
    NumberSequenceFactory,
    PermitFactory,
    ReceiptBookFactory,
    ReceiptFactory,
    ReceiptLineFactory,
    ReceiptPrintFactory,
    SpoiledPaperReceiptFactory,
    sha256,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_catalogue():
    assert FeeTypeFactory(code="permit_fee").name_zh == "办证费"  # the seeded one
    assert FeeTypeFactory().default_amount == D("10.00")
    assert NumberSequenceFactory().last_value == 0


def test_receipts_lines_and_prints_come_from_the_services(assistant):
    receipt = ReceiptFactory(cashier=assistant, lines=[("card_fee", "10", 2)])
    assert (receipt.number[5:], receipt.total, receipt.cashier) == ("000001", D("20.00"), assistant)
    assert [(line.quantity, line.amount) for line in receipt.lines.all()] == [(2, D("20.00"))]
    line = ReceiptLineFactory(unit_price=D("35.00"))
    assert (line.receipt.number[5:], line.receipt.total) == ("000002", D("35.00"))
    assert [ReceiptPrintFactory(receipt=receipt).copy for _ in range(2)] == [1, 2]


def test_receipt_states_and_past_dates():
    yesterday = timezone.localdate() - timedelta(days=1)
    pending = ReceiptFactory(status=ReceiptStatus.VOID_REQUESTED)
    void = ReceiptFactory(status=ReceiptStatus.VOID, business_date=yesterday)
    assert (pending.status, pending.void_reason) == (ReceiptStatus.VOID_REQUESTED, "开错金额")
    assert (void.status, void.business_date) == (ReceiptStatus.VOID, yesterday)
    assert Receipt.objects.count() == 2


def test_books_and_spoiled_numbers():
    spoiled = SpoiledPaperReceiptFactory(book=ReceiptBookFactory(series="A", first_number=1))
    assert (str(spoiled.book), spoiled.paper_number) == ("A0000001–A0000050", "A0000001")


def test_permits_charges_and_dunning():
    permit = PermitFactory()
    assert (permit.status, permit.receipt.total) == (PermitStatus.ACTIVE, D("30.00"))
    occupancy = OccupancyFactory()
    charge = ChargeFactory(tenant=occupancy.tenant, unit=occupancy.unit, amount=D("300.00"))
    note = DunningNoteFactory(charge=charge)
    assert (note.charge.amount, note.channel) == (D("300.00"), "phone")


def test_days_counts_handovers_and_discrepancies():
    long_ago = timezone.localdate() - timedelta(days=300)
    assert DailyCloseFactory(business_date=long_ago, state=DayState.SUBMITTED).is_open is False
    count = DayCountFactory(business_date=long_ago - timedelta(days=1))
    assert (count.sequence, count.cash_counted) == (1, D("50.00"))
    handover = HandoverFactory()
    assert (handover.day.state, handover.cash_received, handover.difference) == (
        DayState.HANDED_OVER,
        D("20.00"),
        D("0.00"),
    )
    assert (DayCountCashFactory().pieces, DayCountAmountFactory().amount) == (2, D("80.00"))
    cash = DailyCloseMethodFactory(counted=D("10.00"))
    assert (cash.expected, cash.difference, cash.explanation) == (
        D("20.00"),
        D("-10.00"),
        "点错一张",
    )
    short = DiscrepancyFactory()
    signed = DiscrepancyFactory(explanation="点错")
    assert (short.amount, short.signed_off_at) == (D("-10.00"), None)
    assert signed.signed_off_by.username == "staff-manager"
    assert DailyClose.objects.filter(state=DayState.HANDED_OVER).count() == 3
    assert DailyClose.objects.filter(state=DayState.SUBMITTED).count() == 2


def test_month_locks_and_export_jobs_carry_their_files_checksums():
    lock = MonthLockFactory(year=2025, month=3)
    with lock.statement_xlsx.open("rb") as xlsx:
        assert sha256(xlsx.read()) == lock.xlsx_sha256
    job = ExportJobFactory()
    with job.file.open("rb") as pack:
        assert sha256(pack.read()) == job.sha256
    assert ExportJobFactory(running=True).status == JobStatus.RUNNING
