"""Two managers approving the same refund at the same instant: exactly one wins, the other is
told it was approved already; the deposit's charges are settled once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from config.roles import Role
from deposits.enums import DeductionKind, DepositStatus, RefundStatus
from deposits.models import Deposit, Refund
from deposits.services.refunds import refund_approve
from deposits.validators import DeductionInput
from fees.models import ChargeOffset
from tests.concurrency import at_once
from tests.conftest import ensure_fee_catalogue
from tests.factories.deposits import RefundFactory, accepted_deposit
from tests.factories.fees import ChargeFactory

MANAGERS = 2
ROUNDS = 3

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks that make the second manager wait: PostgreSQL (the production database)",
)


def approve_at_once(refund: Refund, managers) -> tuple[list, list[str]]:
    """Every manager approves ``refund`` at the same instant, each on a connection of its
    own; (refunds approved, refusals' messages)."""
    approved, refused = [], []

    def approve(manager):
        try:
            approved.append(refund_approve(by=manager, refund=Refund.objects.get(pk=refund.pk)))
        except ValidationError as refusal:
            refused.extend(refusal.messages)

    at_once(approve, managers)
    return approved, refused


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_managers_approving_one_refund_at_once_exactly_one_wins(make_user):
    ensure_fee_catalogue()
    managers = [make_user(f"manager{n}", Role.MANAGER) for n in range(MANAGERS)]
    for _round in range(ROUNDS):
        deposit = accepted_deposit()
        charge = ChargeFactory(tenant=deposit.application.tenant, amount=Decimal("500.00"))
        refund = RefundFactory(
            deposit=deposit,
            deductions=[
                DeductionInput(
                    kind=DeductionKind.UNPAID_CHARGE,
                    reason="欠费",
                    amount=Decimal("500.00"),
                    charge=charge,
                )
            ],
        )
        approved, refused = approve_at_once(refund, managers)
        assert (len(approved), refused) == (
            1,
            ["Only a refund awaiting approval can be approved."],
        )
        refund.refresh_from_db()
        assert (refund.status, refund.decided_by) == (RefundStatus.APPROVED, approved[0].decided_by)
        assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.APPROVED
        # The charge was settled once, by the one approval.
        offsets = ChargeOffset.objects.filter(charge=charge)
        assert list(offsets.values_list("amount", flat=True)) == [Decimal("500.00")]
