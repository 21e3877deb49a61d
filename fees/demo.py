"""The desk's part of the demo street: 90 days of takings closed and handed over, a
busy open today, charges owed by tenants, crews of workers with permits.

Used by the `demo_data` command through build() (after the register's part) and by the
benchmark (years of takings).
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone as tz
from faker import Faker
from simple_history.utils import bulk_create_with_history

from archives.models import Contractor, IdDocType, Occupancy, Unit, UnitStatus
from config.demo import DemoStreet, make_mobile, make_resident_id
from config.money import to_amount
from config.roles import Role
from fees.chain import receipt_hash
from fees.enums import DENOMINATIONS, DayState, ReceiptStatus
from fees.models import (
    Charge,
    DailyClose,
    DailyCloseMethod,
    DayCount,
    DayCountAmount,
    DayCountCash,
    DunningNote,
    FeeType,
    Handover,
    NumberSequence,
    Receipt,
    ReceiptLine,
)
from fees.selectors.chain import previous_hash
from fees.services.charges import charge_balances_rewrite
from fees.services.permits import WorkerInput, permit_issue
from fees.services.totals import day_totals_fill

# The change the demo desk keeps in its drawer from one day to the next (备用金).
DEMO_CASH_FLOAT = Decimal("500.00")
DEMO_DAYS = 90


def build_takings(
    *,
    days: int,
    per_day: int,
    today: date,
    seed: int = 2026,
    history: bool = True,
    busy_today: int = 0,
    cash_float: Decimal = Decimal("0.00"),
    close: bool = True,
) -> int:
    """Receipts for the `days` before today (closed, approved and handed over), and
    `busy_today` receipts on today, still open. Written in bulk, like a migration of the
    paper books would be; numbering continues from the receipt sequences. Each close has
    one count that matches, with `cash_float` in the drawer before and after it. Without
    `close`, the past days stay open for later parts of the demo to take money on, and
    close_past_days() closes them."""
    rng = random.Random(seed)
    User = get_user_model()
    cashiers = list(User.objects.filter(groups__name=Role.ASSISTANT).order_by("pk"))
    fees = {f.code: f for f in FeeType.objects.all()}
    occupancies = list(
        Occupancy.objects.filter(handed_over_on__isnull=True).select_related("tenant", "unit")[:500]
    )
    contractors = list(Contractor.objects.all()[:50])
    methods = ["cash"] * 5 + ["wechat"] * 3 + ["alipay"] * 2 + ["card"]
    next_by_year: dict[int, int] = {
        int(s.key.split("-")[1]): s.last_value
        for s in NumberSequence.objects.filter(key__startswith="receipt-")
    }
    dates = [today - timedelta(days=n) for n in range(days, 0, -1)]
    if busy_today:
        dates.append(today)
    receipts, lines, closes = [], [], []
    chain_tails: dict[int, str] = {}  # the hash of each series' last receipt so far
    for business_date in dates:
        count = (
            busy_today if business_date == today else max(1, int(rng.gauss(per_day, per_day / 4)))
        )
        totals: dict[str, Decimal] = {}
        for _n in range(count):
            year = business_date.year
            next_by_year[year] = next_by_year.get(year, 0) + 1
            issued_at = tz.make_aware(
                datetime.combine(business_date, time(9)) + timedelta(minutes=rng.randrange(0, 540))
            )
            kind = rng.random()
            receipt_lines = []
            if kind < 0.6 and contractors:  # worker permits: permit fee + card fee
                workers = rng.randint(1, 4)
                receipt_lines = [(fees["permit_fee"], workers), (fees["card_fee"], workers)]
                payer = ("contractor", rng.choice(contractors))
            elif kind < 0.8:
                receipt_lines = [
                    (fees[rng.choice(["waste_removal", "overtime_work", "key_replacement"])], 1)
                ]
                payer = ("tenant", rng.choice(occupancies)) if occupancies else ("person", None)
            else:
                receipt_lines = [(fees["permit_card_deposit"], rng.randint(1, 3))]
                payer = ("contractor", rng.choice(contractors)) if contractors else ("person", None)
            method = rng.choice(methods)
            total = sum((fee.default_amount * qty for fee, qty in receipt_lines), Decimal("0.00"))
            receipt = Receipt(
                number=f"{year}-{next_by_year[year]:06d}",
                year=year,
                business_date=business_date,
                issued_at=issued_at,
                cashier=rng.choice(cashiers),
                method=method,
                reference="" if method == "cash" else f"T{rng.randrange(10**10):010d}",
                total=total,
                payer_kind=payer[0],
            )
            if payer[0] == "contractor":
                receipt.contractor, receipt.payer_name = payer[1], payer[1].name
            elif payer[0] == "tenant":
                receipt.tenant, receipt.unit, receipt.payer_name = (
                    payer[1].tenant,
                    payer[1].unit,
                    payer[1].tenant.name,
                )
            else:
                receipt.payer_name = "散客"
            made = [
                ReceiptLine(
                    fee_type=fee,
                    quantity=qty,
                    unit_price=fee.default_amount,
                    amount=fee.default_amount * qty,
                )
                for fee, qty in receipt_lines
            ]
            # The chain as the desk writes it: each hash over the lines, linked in number order.
            receipt.chain_previous = chain_tails.get(year) or previous_hash(
                year, next_by_year[year]
            )
            receipt.chain_hash = receipt_hash(receipt, made, receipt.chain_previous)
            chain_tails[year] = receipt.chain_hash
            receipts.append(receipt)
            lines.append(made)
            totals[method] = totals.get(method, Decimal("0.00")) + total
        if business_date != today:
            closes.append((business_date, totals))
    create = (
        bulk_create_with_history
        if history
        else (lambda objs, model, **kw: model.objects.bulk_create(objs, batch_size=5000))
    )
    create(receipts, Receipt, batch_size=5000)
    saved = (
        dict(
            Receipt.objects.filter(number__in=[r.number for r in receipts]).values_list(
                "number", "pk"
            )
        )
        if len(receipts) < 50000
        else dict(Receipt.objects.values_list("number", "pk"))
    )
    for receipt, receipt_lines in zip(receipts, lines, strict=True):
        for line in receipt_lines:
            line.receipt_id = saved[receipt.number]
    ReceiptLine.objects.bulk_create(
        (line for receipt_lines in lines for line in receipt_lines), batch_size=5000
    )
    for year, value in next_by_year.items():
        NumberSequence.objects.update_or_create(
            key=f"receipt-{year}", defaults={"last_value": value}
        )
    if close:
        write_closes(closes, history=history, cash_float=cash_float)
    return len(receipts)


def write_closes(
    closes: list[tuple[date, dict[str, Decimal]]],
    *,
    history: bool = True,
    cash_float: Decimal = Decimal("0.00"),
) -> None:
    """Each (date, takings by method) closed, approved and handed over, its count matching:
    as the desk would have done at 18:30 and finance at 19:00. A day whose row exists (open,
    as the desk's services leave it) is closed in its row."""
    User = get_user_model()
    cashiers = list(User.objects.filter(groups__name=Role.ASSISTANT).order_by("pk"))
    manager = User.objects.filter(groups__name=Role.MANAGER).first()
    finance = User.objects.filter(groups__name=Role.FINANCE).first()
    create = (
        bulk_create_with_history
        if history
        else (lambda objs, model, **kw: model.objects.bulk_create(objs, batch_size=5000))
    )
    opened = {
        day.business_date: day
        for day in DailyClose.objects.filter(
            business_date__in=[business_date for business_date, _totals in closes],
            state=DayState.OPEN,
        )
    }
    day_objs = []
    for business_date, _totals in closes:
        stamp = tz.make_aware(datetime.combine(business_date, time(18, 30)))
        day = opened.get(business_date) or DailyClose(business_date=business_date)
        day.state = DayState.HANDED_OVER
        day.counted_at = stamp
        day.counted_by = cashiers[0]
        day.submitted_by = cashiers[0]
        day.submitted_at = stamp
        day.approved_by = manager
        day.approved_at = stamp + timedelta(minutes=20)
        if day.pk is None:
            day_objs.append(day)
        else:
            day.save()
    # One history date for a close and its figures, so that its history shows them together.
    recorded = tz.now()
    create(day_objs, DailyClose, batch_size=2000, default_date=recorded)
    days_by_date = dict(
        DailyClose.objects.filter(
            business_date__in=[business_date for business_date, _totals in closes]
        ).values_list("business_date", "pk")
    )
    create(
        [
            DailyCloseMethod(
                close_id=days_by_date[business_date],
                method=method,
                expected=totals.get(method, Decimal("0.00")),
                counted=totals.get(method, Decimal("0.00")),
            )
            for business_date, totals in closes
            for method in ["cash", "card", "wechat", "alipay", "transfer"]
        ],
        DailyCloseMethod,
        batch_size=5000,
        default_date=recorded,
    )
    _bulk_counts(closes, days_by_date, counted_by=cashiers[0], cash_float=cash_float)
    # As the submission stores them: what month and year figures read (fees.models.totals).
    day_totals_fill(DailyClose.objects.filter(pk__in=days_by_date.values()))
    Handover.objects.bulk_create(
        [
            Handover(
                day_id=days_by_date[business_date],
                cash_expected=totals.get("cash", Decimal("0.00")),
                cash_received=totals.get("cash", Decimal("0.00")),
                bag_number=f"BAG-{business_date:%Y%m%d}",
                received_by=finance,
                received_at=tz.make_aware(datetime.combine(business_date, time(19))),
            )
            for business_date, totals in closes
        ],
        batch_size=2000,
    )


def drawer_notes(amount: Decimal) -> dict[str, int]:
    """The fewest notes and coins making up the amount ({} if coins cannot make it)."""
    notes, rest = {}, amount
    for denomination in DENOMINATIONS:
        pieces = int(rest // denomination)
        if pieces:
            notes[str(denomination)] = pieces
            rest -= denomination * pieces
    return notes if not rest else {}


def _bulk_counts(closes, days_by_date, *, counted_by, cash_float: Decimal) -> None:
    """One count per demo close (its blind count, which matched), as the desk would have
    recorded it at 18:30."""
    # PostgreSQL and SQLite (3.35+) hand the new primary keys back from bulk_create.
    counts = DayCount.objects.bulk_create(
        [
            DayCount(
                day_id=days_by_date[business_date],
                sequence=1,
                counted_by=counted_by,
                counted_at=tz.make_aware(datetime.combine(business_date, time(18, 30))),
                opening_float=cash_float,
                float_left=cash_float,
            )
            for business_date, _totals in closes
        ],
        batch_size=2000,
    )
    cash_rows, amount_rows = [], []
    for count, (_date, totals) in zip(counts, closes, strict=True):
        drawer = totals.get("cash", Decimal("0.00")) + cash_float
        cash_rows += [
            DayCountCash(count=count, denomination=Decimal(value), pieces=pieces)
            for value, pieces in drawer_notes(drawer).items()
        ]
        amount_rows += [
            DayCountAmount(
                count=count,
                method=method,
                amount=drawer if method == "cash" else totals.get(method, Decimal("0.00")),
            )
            for method in ["cash", "card", "wechat", "alipay", "transfer"]
        ]
    DayCountCash.objects.bulk_create(cash_rows, batch_size=5000)
    DayCountAmount.objects.bulk_create(amount_rows, batch_size=5000)


def build_charges(*, today: date, count: int = 24, seed: int = 2026) -> None:
    """Charges billed to tenants over the last four months, some overdue, a few chased."""
    rng = random.Random(seed)
    clerk = get_user_model().objects.filter(groups__name=Role.ASSISTANT).order_by("pk").first()
    fees = [
        FeeType.objects.get(code=code) for code in ("waste_removal", "overtime_work", "penalty")
    ]
    occupancies = list(
        Occupancy.objects.filter(handed_over_on__isnull=True).select_related("tenant", "unit")[
            :count
        ]
    )
    for occupancy in occupancies:
        fee = rng.choice(fees)
        billed = today - timedelta(days=rng.randrange(0, 120))
        charge = Charge.objects.create(
            tenant=occupancy.tenant,
            unit=occupancy.unit,
            fee_type=fee,
            description=f"{fee.name_zh} {billed:%Y年%m月}",
            amount=Decimal(rng.choice([150, 300, 500, 800, 1200])),
            billed_on=billed,
            due_on=billed + timedelta(days=15),
            created_by=clerk,
        )
        if charge.due_on < today and rng.random() < 0.5:
            DunningNote.objects.create(
                charge=charge,
                noted_on=min(today, charge.due_on + timedelta(days=7)),
                channel="phone",
                contact=occupancy.tenant.contact_name,
                result="答应月底前缴清",
                promised_on=today + timedelta(days=10),
                noted_by=clerk,
            )
    # Written around the desk's service (charge_bill): their stored balances from the rows.
    charge_balances_rewrite()


def build_permits(*, today: date, batches: int = 6, seed: int = 2026) -> None:
    """A few crews of decoration workers with permits issued today through the desk's service
    (their receipts count in today's open takings), some expiring within the week."""
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    clerk = get_user_model().objects.filter(groups__name=Role.ASSISTANT).order_by("pk").first()
    contractors = list(Contractor.objects.filter(active=True)[:batches])
    units = list(Unit.objects.filter(status=UnitStatus.OCCUPIED).order_by("code")[:batches])
    for contractor, unit in zip(contractors, units, strict=False):
        workers = [
            WorkerInput(
                name=fake.name(),
                id_doc_type=IdDocType.RESIDENT_ID,
                id_number=make_resident_id(rng),
                phone=make_mobile(rng),
            )
            for _n in range(rng.randint(1, 3))
        ]
        permit_issue(
            by=clerk,
            contractor=contractor,
            unit=unit,
            workers=workers,
            valid_from=today,
            valid_to=today + timedelta(days=rng.choice([5, 30, 60])),
            method="cash",
            with_card_deposit=True,
        )


def close_past_days(*, today: date, cash_float: Decimal = Decimal("0.00")) -> int:
    """Close every past day with receipts that is still open (approved and handed over, its
    count matching), from the receipts the database holds: the bulk takings and whatever
    the desk's services took on those days. Returns how many days it closed."""
    closed = DailyClose.objects.exclude(state=DayState.OPEN).values_list("business_date")
    rows = (
        Receipt.objects.filter(business_date__lt=today)
        .exclude(business_date__in=closed)
        .exclude(status=ReceiptStatus.VOID)
        .values("business_date", "method")
        .annotate(total=Sum("total"))
        .order_by("business_date", "method")
    )
    takings: dict[date, dict[str, Decimal]] = {}
    for row in rows:
        # SQLite sums drop the cents
        takings.setdefault(row["business_date"], {})[row["method"]] = to_amount(row["total"])
    write_closes(sorted(takings.items()), cash_float=cash_float)
    return len(takings)


def build(street: DemoStreet) -> str:
    # The past days stay open until finish(): later parts take money on them.
    receipts = build_takings(
        days=DEMO_DAYS,
        per_day=12,
        today=street.today,
        seed=street.seed,
        cash_float=DEMO_CASH_FLOAT,
        close=False,
    )
    build_charges(today=street.today, seed=street.seed)
    return f"{receipts} receipts over {DEMO_DAYS} days"


def finish(street: DemoStreet) -> None:
    """The past days closed with all they took; then today's desk, still open: a few
    receipts and crews with permits issued through the desk's service."""
    close_past_days(today=street.today, cash_float=DEMO_CASH_FLOAT)
    build_takings(days=0, per_day=12, today=street.today, seed=street.seed + 1, busy_today=6)
    build_permits(today=street.today, seed=street.seed)
