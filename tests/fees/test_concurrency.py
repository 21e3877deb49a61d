"""Many desks issuing at the same instant get unique, gapless receipt numbers."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from config.roles import Role
from fees.models import FeeType, Receipt
from fees.services.receipts import LineInput, Payer, receipt_issue
from tests.concurrency import at_once
from tests.conftest import ensure_fee_catalogue

THREADS = 8
EACH = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_gapless_unique_numbers(make_user):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip(
            "SQLite's shared in-memory test database reports lock conflicts at once "
            "instead of waiting; the on-disk database the desk uses waits (WAL, IMMEDIATE)."
        )
    ensure_fee_catalogue()
    users = [make_user(f"desk{n}", Role.ASSISTANT) for n in range(THREADS)]
    fee = FeeType.objects.get(code="permit_fee")

    def desk(user):
        for _ in range(EACH):
            receipt_issue(
                by=user,
                payer=Payer(kind="person", name=user.username),
                lines=[LineInput(fee_type=fee, unit_price=Decimal("20.00"))],
                method="cash",
                request_key=uuid.uuid4(),
            )

    at_once(desk, users)
    year = timezone.localdate().year
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == [f"{year}-{n:06d}" for n in range(1, THREADS * EACH + 1)]
