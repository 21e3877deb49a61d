"""The refund procedure (退款程序): prepared by the desk with itemised deductions, approved or
returned by a manager who did not prepare it, paid by finance; never more than is held, and
nothing left when the deposit closes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from config.roles import Role
from deposits.enums import DeductionKind, DepositStatus, RefundStatus
from deposits.models import Deduction, Deposit, Refund
from deposits.selectors.deposits import deposit_balance, deposit_balances
from deposits.services.deposits import deposit_forfeit
from deposits.services.refunds import refund_approve, refund_pay, refund_prepare, refund_return
from deposits.validators import DeductionInput
from fees.enums import ChargeStatus
from fees.models import Charge
from fees.selectors.charges import charge_balances
from tests.factories.deposits import RefundFactory, accepted_deposit, today
from tests.factories.fees import ChargeFactory
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def damage(amount: str, reason: str = "地砖破损") -> DeductionInput:
    return DeductionInput(kind=DeductionKind.DAMAGE, reason=reason, amount=D(amount))


def prepare(by, deposit, amount, *deductions, collected=True) -> Refund:
    return refund_prepare(
        by=by,
        deposit=deposit,
        amount=D(amount),
        deductions=list(deductions),
        receipt_collected=collected,
    )


def figures(deposit) -> tuple:
    row = deposit_balances(Deposit.objects.filter(pk=deposit.pk)).get()
    return row.status, row.deducted, row.refunded, row.pending, row.balance


def refusal(action) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        action()
    return refused.value.messages


# --- the whole procedure ------------------------------------------------------------------


def test_prepared_approved_paid_the_deposit_closes_with_nothing_left(assistant, manager, finance):
    deposit = accepted_deposit()
    refund = prepare(assistant, deposit, "4700.00", damage("300.00"))
    assert (refund.status, refund.held, refund.deducted, refund.amount, refund.payee) == (
        RefundStatus.REQUESTED,
        D("5000.00"),
        D("300.00"),
        D("4700.00"),
        deposit.payer_name,
    )
    # A deduction still waiting for the manager keeps nothing yet.
    assert figures(deposit) == (
        DepositStatus.REFUND_REQUESTED,
        D("0.00"),
        D("0.00"),
        D("4700.00"),
        D("5000.00"),
    )

    refund = refund_approve(by=manager, refund=refund)
    assert (refund.status, refund.decided_by) == (RefundStatus.APPROVED, manager)
    assert figures(deposit) == (
        DepositStatus.APPROVED,
        D("300.00"),
        D("0.00"),
        D("4700.00"),
        D("4700.00"),
    )

    refund = refund_pay(
        by=finance, refund=refund, method="transfer", reference="BANK-778", paid_on=today()
    )
    assert (refund.status, refund.paid_by, refund.method, refund.reference, refund.paid_on) == (
        RefundStatus.PAID,
        finance,
        "transfer",
        "BANK-778",
        today(),
    )
    assert figures(deposit) == (
        DepositStatus.REFUNDED,
        D("300.00"),
        D("4700.00"),
        D("0.00"),
        D("0.00"),
    )
    reasons = list(
        Deposit.history.filter(id=deposit.pk)
        .order_by("history_date", "history_id")
        .values_list("history_change_reason", flat=True)
    )
    assert reasons == [
        "taken on receipt: " + deposit.receipt_line.receipt.number,
        "refund requested: ¥4,700.00",
        "refund approved",
        "refunded: ¥4,700.00",
    ]


def test_a_refund_without_deductions_gives_back_all(assistant, manager, finance):
    refund = prepare(assistant, accepted_deposit(D("800.00")), "800.00")
    refund_approve(by=manager, refund=refund)
    refund = refund_pay(by=finance, refund=refund, method="cash", reference="x", paid_on=today())
    assert (refund.deducted, refund.amount, refund.reference) == (D("0.00"), D("800.00"), "")
    assert deposit_balance(refund.deposit) == D("0.00")


def test_a_returned_refund_holds_the_deposit_again_and_its_deductions_count_for_nothing(
    assistant, manager
):
    deposit = accepted_deposit()
    refund = prepare(assistant, deposit, "4000.00", damage("1000.00"))
    refund = refund_return(by=manager, refund=refund, comment="扣款过多，请核实")
    assert (refund.status, refund.return_comment, refund.decided_by) == (
        RefundStatus.RETURNED,
        "扣款过多，请核实",
        manager,
    )
    assert figures(deposit) == (
        DepositStatus.HELD,
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("5000.00"),
    )
    again = prepare(assistant, deposit, "4800.00", damage("200.00"))
    assert (again.held, again.deducted) == (D("5000.00"), D("200.00"))
    assert Deduction.objects.filter(deposit=deposit).count() == 2


# --- what the desk may prepare ------------------------------------------------------------


def test_a_refund_above_the_balance_is_refused_with_a_message(assistant):
    deposit = accepted_deposit()
    assert refusal(lambda: prepare(assistant, deposit, "4800.00", damage("300.00"))) == [
        "The refund of ¥4,800.00 is more than the ¥4,700.00 left after the deductions "
        "(¥5,000.00 held, ¥300.00 deducted)."
    ]
    assert refusal(lambda: prepare(assistant, deposit, "5000.01")) == [
        "The refund of ¥5,000.01 is more than the ¥5,000.00 left after the deductions "
        "(¥5,000.00 held, ¥0.00 deducted)."
    ]
    assert Refund.objects.count() == 0
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.HELD


def test_a_refund_that_leaves_money_unaccounted_is_refused(assistant):
    deposit = accepted_deposit()
    assert refusal(lambda: prepare(assistant, deposit, "4500.00", damage("300.00"))) == [
        "The refund of ¥4,500.00 and the deductions leave ¥200.00 of the ¥5,000.00 held "
        "unaccounted for: itemise it as a deduction with its reason."
    ]


def test_deductions_that_take_everything_are_a_forfeit_not_a_refund(assistant):
    deposit = accepted_deposit(D("500.00"))
    assert refusal(lambda: prepare(assistant, deposit, "0.00", damage("500.00"))) == [
        "The deductions (¥500.00) take all of the ¥500.00 held: nothing is left to refund. "
        "The manager forfeits the deposit instead."
    ]


@pytest.mark.parametrize(
    "deduction, message",
    [
        (
            DeductionInput(kind="fine", reason="x", amount=D("1")),
            "choose what the deduction is for.",
        ),
        (DeductionInput(kind="damage", reason=" ", amount=D("1")), "say why the amount is kept."),
        (
            DeductionInput(kind="damage", reason="x", amount=D("-5")),
            "The amount must be more than 0 and at most 1,000,000.00.",
        ),
        (
            DeductionInput(kind="damage", reason="x", amount=D("0.001")),
            "The amount can have at most two decimals.",
        ),
        (
            DeductionInput(kind="unpaid_charge", reason="x", amount=D("1")),
            "a deduction of an unpaid charge names the charge, and only it does.",
        ),
    ],
)
def test_each_deduction_is_checked_and_named(assistant, deduction, message):
    deposit = accepted_deposit()
    assert refusal(lambda: prepare(assistant, deposit, "4990.00", damage("9.00"), deduction)) == [
        "Deduction 2: " + message
    ]


def test_only_a_held_deposit_is_refunded_once_at_a_time(assistant):
    refund = RefundFactory()
    message = ["Only a held deposit with no refund under way can be refunded."]
    assert refusal(lambda: prepare(assistant, refund.deposit, "4700.00", damage("300.00"))) == (
        message
    )
    paid = RefundFactory(status=RefundStatus.PAID)
    assert refusal(lambda: prepare(assistant, paid.deposit, "1.00")) == message


def test_the_database_allows_one_refund_under_way_per_deposit(assistant):
    refund = RefundFactory()
    copy = Refund(
        deposit=refund.deposit,
        held=D("100.00"),
        deducted=D("0.00"),
        amount=D("100.00"),
        payee="x",
        receipt_collected=True,
        prepared_by=assistant,
        prepared_at=refund.prepared_at,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_the_database_refuses_a_refund_that_does_not_add_up(assistant):
    deposit = accepted_deposit()
    for held, deducted, amount in [("100", "0", "100.01"), ("100", "10", "80"), ("0", "0", "0")]:
        row = Refund(
            deposit=deposit,
            held=D(held),
            deducted=D(deducted),
            amount=D(amount),
            payee="x",
            receipt_collected=True,
            prepared_by=assistant,
            prepared_at=deposit.taken_at,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()


# --- who decides and pays -----------------------------------------------------------------


def test_the_preparer_never_approves_or_returns_even_as_a_superuser(make_user):
    both = make_user("both", Role.ASSISTANT, Role.MANAGER, is_superuser=True)
    refund = prepare(both, accepted_deposit(), "5000.00")
    message = ["You prepared this refund: another manager must approve or return it."]
    assert refusal(lambda: refund_approve(by=both, refund=refund)) == message
    assert refusal(lambda: refund_return(by=both, refund=refund, comment="重做")) == message
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.REQUESTED


def test_the_database_refuses_a_decision_by_the_preparer(assistant):
    refund = RefundFactory(prepared_by=assistant)
    rows = Refund.objects.filter(pk=refund.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(decided_by=assistant, status=RefundStatus.APPROVED)


def test_who_prepared_or_approved_never_pays(make_user, manager):
    desk_and_finance = make_user("desk-fin", Role.ASSISTANT, Role.FINANCE)
    boss_and_finance = make_user("boss-fin", Role.MANAGER, Role.FINANCE)
    refund = prepare(desk_and_finance, accepted_deposit(), "5000.00")
    refund = refund_approve(by=boss_and_finance, refund=refund)
    message = ["You prepared or approved this refund: someone else in finance must pay it."]
    for user in (desk_and_finance, boss_and_finance):
        assert (
            refusal(
                lambda user=user: refund_pay(by=user, refund=refund, method="cash", paid_on=today())
            )
            == message
        )


@pytest.mark.parametrize(
    "action",
    ["prepare", "approve", "return", "pay"],
)
def test_each_step_belongs_to_its_role(action, assistant, manager, finance, auditor, department):
    refund = RefundFactory(status=RefundStatus.APPROVED if action == "pay" else "requested")
    steps = {
        "prepare": (assistant, lambda by: prepare(by, accepted_deposit(), "5000.00")),
        "approve": (manager, lambda by: refund_approve(by=by, refund=refund)),
        "return": (manager, lambda by: refund_return(by=by, refund=refund, comment="否")),
        "pay": (
            finance,
            lambda by: refund_pay(by=by, refund=refund, method="cash", paid_on=today()),
        ),
    }
    allowed, act = steps[action]
    for user in {assistant, manager, finance, auditor, department} - {allowed}:
        with pytest.raises(PermissionDenied):
            act(user)
    act(allowed)


# --- every transition of the refund -------------------------------------------------------

TRANSITIONS = {
    # from: (approve, return, pay)
    RefundStatus.REQUESTED: (True, True, False),
    RefundStatus.APPROVED: (False, False, True),
    RefundStatus.PAID: (False, False, False),
    RefundStatus.RETURNED: (False, False, False),
}


@pytest.mark.parametrize("status", list(TRANSITIONS))
def test_every_move_of_a_refund_is_allowed_or_refused(status, finance):
    moves = {
        "approve": (
            lambda refund: refund_approve(
                by=UserFactory(username="manager-2", roles=[Role.MANAGER]), refund=refund
            ),
            "Only a refund awaiting approval can be approved.",
            RefundStatus.APPROVED,
        ),
        "return": (
            lambda refund: refund_return(
                by=UserFactory(username="manager-2", roles=[Role.MANAGER]),
                refund=refund,
                comment="不符",
            ),
            "Only a refund awaiting approval can be returned.",
            RefundStatus.RETURNED,
        ),
        "pay": (
            lambda refund: refund_pay(by=finance, refund=refund, method="cash", paid_on=today()),
            "Only an approved refund can be paid.",
            RefundStatus.PAID,
        ),
    }
    for (name, (act, message, target)), allowed in zip(
        moves.items(), TRANSITIONS[status], strict=True
    ):
        refund = RefundFactory(status=status)
        if allowed:
            assert act(refund).status == target, name
        else:
            assert refusal(lambda act=act, refund=refund: act(refund)) == [message], name
            assert Refund.objects.get(pk=refund.pk).status == status


def test_a_return_needs_a_comment(manager):
    refund = RefundFactory()
    assert refusal(lambda: refund_return(by=manager, refund=refund, comment="  ")) == [
        "Say why the refund is returned."
    ]


# --- payment ------------------------------------------------------------------------------


def test_a_payment_says_how_and_when(finance):
    refund = RefundFactory(status=RefundStatus.APPROVED)
    assert refusal(
        lambda: refund_pay(by=finance, refund=refund, method="cheque", paid_on=today())
    ) == ["Choose a payment method."]
    assert refusal(
        lambda: refund_pay(by=finance, refund=refund, method="transfer", paid_on=today())
    ) == ["A non-cash payment needs its reference (transaction or voucher number)."]
    for day in (today() + timedelta(days=1), today() - timedelta(days=1)):
        assert refusal(
            lambda day=day: refund_pay(by=finance, refund=refund, method="cash", paid_on=day)
        ) == [f"The payment date must be from the approval ({today()}) to today."]
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.APPROVED


# --- the gate at approval -----------------------------------------------------------------


def test_the_manager_approves_only_while_the_gate_is_still_open(assistant, manager):
    from tests.factories.deposits import ViolationFactory

    refund = RefundFactory()
    ViolationFactory(application=refund.deposit.application, penalty=None)
    messages = refusal(lambda: refund_approve(by=manager, refund=refund))
    assert messages == [
        "The refund cannot be requested yet. No open violation: The violation of "
        f"{today()} is not resolved: 未按规定时间施工."
    ]
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.REQUESTED


# --- an unpaid charge deducted ------------------------------------------------------------


def test_an_unpaid_charge_deducted_settles_that_charge_when_approved(assistant, manager):
    deposit = accepted_deposit()
    charge = ChargeFactory(tenant=deposit.application.tenant, amount=D("650.00"))
    owed = DeductionInput(
        kind=DeductionKind.UNPAID_CHARGE, reason="欠垃圾清运费", amount=D("650.00"), charge=charge
    )
    refund = prepare(assistant, deposit, "4350.00", owed)
    assert charge_balances(Charge.objects.filter(pk=charge.pk)).get().outstanding == D("650.00")
    refund_approve(by=manager, refund=refund)
    charge = charge_balances(Charge.objects.filter(pk=charge.pk)).get()
    assert (charge.outstanding, ChargeStatus.of(charge)) == (D("0.00"), ChargeStatus.SETTLED)
    deduction = refund.deductions.get()
    assert (deduction.offset.amount, deduction.offset.source) == (
        D("650.00"),
        f"装修保证金 #{deposit.pk}抵扣",
    )


def test_a_charge_deducted_in_part_keeps_the_gate_closed(assistant):
    deposit = accepted_deposit()
    charge = ChargeFactory(tenant=deposit.application.tenant, amount=D("650.00"))
    part = DeductionInput(
        kind=DeductionKind.UNPAID_CHARGE, reason="欠费", amount=D("600.00"), charge=charge
    )
    assert refusal(lambda: prepare(assistant, deposit, "4400.00", part)) == [
        "The refund cannot be requested yet. No unpaid charge of the tenant (or deducted "
        "here): The charge “垃圾清运费” has ¥650.00 unpaid. ¥600.00 of it is deducted here."
    ]


def test_a_charge_is_deducted_no_more_than_is_owed_nor_from_another_tenant(assistant):
    deposit = accepted_deposit()
    charge = ChargeFactory(tenant=deposit.application.tenant, amount=D("650.00"))
    twice = [
        DeductionInput(kind="unpaid_charge", reason="欠费", amount=D("400.00"), charge=charge),
        DeductionInput(kind="unpaid_charge", reason="欠费", amount=D("300.00"), charge=charge),
    ]
    assert refusal(lambda: prepare(assistant, deposit, "4300.00", *twice)) == [
        "Deduction 2: only ¥650.00 is still owed on the charge “垃圾清运费”."
    ]
    other = ChargeFactory(amount=D("10.00"))
    theirs = DeductionInput(kind="unpaid_charge", reason="欠费", amount=D("10.00"), charge=other)
    assert refusal(lambda: prepare(assistant, deposit, "4990.00", theirs)) == [
        "Deduction 1: the charge is not one of the deposit's tenant."
    ]


def test_a_charge_paid_meanwhile_stops_the_approval(assistant, manager):
    from fees.services.receipts import LineInput, Payer, receipt_issue

    deposit = accepted_deposit()
    charge = ChargeFactory(tenant=deposit.application.tenant, amount=D("650.00"))
    owed = DeductionInput(kind="unpaid_charge", reason="欠费", amount=D("650.00"), charge=charge)
    refund = prepare(assistant, deposit, "4350.00", owed)
    receipt_issue(
        by=assistant,
        payer=Payer(kind="tenant", tenant=charge.tenant),
        lines=[LineInput(fee_type=charge.fee_type, unit_price=D("650.00"), charge=charge)],
        method="cash",
    )
    assert refusal(lambda: refund_approve(by=manager, refund=refund)) == [
        "Only ¥0.00 is still owed on the charge “垃圾清运费”: ¥650.00 cannot be offset."
    ]
    assert Refund.objects.get(pk=refund.pk).status == RefundStatus.REQUESTED


# --- forfeiture ---------------------------------------------------------------------------


def test_the_manager_forfeits_in_part_then_the_rest_is_refunded(assistant, manager, finance):
    deposit = accepted_deposit()
    deposit, kept = deposit_forfeit(by=manager, deposit=deposit, deductions=[damage("1200.00")])
    assert (deposit.status, [d.amount for d in kept], deposit_balance(deposit)) == (
        DepositStatus.HELD,
        [D("1200.00")],
        D("3800.00"),
    )
    refund = prepare(assistant, deposit, "3800.00")
    assert (refund.held, refund.amount) == (D("3800.00"), D("3800.00"))
    refund_approve(by=manager, refund=refund)
    refund_pay(by=finance, refund=refund, method="cash", paid_on=today())
    assert figures(deposit) == (
        DepositStatus.REFUNDED,
        D("1200.00"),
        D("3800.00"),
        D("0.00"),
        D("0.00"),
    )


def test_the_manager_forfeits_whole_and_the_deposit_closes(manager):
    deposit = accepted_deposit(D("500.00"))
    deposit, _kept = deposit_forfeit(
        by=manager, deposit=deposit, deductions=[damage("300.00"), damage("200.00", "门禁损坏")]
    )
    assert figures(deposit) == (
        DepositStatus.FORFEITED,
        D("500.00"),
        D("0.00"),
        D("0.00"),
        D("0.00"),
    )


def test_a_forfeit_is_never_more_than_is_held_nor_of_a_deposit_under_refund(manager, assistant):
    deposit = accepted_deposit(D("500.00"))
    assert refusal(
        lambda: deposit_forfeit(by=manager, deposit=deposit, deductions=[damage("500.01")])
    ) == ["The deposit holds ¥500.00: ¥500.01 cannot be kept from it."]
    assert refusal(lambda: deposit_forfeit(by=manager, deposit=deposit, deductions=[])) == [
        "Itemise what is kept, with its reason."
    ]
    prepare(assistant, deposit, "500.00")
    assert refusal(
        lambda: deposit_forfeit(by=manager, deposit=deposit, deductions=[damage("1.00")])
    ) == ["Only a held deposit, with no refund under way, can be forfeited."]
    with pytest.raises(PermissionDenied):
        deposit_forfeit(by=assistant, deposit=deposit, deductions=[damage("1.00")])
