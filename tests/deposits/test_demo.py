"""The demo street's decorations (deposits.demo): after `demo_data` on an empty database,
every state of an application, a deposit and a refund is there, and a shop handover open
and one complete, made through the services by the demo staff on days of the demo's past,
and the desk's money still ties out."""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.utils import timezone

from archives.models import UnitStatus
from archives.panels import LEASE_REMINDER_DAYS
from archives.selectors import leases_ending
from config.money import ZERO
from deposits.enums import (
    ApplicationStatus,
    DepositKind,
    DepositStatus,
    MoveOutStatus,
    RefundStatus,
)
from deposits.models import (
    ApplicationExtension,
    DecorationApplication,
    Deduction,
    Deposit,
    Inspection,
    MoveOut,
    Refund,
    Violation,
)
from deposits.selectors.deposits import deposit_balance
from deposits.selectors.moveouts import (
    moveout_charge_ids,
    moveout_checklist,
    tenant_decorations,
    tenant_deposits,
)
from fees.demo import DEMO_DAYS
from fees.enums import DayState, PermitStatus, ReceiptStatus
from fees.models import Charge, DailyClose, Permit, Receipt
from fees.selectors.chain import chain_verify
from fees.selectors.charges import charge_balances
from fees.selectors.days import day_takings
from fees.selectors.statements import month_figures

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
D = Decimal
# 10:00 in Shanghai, seven weeks into a year: the story's first days are in the year before.
NOW = datetime(2027, 2, 19, 2, 0, tzinfo=UTC)
TODAY = date(2027, 2, 19)


class Clock:
    """The machine's clock for the test: a millisecond later at every reading."""

    def __init__(self, now: datetime):
        self.now = now

    def read(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


@pytest.fixture
def street(monkeypatch):
    monkeypatch.setattr(timezone, "now", Clock(NOW).read)
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "10 decorations with their deposits and refunds, and 2 shop handovers" in out.getvalue()


def statuses(model) -> dict[str, int]:
    return dict(model.objects.values_list("status").annotate(n=Count("pk")).order_by())


def test_every_state_of_a_decoration_a_deposit_and_a_refund_is_in_the_demo(street):
    # Each application, deposit and refund state, as the stories leave them.
    assert statuses(DecorationApplication) == {
        ApplicationStatus.SUBMITTED: 1,
        ApplicationStatus.APPROVED: 1,
        ApplicationStatus.REJECTED: 1,
        ApplicationStatus.IN_PROGRESS: 1,
        ApplicationStatus.FAILED: 1,
        ApplicationStatus.PASSED: 2,
        ApplicationStatus.CLOSED: 3,
    }
    decoration = Deposit.objects.filter(kind=DepositKind.DECORATION)
    assert dict(decoration.values_list("status").annotate(n=Count("pk")).order_by()) == {
        DepositStatus.HELD: 4,
        DepositStatus.REFUND_REQUESTED: 1,
        DepositStatus.APPROVED: 1,
        DepositStatus.REFUNDED: 2,
        DepositStatus.FORFEITED: 1,
        DepositStatus.CANCELLED: 1,
    }
    assert set(statuses(Deposit)) == set(DepositStatus.values)
    assert statuses(Refund) == {
        RefundStatus.REQUESTED: 2,
        RefundStatus.APPROVED: 1,
        RefundStatus.PAID: 7,
        RefundStatus.RETURNED: 1,
    }
    rejected = DecorationApplication.objects.get(status=ApplicationStatus.REJECTED)
    assert rejected.rejection_reason == "涉及主体结构拆改，需先提交结构安全鉴定报告"
    returned = Refund.objects.get(status=RefundStatus.RETURNED)
    assert returned.return_comment == "收据客户联与存根金额不符，请核对后重新提交"
    # Its history says it went back to the desk (not "returned", a receipt book's word).
    assert returned.history.first().history_change_reason == (
        "returned to the desk: 收据客户联与存根金额不符，请核对后重新提交"
    )

    # Failed with items, then passed at the re-inspection; one still failed.
    assert (
        sorted(
            (inspection.result, inspection.items.count()) for inspection in Inspection.objects.all()
        )
        == [("fail", 2), ("fail", 3)] + [("pass", 0)] * 5
    )
    extension = ApplicationExtension.objects.get()
    assert extension.application.status == ApplicationStatus.IN_PROGRESS
    assert extension.new_end - extension.previous_end == timedelta(days=21)
    # One violation put right, its penalty deducted from the refund; one open, still owed.
    violations = {v.is_open: v for v in Violation.objects.all()}
    owed = {
        resolved is None: outstanding
        for resolved, outstanding in charge_balances(
            Charge.objects.filter(violation__isnull=False)
        ).values_list("violation__resolved_on", "outstanding")
    }
    assert owed == {False: ZERO, True: D("300.00")}
    assert violations[False].penalty.amount == D("500.00")
    settling = Deduction.objects.get(charge__isnull=False)
    assert (settling.charge, settling.amount, settling.offset.amount) == (
        violations[False].penalty,
        D("500.00"),
        D("500.00"),
    )
    # Permit cards: held, released (back, not yet refunded), refunded, forfeited (lost).
    cards = Deposit.objects.filter(
        kind=DepositKind.PERMIT_CARD, permit__decoration_link__isnull=False
    )
    released = cards.filter(status=DepositStatus.HELD, released_on__isnull=False)
    assert released.count() == 4
    assert cards.filter(status=DepositStatus.HELD, released_on__isnull=True).count() == 4
    lost = Permit.objects.get(status=PermitStatus.LOST)
    assert lost.card_deposit_record.status == DepositStatus.FORFEITED
    # Forfeited in part: the deposit is held with less in it.
    partly = Deposit.objects.get(
        deductions__isnull=False, deductions__refund__isnull=True, status=DepositStatus.HELD
    )
    assert deposit_balance(partly) == D("4200.00")
    cancelled = Deposit.objects.get(status=DepositStatus.CANCELLED)
    assert cancelled.receipt_line.receipt.status == ReceiptStatus.VOID

    for refund in Refund.objects.all():
        assert refund.held == refund.deducted + refund.amount
        counted = refund.deductions.aggregate(total=Sum("amount"))["total"] or ZERO
        assert counted == refund.deducted
    deducted = Refund.objects.get(deducted__gt=0)
    assert (deducted.held, deducted.deducted, deducted.amount, deducted.status) == (
        D("5000.00"),
        D("850.00"),
        D("4150.00"),
        RefundStatus.PAID,
    )
    for deposit in Deposit.objects.filter(
        status__in=[DepositStatus.REFUNDED, DepositStatus.FORFEITED]
    ):
        assert deposit_balance(deposit) == ZERO

    # Nobody decided their own work.
    for application in DecorationApplication.objects.exclude(decided_by=None):
        assert application.decided_by.username == "manager"
        assert application.submitted_by.username in ("assistant", "assistant2")
    for refund in Refund.objects.all():
        assert refund.prepared_by.username in ("assistant", "assistant2")
        assert refund.decided_by is None or refund.decided_by.username == "manager"
        assert refund.paid_by is None or refund.paid_by.username == "finance"


def test_the_story_happened_on_the_demo_days_and_the_takings_still_tie_out(street):
    first = TODAY - timedelta(days=DEMO_DAYS)
    moments = [
        *DecorationApplication.objects.values_list("submitted_at", flat=True),
        *Deposit.objects.values_list("taken_at", flat=True),
        *Refund.objects.values_list("prepared_at", flat=True),
        *Refund.objects.exclude(paid_at=None).values_list("paid_at", flat=True),
    ]
    days = {timezone.localdate(moment) for moment in moments}
    assert min(days) == TODAY - timedelta(days=78)
    assert first < min(days) and max(days) == TODAY
    # The decorations' money was taken on past days, which are closed with it.
    story = Receipt.objects.filter(
        Q(lines__deposits__application__isnull=False) | Q(permits__decoration_link__isnull=False)
    ).distinct()
    assert story.count() == 17
    assert story.filter(business_date__lt=TODAY - timedelta(days=1)).count() == 17
    assert DailyClose.objects.exclude(state=DayState.HANDED_OVER).values_list(
        "business_date", "state"
    ).get() == (TODAY, DayState.OPEN)
    for day in DailyClose.objects.filter(state=DayState.HANDED_OVER).prefetch_related(
        "methods", "handover"
    ):
        takings = day_takings(day.business_date).by_method
        figures = {row.method: (row.expected, row.counted) for row in day.methods.all()}
        assert figures == {method: (takings[method], takings[method]) for method in figures}
        assert day.handover.cash_received == takings["cash"]
    closed_rows = 0
    takings_days = [first + timedelta(days=n) for n in range(DEMO_DAYS + 1)]
    for year, month in sorted({(day.year, day.month) for day in takings_days}):
        month_sheet = month_figures(year, month)
        assert month_sheet.ties_out
        for row in month_sheet.closes:
            if row.close.state == DayState.HANDED_OVER:
                closed_rows += 1
                assert row.system_total == row.expected_total == row.counted_total
                assert row.cash_handed == row.cash_received
    assert closed_rows == DEMO_DAYS
    # Every receipt of both years' series is in its chain, unbroken.
    report = chain_verify()
    assert (report.breaks, report.checked) == ([], Receipt.objects.count())


def readings(moveout) -> dict[str, tuple]:
    return {
        r.meter: (r.previous, r.final, r.amount, r.charge is not None)
        for r in moveout.readings.all()
    }


def owed(moveout) -> dict[str, Decimal]:
    charges = charge_balances(Charge.objects.filter(pk__in=moveout_charge_ids(moveout)))
    return dict(charges.values_list("description", "outstanding"))


def test_a_shop_handover_is_complete_and_one_under_way(street):
    assert statuses(MoveOut) == {MoveOutStatus.COMPLETE: 1, MoveOutStatus.OPEN: 1}
    desk = ("assistant", "assistant2")

    # Complete: the lease ended three weeks ago, the shop came back two days late.
    done = MoveOut.objects.get(status=MoveOutStatus.COMPLETE)
    occupancy, code = done.occupancy, done.occupancy.unit.code
    assert occupancy.lease_ends_on == TODAY - timedelta(days=21)
    assert (done.planned_on, done.keys_issued, done.keys_returned) == (
        TODAY - timedelta(days=19),
        4,
        4,
    )
    assert timezone.localdate(done.started_at) == TODAY - timedelta(days=28)
    assert timezone.localdate(done.completed_at) == TODAY - timedelta(days=18)
    assert readings(done) == {
        "water": (D("1236.40"), D("1251.90"), D("54.25"), True),
        "electricity": (D("48210.00"), D("48796.50"), D("498.53"), True),
        "gas": (D("310.20"), D("310.20"), ZERO, False),
    }
    assert list(done.items.values_list("description", "price")) == [
        ("卷帘门锁芯损坏，需更换", D("180.00")),
        ("墙面留有挂钩孔洞", ZERO),
    ]
    assert (done.late_days, done.late_charge.amount) == (2, D("300.00"))
    # Everything it billed was paid at the desk, on one receipt of a closed day.
    assert owed(done) == {
        f"收铺 {code}：水表 1236.40–1251.90，用量 15.50 m³ × 3.5": ZERO,
        f"收铺 {code}：电表 48210.00–48796.50，用量 586.50 kWh × 0.85": ZERO,
        f"收铺 {code}：卷帘门锁芯损坏，需更换": ZERO,
        f"收铺 {code}：逾期交铺 2 天（租约 {occupancy.lease_ends_on} 到期）× 150.00": ZERO,
    }
    paid_on = Receipt.objects.filter(lines__charge__in=moveout_charge_ids(done)).distinct()
    assert [(r.business_date, r.total, r.status) for r in paid_on] == [
        (TODAY - timedelta(days=19), D("1032.78"), ReceiptStatus.ISSUED)
    ]
    assert DailyClose.objects.get(business_date=TODAY - timedelta(days=19)).state == (
        DayState.HANDED_OVER
    )
    # Its decoration closed, its deposits all refunded; the unit vacant.
    assert list(tenant_decorations(done).values_list("status", flat=True)) == [
        ApplicationStatus.CLOSED
    ]
    held = tenant_deposits(done)
    assert sorted(held.values_list("kind", "status", "balance")) == [
        (DepositKind.DECORATION, DepositStatus.REFUNDED, ZERO),
        (DepositKind.PERMIT_CARD, DepositStatus.REFUNDED, ZERO),
        (DepositKind.PERMIT_CARD, DepositStatus.REFUNDED, ZERO),
    ]
    assert moveout_checklist(done).is_clear
    assert (
        occupancy.handed_over_on,
        occupancy.keys_returned,
        occupancy.water_reading,
        occupancy.electricity_reading,
        occupancy.deposits_settled,
        occupancy.condition,
    ) == (
        done.planned_on,
        4,
        D("1251.90"),
        D("48796.50"),
        True,
        "卷帘门锁芯损坏，需更换（¥180.00）\n墙面留有挂钩孔洞（¥0.00）",
    )
    assert occupancy.unit.status == UnitStatus.VACANT
    assert done.started_by.username in desk and done.keys_counted_by.username in desk
    assert done.completed_by.username == "manager" == occupancy.handed_over_to.username
    # Each step's history names who did it, as at the desk.
    steps = [record.history_user.username for record in done.history.order_by("history_date")]
    assert len(steps) == 10 and set(steps[:-1]) <= set(desk) and steps[-1] == "manager"
    # (today's crews are fees.demo's, with their card deposits)
    midnight = timezone.make_aware(datetime.combine(TODAY, datetime.min.time()))
    for model in (DecorationApplication, Deposit, Refund, Violation, MoveOut):
        stories = model.history.filter(history_date__lt=midnight)
        assert stories.exists() and not stories.filter(history_user=None).exists()

    # Open: the lease ends in nine days; keys one short, meters billed and owed, the
    # condition still to record.
    under_way = MoveOut.objects.get(status=MoveOutStatus.OPEN)
    occupancy, code = under_way.occupancy, under_way.occupancy.unit.code
    assert under_way.planned_on == occupancy.lease_ends_on == TODAY + timedelta(days=9)
    assert (under_way.keys_issued, under_way.keys_returned) == (3, 2)
    assert readings(under_way) == {
        "water": (D("862.00"), D("874.50"), D("43.75"), True),
        "electricity": (D("23105.40"), D("23512.80"), D("346.29"), True),
        "gas": (D("95.30"), D("101.80"), D("20.80"), True),
    }
    assert (under_way.items.count(), under_way.condition_confirmed_at) == (0, None)
    unpaid = {
        f"收铺 {code}：水表 862.00–874.50，用量 12.50 m³ × 3.5": D("43.75"),
        f"收铺 {code}：电表 23105.40–23512.80，用量 407.40 kWh × 0.85": D("346.29"),
        f"收铺 {code}：燃气表 95.30–101.80，用量 6.50 m³ × 3.2": D("20.80"),
    }
    assert owed(under_way) == unpaid
    checklist = moveout_checklist(under_way)
    assert {check.item.value: [b.reason for b in check.blockers] for check in checklist.checks} == {
        "keys": ["2 of 3 keys returned: 1 short."],
        "meters": [],
        "condition": [
            "The unit's condition is not confirmed: record its items (or none) and confirm them."
        ],
        "decorations": [],
        "permits": [],
        "deposits": [],
        # The tenant's penalty fees.demo billed is owed too.
        "charges": ["The charge “违约金 2027年01月” has ¥1,200.00 unpaid."]
        + [f"The charge “{what}” has ¥{amount} unpaid." for what, amount in unpaid.items()],
        "late_days": [],
    }
    assert occupancy.handed_over_on is None and occupancy.unit.status == UnitStatus.OCCUPIED
    assert {r.recorded_by.username for r in under_way.readings.all()} <= set(desk)

    # The desk's reminder: this lease and one more end within its days; none is past.
    assert [(o.lease_ends_on - TODAY).days for o in leases_ending(TODAY, LEASE_REMINDER_DAYS)] == [
        4,
        9,
    ]
