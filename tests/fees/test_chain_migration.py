"""The data migration that chains the receipts issued before the chain existed: receipts and
a month lock are written with the historical models of the schema before it (no hashes),
then the database is migrated forward and verified with today's code.

Marked `migrations` (it migrates the fees schema back and forth): ``pytest -m migrations``.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fees.chain import GENESIS, receipt_hash
from fees.models import MonthLock, Receipt
from fees.selectors.chain import chain_verify
from tests.conftest import ensure_fee_catalogue
from tests.fees.test_close_migrations import migrate

pytestmark = [pytest.mark.migrations, pytest.mark.django_db(transaction=True)]
D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")
BEFORE = ("fees", "0013_receipt_chain")


@pytest.fixture
def old_schema():
    """The schema without the chain's hashes; the latest one again afterwards."""
    yield migrate(BEFORE)
    migrate()
    ensure_fee_catalogue()  # the flush after this test empties the seeded catalogue


def old_receipt(apps, number, day, cashier, lines, **fields):
    """A receipt and its lines as the desk wrote them before the chain: (price, quantity)."""
    Receipt = apps.get_model("fees", "Receipt")
    ReceiptLine = apps.get_model("fees", "ReceiptLine")
    FeeType = apps.get_model("fees", "FeeType")
    fee, _created = FeeType.objects.get_or_create(
        code="chain_fee",
        defaults={"name_zh": "链费", "name_en": "Chain fee", "category": "fee"},
    )
    receipt = Receipt.objects.create(
        number=number,
        year=int(number[:4]),
        business_date=day,
        issued_at=datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI),
        cashier=cashier,
        payer_kind="person",
        payer_name="王师傅",
        method="cash",
        total=sum((D(price) * quantity for price, quantity in lines), D("0.00")),
        **fields,
    )
    for price, quantity in lines:
        ReceiptLine.objects.create(
            receipt=receipt,
            fee_type=fee,
            quantity=quantity,
            unit_price=D(price),
            amount=D(price) * quantity,
        )
    return receipt


def test_the_migration_chains_each_year_in_number_order_and_anchors_old_locks(old_schema):
    apps = old_schema
    desk = apps.get_model("auth", "User").objects.create(username="desk")
    old_receipt(apps, "2025-000001", date(2025, 12, 30), desk, [("20.00", 2)])
    second = old_receipt(apps, "2025-000002", date(2025, 12, 31), desk, [("300.00", 1)])
    # Written out of number order: the chain follows the numbers, not the rows' order.
    old_receipt(
        apps,
        "2026-000002",
        date(2026, 1, 2),
        desk,
        [("300.00", -1)],
        reverses_id=second.pk,
        reversal_reason="退款",
    )
    old_receipt(apps, "2026-000001", date(2026, 1, 2), desk, [("10.00", 3)])
    lock = apps.get_model("fees", "MonthLock").objects.create(
        year=2025,
        month=12,
        locked_by=desk,
        locked_at=datetime(2026, 1, 3, 9, tzinfo=SHANGHAI),
        statement_xlsx="statements/statement-2025-12.xlsx",
        statement_pdf="statements/statement-2025-12.pdf",
        xlsx_sha256="a" * 64,
        pdf_sha256="b" * 64,
    )
    apps.get_model("fees", "HistoricalMonthLock").objects.create(
        id=lock.pk,
        year=2025,
        month=12,
        locked_by=desk,
        locked_at=lock.locked_at,
        statement_xlsx=lock.statement_xlsx,
        statement_pdf=lock.statement_pdf,
        xlsx_sha256=lock.xlsx_sha256,
        pdf_sha256=lock.pdf_sha256,
        history_date=lock.locked_at,
        history_type="+",
        history_change_reason="month locked",
        history_user=desk,
    )

    migrate()

    chain = {r.number: r for r in Receipt.objects.all()}
    links = [
        ("2025-000001", GENESIS),
        ("2025-000002", chain["2025-000001"].chain_hash),
        ("2026-000001", GENESIS),
        ("2026-000002", chain["2026-000001"].chain_hash),
    ]
    assert [(n, chain[n].chain_previous) for n, _previous in links] == links
    for receipt in chain.values():
        lines = receipt.lines.order_by("pk")
        assert receipt.chain_hash == receipt_hash(receipt, lines, receipt.chain_previous)
    assert len({r.chain_hash for r in chain.values()}) == 4

    report = chain_verify()
    assert (report.breaks, report.checked, report.anchors) == ([], 4, 1)

    migrated = MonthLock.objects.get()
    assert (migrated.chain_number, migrated.chain_hash) == (
        "2025-000002",
        chain["2025-000002"].chain_hash,
    )
    assert migrated.history.get().chain_hash == chain["2025-000002"].chain_hash


def test_the_migration_runs_on_a_database_without_receipts(old_schema):
    migrate()
    assert (Receipt.objects.count(), chain_verify().intact) == (0, True)
