"""Shop handovers (收铺): started by the desk, gated like a refund, confirmed complete by a
manager who did not prepare it; the unit is vacant then and the occupancy ends on the
handover date. Every charge the handover bills is exact."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from archives.models import Occupancy, UnitStatus
from deposits.enums import DeductionKind, DepositStatus, Meter, MoveOutStatus
from deposits.models import Deposit, MoveOut
from deposits.selectors.moveouts import moveout_checklist
from deposits.services.applications import application_reject
from deposits.services.deposits import deposit_forfeit, deposit_record
from deposits.services.moveouts import (
    moveout_add_item,
    moveout_cancel,
    moveout_charge_late_days,
    moveout_complete,
    moveout_confirm_condition,
    moveout_count_keys,
    moveout_read_meter,
    moveout_start,
)
from deposits.services.refunds import refund_approve, refund_pay, refund_prepare
from deposits.validators import DeductionInput
from fees.enums import FeeCategory
from fees.models import Charge, FeeType
from fees.selectors.charges import charge_balances
from fees.services.charges import charge_bill
from fees.services.permits import permit_return
from fees.services.receipts import LineInput, Payer, receipt_issue
from tests.factories.archives import OccupancyFactory
from tests.factories.deposits import DecorationApplicationFactory
from tests.factories.fees import FeeTypeFactory, PermitFactory, today
from tests.factories.people import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def refusal(action) -> str:
    with pytest.raises(ValidationError) as refused:
        action()
    return " ".join(refused.value.messages)


def occupancy(days_past_lease_end: int = 10) -> Occupancy:
    return OccupancyFactory(lease_ends_on=today() - timedelta(days=days_past_lease_end))


def start(by, occ, *, keys=3, late_fee="100.00", planned_on=None) -> MoveOut:
    return moveout_start(
        by=by,
        occupancy=occ,
        planned_on=planned_on or today(),
        keys_issued=keys,
        late_daily_fee=D(late_fee),
    )


def read_all(by, moveout):
    moveout_read_meter(
        by=by,
        moveout=moveout,
        meter=Meter.WATER,
        previous="100.00",
        final="112.50",
        unit_price="3.5",
    )
    moveout_read_meter(
        by=by,
        moveout=moveout,
        meter=Meter.ELECTRICITY,
        previous="2000.00",
        final="2345.60",
        unit_price="0.85",
    )
    moveout_read_meter(
        by=by, moveout=moveout, meter=Meter.GAS, previous="0", final="0", unit_price="0"
    )


def pay(by, charge):
    charge = charge_balances(Charge.objects.filter(pk=charge.pk)).get()
    receipt_issue(
        by=by,
        payer=Payer(kind="tenant", tenant=charge.tenant),
        lines=[LineInput(fee_type=charge.fee_type, unit_price=charge.outstanding, charge=charge)],
        method="cash",
        request_key=uuid.uuid4(),
    )


def open_items(moveout) -> dict[str, list[str]]:
    checklist = moveout_checklist(MoveOut.objects.get(pk=moveout.pk))
    return {
        check.item.value: [blocker.reason for blocker in check.blockers]
        for check in checklist.blocking
    }


def prepared(assistant, occ=None) -> MoveOut:
    """A handover with every item of its own done: keys, meters paid, no condition items,
    late days charged and paid."""
    occ = occ or occupancy()
    moveout = start(assistant, occ)
    moveout_count_keys(by=assistant, moveout=moveout, keys_returned=3)
    read_all(assistant, moveout)
    moveout_confirm_condition(by=assistant, moveout=moveout)
    moveout_charge_late_days(by=assistant, moveout=moveout)
    for charge in Charge.objects.filter(tenant=occ.tenant):
        pay(assistant, charge)
    return MoveOut.objects.get(pk=moveout.pk)


def other_deposit(by, occ, amount="2000.00") -> Deposit:
    """A deposit of another kind (a shop deposit), taken from the tenant on a receipt."""
    fee = FeeTypeFactory(code="shop_deposit", category=FeeCategory.DEPOSIT)
    receipt, _created = receipt_issue(
        by=by,
        payer=Payer(kind="tenant", tenant=occ.tenant),
        lines=[LineInput(fee_type=fee, unit_price=D(amount))],
        method="cash",
        unit=occ.unit,
        request_key=uuid.uuid4(),
    )
    return deposit_record(by=by, line=receipt.lines.get())


# --- the whole handover ---------------------------------------------------------------------


def test_a_handover_from_start_to_a_vacant_unit(assistant, manager, finance):
    occ = occupancy(days_past_lease_end=10)
    occ.unit.status = UnitStatus.OCCUPIED
    occ.unit.save()
    deposit = other_deposit(assistant, occ, "2000.00")
    moveout = start(assistant, occ, keys=3, late_fee="100.00")
    assert open_items(moveout) == {
        "keys": ["The keys have not been counted (3 issued)."],
        "meters": [
            "The water meter's final reading is not recorded.",
            "The electricity meter's final reading is not recorded.",
            "The gas meter's final reading is not recorded.",
        ],
        "condition": [
            "The unit's condition is not confirmed: record its items (or none) and confirm them."
        ],
        "deposits": [f"Other deposit #{deposit.pk} of ¥2,000.00 is held: refund it or forfeit it."],
        "late_days": [
            f"The shop is handed over 10 days after the lease ended on {occ.lease_ends_on}: "
            "charge them (¥1,000.00)."
        ],
    }
    moveout_count_keys(by=assistant, moveout=moveout, keys_returned=3)
    read_all(assistant, moveout)
    damage = moveout_add_item(
        by=assistant, moveout=moveout, description="墙面污损", price=D("300.00")
    )
    moveout_add_item(by=assistant, moveout=moveout, description="门锁松动", price="0")
    moveout_confirm_condition(by=assistant, moveout=moveout)
    moveout_charge_late_days(by=assistant, moveout=moveout)
    billed = {
        c.fee_type.code: (c.amount, c.description)
        for c in Charge.objects.filter(tenant=occ.tenant).select_related("fee_type")
    }
    code = occ.unit.code
    assert billed == {
        "water_fee": (D("43.75"), f"收铺 {code}：水表 100.00–112.50，用量 12.50 m³ × 3.5"),
        "electricity_fee": (
            D("293.76"),
            f"收铺 {code}：电表 2000.00–2345.60，用量 345.60 kWh × 0.85",
        ),
        "handover_damage": (D("300.00"), f"收铺 {code}：墙面污损"),
        "late_handover": (
            D("1000.00"),
            f"收铺 {code}：逾期交铺 10 天（租约 {occ.lease_ends_on} 到期）× 100.00",
        ),
    }
    moveout.refresh_from_db()
    assert (moveout.late_days, moveout.late_charge.amount) == (10, D("1000.00"))
    # The gas meter used nothing: nothing billed for it.
    assert moveout.readings.get(meter=Meter.GAS).charge is None
    # The meters and the late days are paid at the desk; the damage is deducted from the
    # deposit through its refund.
    for charge in Charge.objects.exclude(pk=damage.charge_id).filter(tenant=occ.tenant):
        pay(assistant, charge)
    assert open_items(moveout) == {
        "deposits": [
            f"Other deposit #{deposit.pk} of ¥2,000.00 is held: refund it or forfeit it. "
            f"The charge “收铺 {code}：墙面污损” has ¥300.00 unpaid."
        ],
        "charges": [f"The charge “收铺 {code}：墙面污损” has ¥300.00 unpaid."],
    }
    refund = refund_prepare(
        by=assistant,
        deposit=deposit,
        amount=D("1700.00"),
        deductions=[
            DeductionInput(
                kind=DeductionKind.UNPAID_CHARGE,
                reason="收铺损坏",
                amount=D("300.00"),
                charge=damage.charge,
            )
        ],
        receipt_collected=True,
    )
    refund_pay(
        by=finance, refund=refund_approve(by=manager, refund=refund), method="cash", paid_on=today()
    )
    assert open_items(moveout) == {}
    moveout_complete(by=manager, moveout=moveout)
    moveout.refresh_from_db()
    occ.refresh_from_db()
    occ.unit.refresh_from_db()
    assert (moveout.status, moveout.completed_by) == (MoveOutStatus.COMPLETE, manager)
    assert (occ.handed_over_on, occ.keys_returned, occ.deposits_settled) == (today(), 3, True)
    assert (occ.water_reading, occ.electricity_reading) == (D("112.50"), D("2345.60"))
    assert occ.condition == "墙面污损（¥300.00）\n门锁松动（¥0.00）"
    assert occ.unit.status == UnitStatus.VACANT
    assert Deposit.objects.get(pk=deposit.pk).status == DepositStatus.REFUNDED


# --- refused while something is open, allowed once fixed -------------------------------------


def test_completion_is_refused_while_keys_are_short(assistant, manager):
    moveout = prepared(assistant)
    moveout_count_keys(by=assistant, moveout=moveout, keys_returned=2)
    assert refusal(lambda: moveout_complete(by=manager, moveout=moveout)) == (
        "The shop handover cannot be completed yet. Keys returned as issued: 2 of 3 keys "
        "returned: 1 short."
    )
    assert MoveOut.objects.get(pk=moveout.pk).status == MoveOutStatus.OPEN
    moveout_count_keys(by=assistant, moveout=moveout, keys_returned=3)
    assert moveout_complete(by=manager, moveout=moveout).status == MoveOutStatus.COMPLETE


def test_completion_is_refused_while_a_charge_is_unpaid(assistant, manager):
    occ = occupancy()
    moveout = prepared(assistant, occ)
    charge = charge_bill(
        by=assistant,
        tenant=occ.tenant,
        unit=occ.unit,
        fee_type=FeeType.objects.get(code="waste_removal"),
        description="垃圾清运费",
        amount=D("80.00"),
        billed_on=today() - timedelta(days=5),
        due_on=today(),
    )
    assert refusal(lambda: moveout_complete(by=manager, moveout=moveout)) == (
        "The shop handover cannot be completed yet. Every charge up to the handover paid or "
        "offset: The charge “垃圾清运费” has ¥80.00 unpaid."
    )
    pay(assistant, charge)
    assert moveout_complete(by=manager, moveout=moveout).status == MoveOutStatus.COMPLETE


def test_completion_is_refused_while_a_permit_is_active(assistant, manager):
    occ = occupancy()
    permit = PermitFactory(unit=occ.unit)
    moveout = prepared(assistant, occ)
    assert refusal(lambda: moveout_complete(by=manager, moveout=moveout)) == (
        "The shop handover cannot be completed yet. Every worker permit ended: Permit "
        f"{permit.number} ({permit.worker_name}) is active: its card has not come back."
    )
    permit_return(by=assistant, permit=permit)
    assert moveout_complete(by=manager, moveout=moveout).status == MoveOutStatus.COMPLETE


def test_completion_is_refused_while_a_deposit_is_held(assistant, manager):
    occ = occupancy()
    deposit = other_deposit(assistant, occ, "500.00")
    moveout = prepared(assistant, occ)
    assert refusal(lambda: moveout_complete(by=manager, moveout=moveout)) == (
        "The shop handover cannot be completed yet. Every deposit refunded or forfeited: "
        f"Other deposit #{deposit.pk} of ¥500.00 is held: refund it or forfeit it."
    )
    deposit_forfeit(
        by=manager,
        deposit=deposit,
        deductions=[DeductionInput(kind=DeductionKind.OTHER, reason="违约", amount=D("500.00"))],
    )
    assert moveout_complete(by=manager, moveout=moveout).status == MoveOutStatus.COMPLETE


def test_whoever_prepared_it_never_completes_it(assistant, manager):
    moveout = prepared(assistant)
    both = UserFactory(roles=["assistant", "manager"])
    moveout_count_keys(by=both, moveout=moveout, keys_returned=3)
    assert refusal(lambda: moveout_complete(by=both, moveout=moveout)) == (
        "You prepared this shop handover: another person confirms it complete."
    )
    with pytest.raises(PermissionDenied):
        moveout_complete(by=assistant, moveout=moveout)


def test_the_database_refuses_a_completion_by_who_started_it(assistant):
    moveout = prepared(assistant)
    with pytest.raises(IntegrityError), transaction.atomic():
        MoveOut.objects.filter(pk=moveout.pk).update(
            status=MoveOutStatus.COMPLETE, completed_by=assistant
        )


# --- the steps' own rules --------------------------------------------------------------------


def test_no_late_days_when_the_lease_has_no_fee_or_the_shop_is_on_time(assistant):
    moveout = start(assistant, occupancy(days_past_lease_end=10), late_fee="0")
    assert refusal(lambda: moveout_charge_late_days(by=assistant, moveout=moveout)) == (
        "No late days are due for this handover."
    )
    on_time = start(assistant, occupancy(days_past_lease_end=-5))
    assert "late_days" not in open_items(on_time)


def test_one_open_handover_per_occupancy_and_cancel_needs_a_reason(assistant):
    occ = occupancy()
    moveout = start(assistant, occ)
    assert refusal(lambda: start(assistant, occ)) == (
        "A shop handover of this occupancy is open already."
    )
    assert refusal(lambda: moveout_cancel(by=assistant, moveout=moveout, reason=" ")) == (
        "Say why the handover is cancelled."
    )
    moveout_cancel(by=assistant, moveout=moveout, reason="租户续租")
    assert start(assistant, occ).status == MoveOutStatus.OPEN


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"final": "99.99"}, "The final reading cannot be below the previous one (100.00)."),
        ({"final": "1e3"}, "Enter the reading as a number from 0 with at most two decimals."),
        ({"previous": "-1"}, "Enter the reading as a number from 0 with at most two decimals."),
        ({"final": "120.001"}, "Enter the reading as a number from 0 with at most two decimals."),
        (
            {"unit_price": "NaN"},
            "Enter the unit price as a number from 0 to 1,000 with at most four decimals.",
        ),
        ({"meter": "steam"}, "Choose the meter."),
    ],
)
def test_a_bad_reading_is_refused_and_bills_nothing(assistant, changes, message):
    moveout = start(assistant, occupancy())
    given = {"meter": Meter.WATER, "previous": "100.00", "final": "120.00", "unit_price": "3.5"}
    given.update(changes)
    assert refusal(lambda: moveout_read_meter(by=assistant, moveout=moveout, **given)) == message
    assert (moveout.readings.count(), Charge.objects.count()) == (0, 0)


def test_a_meter_is_read_once_and_items_close_with_the_confirmation(assistant):
    moveout = start(assistant, occupancy())
    read_all(assistant, moveout)
    assert refusal(
        lambda: moveout_read_meter(
            by=assistant, moveout=moveout, meter="water", previous="1", final="2", unit_price="1"
        )
    ) == ("The water meter was read already.")
    moveout_confirm_condition(by=assistant, moveout=moveout)
    assert refusal(
        lambda: moveout_add_item(by=assistant, moveout=moveout, description="x", price="1")
    ) == ("The condition was confirmed already: no item can be added.")


def test_the_desk_cannot_start_a_handover_far_from_today(assistant):
    occ = occupancy()
    message = refusal(lambda: start(assistant, occ, planned_on=today() + timedelta(days=91)))
    assert message.startswith("The handover date must be from ")
    assert MoveOut.objects.count() == 0


def test_a_meters_charge_is_rounded_half_up_to_the_cent(assistant):
    moveout = start(assistant, occupancy())
    reading = moveout_read_meter(
        by=assistant, moveout=moveout, meter="gas", previous="1", final="2.5", unit_price="2.125"
    )
    # 1.50 m³ × 2.125 = 3.1875
    assert (reading.amount, reading.charge.amount) == (D("3.19"), D("3.19"))


def test_completion_is_refused_while_a_decoration_is_not_closed(assistant, manager):
    occ = occupancy()
    application = DecorationApplicationFactory(occupancy=occ, submitted_by=assistant)
    moveout = prepared(assistant, occ)
    checklist = moveout_checklist(moveout)
    (blocking,) = checklist.blocking
    assert [(b.reason, b.url) for b in blocking.blockers] == [
        (
            f"Decoration {application.number} is submitted: close it or reject it first.",
            reverse("deposits:application_detail", args=[application.pk]),
        )
    ]
    application_reject(by=manager, application=application, reason="图纸不全")
    assert moveout_complete(by=manager, moveout=moveout).status == MoveOutStatus.COMPLETE


def test_a_handover_is_completed_on_its_date_or_later(assistant, manager):
    moveout = start(assistant, occupancy(), planned_on=today() + timedelta(days=2))
    assert refusal(lambda: moveout_complete(by=manager, moveout=moveout)) == (
        f"The handover is planned for {today() + timedelta(days=2)}: it is completed on that "
        "day or later."
    )
