"""The decorations' part of the demo street: ten fit-outs over the demo's months, with
their deposits, permits, inspections, violations and refunds in every state; and two shop
handovers of the leases archives.demo ends about now (one complete, one under way).

Everything goes through the services, by the demo staff as at the desk: the assistants
register, take money and prepare refunds, the manager decides, finance pays; nobody decides
their own work. Each decoration is a story whose steps happen on days of the demo's past
(config.demo.DemoClock): the services check and write each step as on its day, and their
receipts fall on days that fees closes afterwards (fees.demo.finish), so the closes count them.
"""

import random
import uuid
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from faker import Faker

from archives.demo import LEASE_ENDS
from archives.models import Contractor, IdDocType, Occupancy
from config.demo import DemoClock, DemoStreet, acting, make_mobile, make_resident_id
from deposits.enums import DeductionKind, InspectionResult, Meter
from deposits.models import DecorationApplication, Deposit, MoveOut, Refund
from deposits.selectors.moveouts import charges_to_settle
from deposits.services.applications import (
    ApplicationInput,
    application_approve,
    application_close,
    application_extend,
    application_permits_issue,
    application_reject,
    application_start,
    application_submit,
    inspection_record,
)
from deposits.services.deposits import deposit_forfeit, deposit_take
from deposits.services.moveouts import (
    moveout_add_item,
    moveout_charge_late_days,
    moveout_complete,
    moveout_confirm_condition,
    moveout_count_keys,
    moveout_read_meter,
    moveout_start,
)
from deposits.services.refunds import refund_approve, refund_pay, refund_prepare, refund_return
from deposits.services.violations import violation_record, violation_resolve
from deposits.validators import DeductionInput
from fees.models import Charge, Permit
from fees.services.permits import WorkerInput, permit_report_lost, permit_return
from fees.services.receipts import (
    LineInput,
    Payer,
    receipt_approve_void,
    receipt_issue,
    receipt_request_void,
)

# A step of a story: it happens so many days ago, at that hour.
Step = Iterator[tuple[int, int]]


def act(service, /, *, by, **kwargs):
    """A service called by a member of staff, whose name its records' history shows (at the
    desk, the request names them)."""
    with acting(by):
        return service(by=by, **kwargs)


SCOPES = [
    "门面招牌更换、室内吊顶及墙面翻新",
    "厨房排烟管道改造，更换地砖",
    "店内货架及灯光改造",
    "卫生间防水重做，水电线路改造",
    "外立面橱窗更换，室内隔断拆除重建",
    "空调外机移位，吊顶及地面翻新",
    "收银台及展示柜制作安装",
    "整体装修：拆除原有装饰，重新布置水电、吊顶、墙地面",
    "二楼夹层加固及楼梯制作",
    "门头雨棚更换及外墙清洗",
]


@dataclass(frozen=True)
class Staff:
    assistant: object
    assistant2: object
    manager: object
    finance: object
    inspector: object


class Desk:
    """The cast of the stories and their steps, each through one service."""

    def __init__(self, *, seed: int, clock: DemoClock):
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.clock = clock
        user = get_user_model().objects.get_by_natural_key
        self.staff = Staff(
            assistant=user("assistant"),
            assistant2=user("assistant2"),
            manager=user("manager"),
            finance=user("finance"),
            inspector=user("engineering"),
        )
        # The occupancies whose leases end about now (archives.demo), by story.
        self.leaving = {
            story: Occupancy.objects.filter(
                handed_over_on__isnull=True,
                lease_ends_on=clock.today + timedelta(days=days),
            )
            .select_related("unit", "tenant")
            .order_by("-unit__code")
            .first()
            for story, days in LEASE_ENDS.items()
        }
        # Tenants who owe nothing (fees.demo bills some), so that a refund's gate opens
        # unless the story itself bills the tenant; none of the leaving ones.
        owing = Charge.objects.values_list("tenant_id", flat=True)
        self.occupancies = list(
            Occupancy.objects.filter(handed_over_on__isnull=True)
            .exclude(tenant_id__in=owing)
            .exclude(pk__in=[occupancy.pk for occupancy in self.leaving.values()])
            .select_related("unit", "tenant")
            .order_by("unit__code")
        )
        self.rng.shuffle(self.occupancies)
        self.contractors = list(Contractor.objects.filter(active=True).order_by("pk"))
        self.scopes = list(SCOPES)
        self.rng.shuffle(self.scopes)

    @property
    def clerk(self):
        return self.rng.choice([self.staff.assistant, self.staff.assistant2])

    def _workers(self, count: int) -> list[WorkerInput]:
        return [
            WorkerInput(
                name=self.fake.name(),
                id_doc_type=IdDocType.RESIDENT_ID,
                id_number=make_resident_id(self.rng),
                phone=make_mobile(self.rng),
            )
            for _n in range(count)
        ]

    def _method(self) -> tuple[str, str]:
        method = self.rng.choice(["cash", "wechat", "alipay", "transfer"])
        return method, "" if method == "cash" else f"T{self.rng.randrange(10**10):010d}"

    def submit(self, weeks: int, occupancy: Occupancy | None = None) -> DecorationApplication:
        occupancy = occupancy or self.occupancies.pop()
        today = self.clock.date
        return act(
            application_submit,
            by=self.clerk,
            data=ApplicationInput(
                unit=occupancy.unit,
                tenant=occupancy.tenant,
                contractor=self.rng.choice(self.contractors),
                scope=self.scopes.pop(),
                planned_start=today + timedelta(days=3),
                planned_end=today + timedelta(days=3 + 7 * weeks),
            ),
        )

    def approve(self, application) -> None:
        act(application_approve, by=self.staff.manager, application=application)

    def take(self, application, amount: Decimal | None = None) -> Deposit:
        method, reference = self._method()
        deposit, _created = act(
            deposit_take,
            by=self.clerk,
            application=application,
            method=method,
            reference=reference,
            amount=amount,
        )
        return deposit

    def start(self, application) -> None:
        act(application_start, by=self.clerk, application=application, started_on=self.clock.date)

    def permits(self, application, workers: int) -> list[Permit]:
        _receipt, permits, _created = act(
            application_permits_issue,
            by=self.clerk,
            application=application,
            workers=self._workers(workers),
            valid_from=self.clock.date,
            valid_to=DecorationApplication.objects.get(pk=application.pk).planned_end,
            method="cash",
            with_card_deposit=True,
        )
        return permits

    def inspect(self, application, items: list[str] | None = None) -> None:
        act(
            inspection_record,
            by=self.clerk,
            application=application,
            inspected_on=self.clock.date,
            inspector=self.staff.inspector,
            result=InspectionResult.FAIL if items else InspectionResult.PASS,
            items=items or [],
            remarks="复验合格" if not items and application.inspections.exists() else "",
        )

    def return_cards(self, permits: list[Permit]) -> None:
        for permit in permits:
            act(permit_return, by=self.clerk, permit=permit)

    def prepare(self, deposit: Deposit, deductions: list[DeductionInput] = ()) -> Refund:
        deducted = sum((item.amount for item in deductions), Decimal("0.00"))
        return act(
            refund_prepare,
            by=self.clerk,
            deposit=deposit,
            amount=deposit.amount - deducted,
            deductions=list(deductions),
            receipt_collected=True,
        )

    def approve_refund(self, refund: Refund) -> None:
        act(refund_approve, by=self.staff.manager, refund=refund)

    def pay(self, refund: Refund) -> None:
        method, reference = self._method()
        act(
            refund_pay,
            by=self.staff.finance,
            refund=refund,
            method=method,
            reference=reference,
            paid_on=self.clock.date,
        )

    def pay_charges(self, moveout: MoveOut) -> None:
        """The tenant pays at the desk what the handover asks to be settled, on one
        receipt."""
        charges = charges_to_settle(moveout)
        method, reference = self._method()
        act(
            receipt_issue,
            by=self.clerk,
            payer=Payer(kind="tenant", tenant=moveout.occupancy.tenant),
            lines=[
                LineInput(fee_type=charge.fee_type, unit_price=charge.outstanding, charge=charge)
                for charge in charges
            ],
            method=method,
            reference=reference,
            unit=moveout.occupancy.unit,
            request_key=uuid.UUID(int=self.rng.getrandbits(128)),
        )

    def read_meters(self, moveout: MoveOut, readings: dict[Meter, tuple[str, str, str]]) -> None:
        for meter, (previous, final, unit_price) in readings.items():
            act(
                moveout_read_meter,
                by=self.clerk,
                moveout=moveout,
                meter=meter,
                previous=previous,
                final=final,
                unit_price=unit_price,
            )


def card_deposits(permits: list[Permit]) -> list[Deposit]:
    return [Deposit.objects.get(permit=permit) for permit in permits]


def under_way(
    desk: Desk,
    days: tuple[int, int, int, int],
    *,
    weeks: int,
    cards: int = 0,
    occupancy: Occupancy | None = None,
) -> Generator[tuple[int, int], None, tuple[DecorationApplication, Deposit, list[Permit]]]:
    """The opening every fit-out's story shares, on the given days ago: submitted at 9,
    approved at 15, its deposit taken at 10, the works started at 8 and, with ``cards``,
    that many workers' permit cards issued at 11. Gives back the application, its deposit
    and the cards (``yield from``)."""
    submitted_on, approved_on, taken_on, started_on = days
    yield submitted_on, 9
    application = desk.submit(weeks=weeks, occupancy=occupancy)
    yield approved_on, 15
    desk.approve(application)
    yield taken_on, 10
    deposit = desk.take(application)
    yield started_on, 8
    desk.start(application)
    permits = []
    if cards:
        yield started_on, 11
        permits = desk.permits(application, cards)
    return application, deposit, permits


# --- the stories ------------------------------------------------------------------------


def closed_with_penalty(desk: Desk) -> Step:
    """Closed: a violation with a penalty, put right; the unpaid penalty and a damage are
    deducted from the refund, which settles the penalty; the cards back and refunded."""
    application, deposit, cards = yield from under_way(desk, (78, 77, 76, 75), weeks=4, cards=3)
    yield 66, 10
    violation = act(
        violation_record,
        by=desk.clerk,
        application=application,
        description="占用消防通道堆放建筑材料",
        occurred_on=desk.clock.date,
        penalty=Decimal("500.00"),
    )
    yield 64, 15
    act(
        violation_resolve, by=desk.clerk, violation=violation, resolution="材料已清走，通道恢复畅通"
    )
    yield 48, 14
    desk.inspect(application)
    yield 47, 16
    desk.return_cards(cards)
    yield 45, 10
    refunds = [
        desk.prepare(
            deposit,
            [
                DeductionInput(
                    kind=DeductionKind.UNPAID_CHARGE,
                    reason="违约金未缴，从保证金中扣除",
                    amount=Decimal("500.00"),
                    charge=violation.penalty,
                ),
                DeductionInput(
                    kind=DeductionKind.DAMAGE,
                    reason="公共区域地砖破损修复",
                    amount=Decimal("350.00"),
                ),
            ],
        )
    ]
    refunds += [desk.prepare(card) for card in card_deposits(cards)]
    yield 43, 16
    for refund in refunds:
        desk.approve_refund(refund)
    yield 41, 11
    for refund in refunds:
        desk.pay(refund)
    yield 40, 17
    act(application_close, by=desk.clerk, application=application)


def closed_cleanly(desk: Desk) -> Step:
    """Closed: passed at the first inspection, everything refunded in full; then the
    tenant's lease ended and the shop was handed back (handed_back)."""
    application, deposit, cards = yield from under_way(
        desk, (72, 71, 70, 69), weeks=3, cards=2, occupancy=desk.leaving["handed_back"]
    )
    yield 46, 14
    desk.inspect(application)
    yield 46, 16
    desk.return_cards(cards)
    yield 40, 10
    refunds = [desk.prepare(held) for held in [deposit, *card_deposits(cards)]]
    yield 38, 16
    for refund in refunds:
        desk.approve_refund(refund)
    yield 36, 11
    for refund in refunds:
        desk.pay(refund)
    yield 35, 17
    act(application_close, by=desk.clerk, application=application)
    yield from handed_back(desk)


def handed_back(desk: Desk) -> Step:
    """Complete: the lease ended three weeks ago and the shop came back two days late; the
    keys all back, the meters read and billed, a broken lock priced, the late days charged,
    everything paid at the desk; the manager confirmed it and the unit stands vacant."""
    occupancy = desk.leaving["handed_back"]
    yield 28, 10
    moveout = act(
        moveout_start,
        by=desk.clerk,
        occupancy=occupancy,
        planned_on=occupancy.lease_ends_on + timedelta(days=2),
        keys_issued=4,
        late_daily_fee="150.00",
    )
    yield 19, 10
    act(moveout_count_keys, by=desk.clerk, moveout=moveout, keys_returned=4)
    desk.read_meters(
        moveout,
        {
            Meter.WATER: ("1236.40", "1251.90", "3.5"),
            Meter.ELECTRICITY: ("48210.00", "48796.50", "0.85"),
            Meter.GAS: ("310.20", "310.20", "3.2"),
        },
    )
    yield 19, 11
    act(
        moveout_add_item,
        by=desk.clerk,
        moveout=moveout,
        description="卷帘门锁芯损坏，需更换",
        price="180.00",
    )
    act(moveout_add_item, by=desk.clerk, moveout=moveout, description="墙面留有挂钩孔洞", price="0")
    act(moveout_confirm_condition, by=desk.clerk, moveout=moveout)
    act(moveout_charge_late_days, by=desk.clerk, moveout=moveout)
    yield 19, 15
    desk.pay_charges(moveout)
    yield 18, 10
    act(moveout_complete, by=desk.staff.manager, moveout=moveout)


def handing_back(desk: Desk) -> Step:
    """Open: the lease ends in nine days; the keys are counted (one short) and the meters
    read and billed, not paid yet; the condition is still to be recorded."""
    occupancy = desk.leaving["handing_back"]
    yield 6, 10
    moveout = act(
        moveout_start,
        by=desk.clerk,
        occupancy=occupancy,
        planned_on=occupancy.lease_ends_on,
        keys_issued=3,
        late_daily_fee="100.00",
    )
    yield 1, 15
    act(moveout_count_keys, by=desk.clerk, moveout=moveout, keys_returned=2)
    desk.read_meters(
        moveout,
        {
            Meter.WATER: ("862.00", "874.50", "3.5"),
            Meter.ELECTRICITY: ("23105.40", "23512.80", "0.85"),
            Meter.GAS: ("95.30", "101.80", "3.2"),
        },
    )


def passed_after_reinspection(desk: Desk) -> Step:
    """Passed at its re-inspection; the first refund request was returned to the desk with
    a comment, the second waits for the manager, and so does one card's."""
    application, deposit, cards = yield from under_way(desk, (70, 68, 67, 65), weeks=4, cards=2)
    yield 38, 14
    desk.inspect(application, ["消防喷淋头被吊顶遮挡", "配电箱未做接地", "施工垃圾未清运"])
    yield 30, 14
    desk.inspect(application)
    yield 29, 16
    desk.return_cards(cards)
    yield 27, 10
    returned = desk.prepare(deposit)
    yield 26, 16
    act(
        refund_return,
        by=desk.staff.manager,
        refund=returned,
        comment="收据客户联与存根金额不符，请核对后重新提交",
    )
    yield 22, 10
    desk.prepare(deposit)
    desk.prepare(card_deposits(cards)[0])


def passed_refund_approved(desk: Desk) -> Step:
    """Passed; its refund approved, finance has not paid it yet."""
    application, deposit, cards = yield from under_way(desk, (62, 61, 60, 58), weeks=5, cards=1)
    yield 20, 14
    desk.inspect(application)
    yield 19, 16
    desk.return_cards(cards)
    yield 18, 10
    refund = desk.prepare(deposit)
    yield 16, 16
    desk.approve_refund(refund)


def forfeited_whole(desk: Desk) -> Step:
    """Passed, but the works damaged the street beyond the deposit: the manager keeps it
    whole, and the decoration is closed."""
    application, deposit, _cards = yield from under_way(desk, (60, 59, 58, 57), weeks=4)
    yield 25, 14
    desk.inspect(application)
    yield 12, 11
    act(
        deposit_forfeit,
        by=desk.staff.manager,
        deposit=deposit,
        deductions=[
            DeductionInput(
                kind=DeductionKind.DAMAGE,
                reason="拆除时损坏公共管线及外墙，修复费用超过保证金",
                amount=deposit.amount,
            )
        ],
    )
    yield 11, 9
    act(application_close, by=desk.clerk, application=application)


def failed_inspection(desk: Desk) -> Step:
    """Failed its inspection, items to fix; a worker lost his card (its deposit kept)."""
    application, _deposit, cards = yield from under_way(desk, (50, 49, 48, 47), weeks=7, cards=3)
    yield 20, 10
    act(permit_report_lost, by=desk.clerk, permit=cards[0])
    yield 8, 14
    desk.inspect(application, ["排烟管道穿墙处未封堵", "地面找平不合格"])


def extended_in_progress(desk: Desk) -> Step:
    """In progress, extended by three weeks: the first cards came back, new ones were
    issued to the new end; part of the deposit kept for damage; an open violation with its
    penalty still owed."""
    application, deposit, cards = yield from under_way(desk, (40, 39, 38, 36), weeks=4, cards=2)
    yield 15, 10
    act(
        application_extend,
        by=desk.clerk,
        application=application,
        new_end=DecorationApplication.objects.get(pk=application.pk).planned_end
        + timedelta(days=21),
        reason="材料到货延迟，申请延期三周",
    )
    yield 12, 16
    desk.return_cards(cards)
    yield 12, 17
    desk.permits(application, 2)
    yield 9, 14
    act(
        deposit_forfeit,
        by=desk.staff.manager,
        deposit=deposit,
        deductions=[
            DeductionInput(
                kind=DeductionKind.DAMAGE,
                reason="运输材料撞坏公共区域护栏",
                amount=Decimal("800.00"),
            )
        ],
    )
    yield 5, 16
    act(
        violation_record,
        by=desk.clerk,
        application=application,
        description="夜间22点后施工产生噪音，邻铺投诉",
        occurred_on=desk.clock.date,
        penalty=Decimal("300.00"),
    )


def approved_after_a_void(desk: Desk) -> Step:
    """Approved; its deposit first taken on a receipt of the wrong amount, which was voided
    the same morning (that deposit cancelled with it) and taken again."""
    yield 12, 9
    application = desk.submit(weeks=6)
    yield 10, 15
    desk.approve(application)
    yield 9, 10
    wrong = desk.take(application, amount=Decimal("500.00"))
    receipt = wrong.receipt_line.receipt
    yield 9, 11
    act(
        receipt_request_void,
        receipt=receipt,
        by=receipt.cashier,
        reason="金额开错：保证金应为5000元",
    )
    act(receipt_approve_void, receipt=receipt, by=desk.staff.manager)
    desk.take(application)


def rejected(desk: Desk) -> Step:
    """Rejected, with the reason the tenant is told."""
    yield 7, 9
    application = desk.submit(weeks=8)
    yield 6, 15
    act(
        application_reject,
        by=desk.staff.manager,
        application=application,
        reason="涉及主体结构拆改，需先提交结构安全鉴定报告",
    )


def submitted(desk: Desk) -> Step:
    """Waiting for the manager; its deposit taken at the counter meanwhile."""
    yield 2, 9
    application = desk.submit(weeks=4)
    yield 2, 10
    desk.take(application)


STORIES = [
    closed_with_penalty,
    closed_cleanly,
    passed_after_reinspection,
    passed_refund_approved,
    forfeited_whole,
    failed_inspection,
    extended_in_progress,
    approved_after_a_void,
    rejected,
    submitted,
]
# The handovers that are no decoration's sequel (handed_back follows closed_cleanly).
HANDOVERS = [handing_back]
# The earliest step, in days before today: inside the days fees' takings cover.
STORY_DAYS = 78


def build_decorations(*, clock: DemoClock, seed: int = 2026) -> int:
    """Every story played on the clock's timeline; how many decorations it made."""
    desk = Desk(seed=seed, clock=clock)
    clock.run([story(desk) for story in STORIES + HANDOVERS])
    return len(STORIES)


def build(street: DemoStreet) -> str:
    made = build_decorations(clock=DemoClock(today=street.today), seed=street.seed)
    return f"{made} decorations with their deposits and refunds, and 2 shop handovers"
