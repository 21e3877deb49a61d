"""The audit pack gains the deposits' section (deposit_refunds.xlsx) by its registration:
the refunds requested or paid in the period and the deductions recorded in it, exactly."""

import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from config.exporters import exporter, pack_sections
from config.permanence import maintenance
from deposits.enums import DeductionKind, RefundStatus
from deposits.models import Deduction, Refund
from deposits.services.deposits import deposit_forfeit
from deposits.validators import DeductionInput
from fees.exporters.audit_pack import audit_pack
from tests.factories.deposits import DepositFactory, RefundFactory

pytestmark = pytest.mark.django_db
D = Decimal


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def dated(refund: Refund, prepared: date, paid: date | None = None) -> Refund:
    with maintenance():  # a refund's dates are fixed once written
        Refund.objects.filter(pk=refund.pk).update(
            prepared_at=at(prepared), **({"paid_on": paid} if paid else {})
        )
        Deduction.objects.filter(refund=refund).update(recorded_at=at(prepared))
    return refund


@pytest.fixture
def records(manager):
    requested = dated(RefundFactory(), date(2026, 3, 10))
    paid_next_month = dated(
        RefundFactory(status=RefundStatus.PAID), date(2026, 3, 20), paid=date(2026, 4, 2)
    )
    returned = dated(RefundFactory(status=RefundStatus.RETURNED), date(2026, 4, 5))
    before = dated(RefundFactory(status=RefundStatus.PAID), date(2026, 2, 27), date(2026, 2, 28))
    deposit = DepositFactory(amount=D("2000.00"))
    _deposit, [forfeited] = deposit_forfeit(
        by=manager,
        deposit=deposit,
        deductions=[
            DeductionInput(kind=DeductionKind.DAMAGE, reason="门禁损坏", amount=D("150.25"))
        ],
    )
    with maintenance():
        Deduction.objects.filter(pk=forfeited.pk).update(recorded_at=at(date(2026, 3, 31)))
    return {
        "requested": requested,
        "paid_next_month": paid_next_month,
        "returned": returned,
        "before": before,
        "forfeited": forfeited,
    }


def section(pack: bytes) -> tuple[list[tuple], list[tuple]]:
    with zipfile.ZipFile(io.BytesIO(pack)) as zf:
        wb = load_workbook(io.BytesIO(zf.read("deposit_refunds.xlsx")))
    refunds, deductions = (list(ws.iter_rows(min_row=2, values_only=True)) for ws in wb.worksheets)
    return refunds, deductions


def test_the_deposits_section_is_registered_for_the_pack():
    assert exporter("deposit_refunds") in pack_sections()
    assert [s.name for s in pack_sections()].index("deposit_refunds") == [
        s.name for s in pack_sections()
    ].index("daily_closes") + 1


def test_a_march_pack_lists_march_s_refunds_and_deductions_exactly(records):
    refunds, deductions = section(audit_pack(date(2026, 3, 1), date(2026, 3, 31)))
    r = records
    # The rows, then the totals row; the pack is a Chinese document.
    assert [(row[0], row[6], row[7], row[8], row[9]) for row in refunds[:-1]] == [
        (r["requested"].pk, "待审批", 5000, 300, 4700),
        (r["paid_next_month"].pk, "已付款", 5000, 300, 4700),
    ]
    assert refunds[-1][0] == "合计"
    assert [(row[0], row[3], row[6], row[7]) for row in deductions[:-1]] == [
        (r["requested"].deductions.get().pk, r["requested"].pk, 300, "否"),
        (r["paid_next_month"].deductions.get().pk, r["paid_next_month"].pk, 300, "是"),
        (r["forfeited"].pk, None, 150.25, "是"),
    ]


def test_an_april_pack_lists_the_refund_paid_in_april_and_the_one_returned(records):
    refunds, deductions = section(audit_pack(date(2026, 4, 1), date(2026, 4, 30)))
    r = records
    assert [(row[0], row[6], row[17]) for row in refunds[:-1]] == [
        (r["paid_next_month"].pk, "已付款", datetime(2026, 4, 2)),
        (r["returned"].pk, "已退回", None),
    ]
    assert [row[0] for row in deductions[:-1]] == [r["returned"].deductions.get().pk]


def test_the_section_downloads_alone_for_its_period(records):
    section_file = exporter("deposit_refunds").content(
        {"date_from": date(2026, 2, 1), "date_to": date(2026, 2, 28), "by": None}
    )
    wb = load_workbook(io.BytesIO(section_file))
    assert [row[0] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
        records["before"].pk,
        "合计",
    ]
