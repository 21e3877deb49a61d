"""Property tests (Hypothesis): whatever sequence of refund requests with deductions,
approvals (a second manager approving the same request too), returns, payments and
forfeitures the desk and the managers try on a deposit, it never holds less than nothing,
each step succeeds exactly when the rules say, what it holds is what a plain model of the
rules says, and a closed deposit holds nothing: held − deducted − refunded = 0.

Each example runs in a transaction rolled back at its end.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.roles import Role
from deposits.enums import DeductionKind, DepositStatus, RefundStatus
from deposits.models import Deposit, Refund
from deposits.selectors.deposits import deposit_balances
from deposits.selectors.ledger import HOLDING, ledger_totals
from deposits.services.deposits import deposit_forfeit
from deposits.services.gates import stale_gates
from deposits.services.refunds import refund_approve, refund_pay, refund_prepare, refund_return
from deposits.validators import DeductionInput
from tests.factories.deposits import accepted_deposit, today
from tests.factories.people import UserFactory, staff

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

# Deductions as shares (in per cent) of what the deposit holds at that step, so that
# sequences reach the approvals and payments as often as the refusals.
shares = st.lists(st.integers(min_value=1, max_value=70), max_size=3)
modes = st.sampled_from(["exact", "exact", "exact", "over", "under"])
# One round of the procedure: perhaps a forfeiture first (in part; now and then whole), a
# request (its deductions as shares, its refund exact, a cent over or a cent under), the
# manager's decision (approved, approved by a second manager at the same time too, returned,
# or none yet), perhaps the payment.
part = st.lists(st.integers(min_value=1, max_value=80), min_size=1, max_size=2)
kept = st.one_of(part, part, part, st.just([100]))
rounds = st.tuples(
    st.one_of(st.none(), st.none(), st.none(), kept),
    shares,
    modes,
    st.sampled_from(["approve", "approve twice", "return", "none"]),
    st.booleans(),
)
# And steps in any order, most of them out of turn.
stray = st.one_of(
    st.tuples(st.just("prepare"), shares, modes),
    st.tuples(st.just("approve"), st.sampled_from([0, 1])),
    st.tuples(st.just("return")),
    st.tuples(st.just("pay")),
    st.tuples(st.just("forfeit"), kept),
)


def expand(round_) -> list[tuple]:
    forfeit, deductions, mode, decision, pay = round_
    actions = [("forfeit", forfeit)] if forfeit else []
    actions.append(("prepare", deductions, mode))
    if decision == "approve":
        actions.append(("approve", 0))
    elif decision == "approve twice":
        actions += [("approve", 0), ("approve", 1)]
    elif decision == "return":
        actions.append(("return",))
    if pay:
        actions.append(("pay",))
    return actions


def portions(balance: Decimal, percents: list[int]) -> list[Decimal]:
    """Amounts of ``percents`` of ``balance``, each at least one cent."""
    return [max(CENT, (balance * p / 100).quantize(CENT)) for p in percents]


@dataclass
class Model:
    """What the rules say the deposit holds, step by step."""

    taken: Decimal
    counted: Decimal = ZERO
    refunded: Decimal = ZERO
    status: str = DepositStatus.HELD
    # The request under way: (its deductions, its refund).
    pending: tuple[Decimal, Decimal] | None = None

    @property
    def balance(self) -> Decimal:
        return self.taken - self.counted - self.refunded


def damage(amount: Decimal) -> DeductionInput:
    return DeductionInput(kind=DeductionKind.DAMAGE, reason="损坏", amount=amount)


def under_way(deposit: Deposit) -> Refund | None:
    return deposit.refunds.filter(status__in=["requested", "approved"]).first()


def step(action, model: Model, deposit: Deposit, people: dict) -> bool:
    """Try one step; whether it went through. The model moves only when it should."""
    name = action[0]
    if name == "prepare":
        amounts, how = portions(model.balance, action[1]), action[2]
        kept = sum(amounts, ZERO)
        refund = model.balance - kept + {"exact": ZERO, "over": CENT, "under": -CENT}[how]
        expected = model.status == DepositStatus.HELD and kept < model.balance and how == "exact"
        done = attempt(
            lambda: refund_prepare(
                by=people["desk"],
                deposit=deposit,
                amount=refund,
                deductions=[damage(a) for a in amounts],
                receipt_collected=True,
            )
        )
        if done:
            model.status, model.pending = DepositStatus.REFUND_REQUESTED, (kept, refund)
    elif name == "approve":
        expected = model.status == DepositStatus.REFUND_REQUESTED
        refund = under_way(deposit)
        done = refund is not None and attempt(
            lambda: refund_approve(by=people["managers"][action[1]], refund=refund)
        )
        if done:
            model.status = DepositStatus.APPROVED
            model.counted += model.pending[0]
    elif name == "return":
        expected = model.status == DepositStatus.REFUND_REQUESTED
        refund = under_way(deposit)
        done = refund is not None and attempt(
            lambda: refund_return(by=people["managers"][0], refund=refund, comment="重新核算")
        )
        if done:
            model.status, model.pending = DepositStatus.HELD, None
    elif name == "pay":
        expected = model.status == DepositStatus.APPROVED
        refund = under_way(deposit)
        done = refund is not None and attempt(
            lambda: refund_pay(by=people["finance"], refund=refund, method="cash", paid_on=today())
        )
        if done:
            model.status = DepositStatus.REFUNDED
            model.refunded += model.pending[1]
            model.pending = None
    else:  # forfeit
        amounts = portions(model.balance, action[1])
        kept = sum(amounts, ZERO)
        expected = model.status == DepositStatus.HELD and kept <= model.balance
        done = attempt(
            lambda: deposit_forfeit(
                by=people["managers"][1], deposit=deposit, deductions=[damage(a) for a in amounts]
            )
        )
        if done:
            model.counted += kept
            if model.balance == ZERO:
                model.status = DepositStatus.FORFEITED
    assert done == expected, (action, model)
    return done


def attempt(action) -> bool:
    try:
        action()
    except ValidationError:
        return False
    return True


def check(model: Model, deposit: Deposit) -> None:
    row = deposit_balances(Deposit.objects.filter(pk=deposit.pk)).get()
    assert (row.status, row.balance) == (model.status, model.balance)
    assert row.balance == row.amount - row.deducted - row.refunded
    assert row.balance >= ZERO
    refund = under_way(deposit)
    if row.status in (DepositStatus.REFUNDED, DepositStatus.FORFEITED):
        assert row.balance == ZERO  # held − deducted − refunded = 0 at close
        assert refund is None
    elif row.status == DepositStatus.HELD:
        assert refund is None
    elif row.status == DepositStatus.REFUND_REQUESTED:
        assert (refund.status, refund.held) == (RefundStatus.REQUESTED, row.balance)
    else:  # approved: what is left is exactly what is to be paid
        assert (refund.status, refund.amount) == (RefundStatus.APPROVED, row.balance)
    for held, deducted, amount in Refund.objects.values_list("held", "deducted", "amount"):
        assert held == deducted + amount
    assert stale_gates(Deposit.objects.all()) == {}  # the stored gate follows every step
    # The ledger's totals (amounts less counted deductions) are the balances held.
    holding = deposit_balances(Deposit.objects.filter(status__in=HOLDING))
    assert ledger_totals(timezone.localdate()).total == sum((d.balance for d in holding), ZERO)


@pytest.mark.slow
@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    taken=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("8000.00"), places=2),
    plan=st.lists(rounds, min_size=1, max_size=3),
    extra=st.lists(stray, max_size=4),
)
def test_a_deposit_never_holds_less_than_nothing_and_closes_at_zero(taken, plan, extra):
    actions = [action for round_ in plan for action in expand(round_)] + extra
    with transaction.atomic():
        people = {
            "desk": staff(Role.ASSISTANT),
            "managers": [
                staff(Role.MANAGER),
                UserFactory(username="manager-2", roles=[Role.MANAGER]),
            ],
            "finance": staff(Role.FINANCE),
        }
        deposit = accepted_deposit(taken)
        model = Model(taken=taken)
        for action in actions:
            step(action, model, deposit, people)
            check(model, deposit)
        transaction.set_rollback(True)
