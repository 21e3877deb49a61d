"""The benchmark's data: each part's rows written in bulk, as the desk's services would have
left them (states, dates, money rows, history where the model keeps one), so that a street of
10,000 units and 200,000 receipts is built in minutes. Every builder takes its sizes and
``today``; the register and the receipts come from the apps' demo builders."""

import time

# --- the register and the receipts --------------------------------------------------------------


def build_register(units: int) -> None:
    """The staff and a register of ``units`` units and tenants (one contractor in twenty,
    and at least 60: the contractor list's first page is full at both sizes)."""
    from archives.demo import build_register as register
    from config.demo import build_staff

    build_staff()
    started = time.perf_counter()
    register(units=units, tenants=units, contractors=max(60, units // 20))
    register_alike()
    print(f"built {units} units and tenants in {time.perf_counter() - started:.1f} s")


# Units left vacant at every size (the demo leaves about one in eight: 12 of 100, 1,200 of
# 10,000), so that the unit list filtered by status shows the same rows at both sizes.
VACANT_UNITS = 10
# The names of the tenants of the first occupied units (the page's unit, A-1-05, first):
# no generated name starts with 巷 (not a surname, no company's start), so that the tenant
# list's name filter (the first two characters of the page's tenant) finds these eight at
# every size, and the search (three characters) the page's tenant alone.
ALIKE_NAMES = [
    "巷口面馆",
    "巷口茶铺",
    "巷口书店",
    "巷口花房",
    "巷口药房",
    "巷口鞋店",
    "巷口果行",
    "巷口眼镜",
]


def register_alike() -> None:
    """What the register's filters find, alike at every size: VACANT_UNITS vacant units
    (the others the demo left vacant let to the tenants it left without a unit, as a
    letting would) and the tenants named ALIKE_NAMES."""
    from datetime import timedelta

    from bench.pages import UNIT_CODE
    from django.db.models import Case, IntegerField, Value, When
    from django.utils import timezone as tz

    from archives.models import Occupancy, OccupancyRole, Tenant, Unit, UnitStatus

    vacant = list(Unit.objects.filter(status=UnitStatus.VACANT).order_by("code"))
    kept = [unit for unit in vacant if unit.code != UNIT_CODE][:VACANT_UNITS]
    let = [unit for unit in vacant if unit not in kept]
    spare = Tenant.objects.filter(occupancies__isnull=True).order_by("pk")[: len(let)]
    today = tz.localdate()
    _create(
        [
            Occupancy(
                unit=unit,
                tenant=tenant,
                role=OccupancyRole.LESSEE,
                moved_in_on=today - timedelta(days=400),
                lease_ends_on=today + timedelta(days=400),
            )
            for unit, tenant in zip(let, spare, strict=True)
        ],
        Occupancy,
    )
    Unit.objects.filter(pk__in=[unit.pk for unit in let]).update(status=UnitStatus.OCCUPIED)
    first = (
        Occupancy.objects.filter(handed_over_on__isnull=True)
        .annotate(
            anchor=Case(
                When(unit__code=UNIT_CODE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("anchor", "unit__code")
        .values_list("tenant_id", flat=True)[: len(ALIKE_NAMES)]
    )
    for tenant_id, name in zip(first, ALIKE_NAMES, strict=False):
        Tenant.objects.filter(pk=tenant_id).update(name=name)
    print(f"let {len(let)} vacant units, {len(kept)} left vacant; named {len(ALIKE_NAMES)} tenants")


def build_receipts(*, receipts: int, busy_day: int, today) -> None:
    """Three years of closed days, then ``busy_day`` receipts on ``today``, still open: the
    busy day has the same receipts whatever the size, the years around it grow."""
    from fees.demo import build_takings

    started = time.perf_counter()
    days = 3 * 365
    made = build_takings(
        days=days,
        per_day=max(1, (receipts - busy_day) // days),
        today=today,
        busy_today=busy_day,
    )
    print(
        f"built {made} receipts over {days} days ({busy_day} today)"
        f" in {time.perf_counter() - started:.1f} s"
    )


def statement_month(today):
    """The month of the statement and the audit pack: four years back, outside the main
    data, so that its receipts are only those build_statement_month() writes."""
    from datetime import date

    first = date(today.year - 4, today.month, 1)
    end = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, end


def build_statement_month(*, month_receipts: int, today) -> None:
    """A month of ``month_receipts`` receipts (closed days) for the statement and the pack."""
    from fees.demo import build_takings

    first, end = statement_month(today)
    days = (end - first).days
    started = time.perf_counter()
    made = build_takings(
        days=days, per_day=max(1, month_receipts // days), today=end, history=False
    )
    print(
        f"built a month of {made} receipts ({first:%Y-%m}) in {time.perf_counter() - started:.1f} s"
    )


# --- deposits --------------------------------------------------------------------------------


class _Numbers:
    """The next numbers of the desk's series (receipts, decorations, permits), continued
    from their sequences and written back at the end."""

    def __init__(self, prefix: str):
        from fees.models import NumberSequence

        self.prefix = prefix
        self.last = {
            int(s.key.rsplit("-", 1)[1]): s.last_value
            for s in NumberSequence.objects.filter(key__startswith=f"{prefix}-")
        }

    def take(self, year: int) -> int:
        self.last[year] = self.last.get(year, 0) + 1
        return self.last[year]

    def save(self) -> None:
        from fees.models import NumberSequence

        for year, value in self.last.items():
            NumberSequence.objects.update_or_create(
                key=f"{self.prefix}-{year}", defaults={"last_value": value}
            )


def _create(objs: list, model, batch_size: int = 2000) -> list:
    """Insert ``objs`` (new rows only: the permanence triggers refuse no insert), with their
    history rows where the model keeps a history; their primary keys are set."""
    from simple_history.utils import bulk_create_with_history

    if not objs:
        return objs
    if hasattr(model, "history"):
        made = bulk_create_with_history(objs, model, batch_size=batch_size)
    else:
        made = model.objects.bulk_create(objs, batch_size=batch_size)
    if made[0].pk is None:
        raise SystemExit(f"{model.__name__}: the database gave no primary keys back")
    return made


# The open decorations (submitted, approved, in progress, failed, passed: what the decoration
# list's status filter finds and the ledger's decorations hold) are the same at every size:
# this many, on the first units by code and the first contractors; three in four of the last
# three months, one in four accepted long ago. A larger street adds older, closed ones.
ALIKE_APPLICATIONS = 20
ALIKE_UNITS = 100
ALIKE_CONTRACTORS = 60


def build_deposits(*, applications: int, deposits: int, today, seed: int = 2026) -> None:
    """Decorations and deposits of three years, written in bulk with the states, dates and
    money rows the desk's services would have left (as build_takings writes receipts): every
    row is inserted whole, never updated, so the permanence triggers stand. Each deposit is
    taken on a receipt of its own fee (the receipts join the chain in number order); a
    decoration's deposit is 5,000.00, a permit card's 50.00. The open decorations are alike
    at every size (ALIKE_APPLICATIONS), the others older and closed (a few rejected). Closed
    decorations and returned cards are refunded (some less a deduction), lost cards
    forfeited, the rest held or with a refund under way; passed decorations long ago leave
    dormant deposits."""
    import random
    from datetime import datetime, timedelta
    from datetime import time as day_time
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone as tz

    from archives.models import Contractor, Occupancy
    from config.roles import Role
    from deposits.enums import ApplicationStatus, DeductionKind, DepositKind, DepositStatus
    from deposits.models import (
        ApplicationPermit,
        DecorationApplication,
        Deduction,
        Deposit,
        Inspection,
        Refund,
    )
    from deposits.services.applications import application_number
    from fees.chain import receipt_hash
    from fees.enums import PermitStatus
    from fees.models import FeeType, Permit, Receipt, ReceiptLine
    from fees.selectors.chain import previous_hash
    from fees.services.permits import permit_number

    rng = random.Random(seed)
    User = get_user_model()
    desk = User.objects.filter(groups__name=Role.ASSISTANT).order_by("pk").first()
    manager = User.objects.filter(groups__name=Role.MANAGER).first()
    finance = User.objects.filter(groups__name=Role.FINANCE).first()
    occupancies = list(
        Occupancy.objects.filter(handed_over_on__isnull=True).select_related("tenant", "unit")[
            : applications * 2
        ]
    )
    contractors = list(Contractor.objects.filter(active=True)[:200])
    contractors_by_pk = list(Contractor.objects.filter(active=True).order_by("pk"))
    fees = {
        f.code: f
        for f in FeeType.objects.filter(
            code__in=["decoration_deposit", "permit_fee", "card_fee", "permit_card_deposit"]
        )
    }
    span = 3 * 365
    ZERO, DECORATION, CARD = Decimal("0.00"), Decimal("5000.00"), Decimal("50.00")

    def moment(day, hour: int = 10):
        return tz.make_aware(
            datetime.combine(day, day_time(hour)) + timedelta(minutes=rng.randrange(420))
        )

    # --- decorations ---
    # The open ones (ALIKE_APPLICATIONS, on the first units by code) are drawn first and
    # alike at every size, each with its own stream of draws; a larger street adds older,
    # finished ones (closed, a few rejected) on any unit.
    decoration_numbers = _Numbers("decoration")
    made_apps, passed_on, passed_fate = [], {}, {}
    first_occupancies = list(
        Occupancy.objects.filter(handed_over_on__isnull=True)
        .select_related("tenant", "unit")
        .order_by("unit__code")[:ALIKE_UNITS]
    )
    first_contractors = contractors_by_pk[:ALIKE_CONTRACTORS]
    alike = min(applications, ALIKE_APPLICATIONS)
    for n in range(applications):
        draw = random.Random(seed * 100_000 + n) if n < alike else rng
        roll = draw.random()
        if n < alike and n % 4 == 3:  # accepted long ago: held deposits, some dormant
            age = draw.randrange(90, span)
            status = ApplicationStatus.PASSED
        elif n < alike:  # the current work
            age = draw.randrange(1, 90)
            if age < 14:
                status = ApplicationStatus.SUBMITTED if roll < 0.5 else ApplicationStatus.APPROVED
            else:
                status = (
                    ApplicationStatus.IN_PROGRESS
                    if roll < 0.7
                    else ApplicationStatus.FAILED
                    if roll < 0.8
                    else ApplicationStatus.PASSED
                )
        else:
            age = draw.randrange(90, span)
            status = ApplicationStatus.REJECTED if roll < 0.04 else ApplicationStatus.CLOSED
        submitted = today - timedelta(days=age)
        occupancy = draw.choice(first_occupancies if n < alike else occupancies)
        contractor = draw.choice(first_contractors if n < alike else contractors)
        decided = status != ApplicationStatus.SUBMITTED
        started = (
            submitted + timedelta(days=3)
            if status not in ("submitted", "approved", "rejected")
            else None
        )
        application = DecorationApplication(
            number=application_number(submitted.year, decoration_numbers.take(submitted.year)),
            unit=occupancy.unit,
            tenant=occupancy.tenant,
            contractor=contractor,
            scope="更换地面、吊顶与照明",
            planned_start=submitted + timedelta(days=3),
            planned_end=submitted + timedelta(days=63),
            status=status,
            submitted_by=desk,
            submitted_at=moment(submitted),
            decided_by=manager if decided else None,
            decided_at=moment(submitted + timedelta(days=1), 14) if decided else None,
            rejection_reason="图纸不全" if status == ApplicationStatus.REJECTED else "",
            started_on=started,
        )
        if status in (ApplicationStatus.PASSED, ApplicationStatus.CLOSED):
            passed_on[application.number] = min(
                today, started + timedelta(days=draw.randrange(40, 80))
            )
        if status == ApplicationStatus.PASSED:
            # What became of its deposit, drawn here so that it is alike at every size.
            fate = draw.random()
            passed_fate[application.number] = (
                "requested"
                if fate < 0.2
                else "approved"
                if fate < 0.35
                else "returned"
                if fate < 0.5
                else None
            )
        if status == ApplicationStatus.CLOSED:
            application.closed_by = desk
            application.closed_at = moment(passed_on[application.number] + timedelta(days=20))
        made_apps.append(application)
    made_apps = _create(made_apps, DecorationApplication)
    decoration_numbers.save()
    inspections = []
    for application in made_apps:
        if application.status == ApplicationStatus.FAILED:
            on, result = min(today, application.started_on + timedelta(days=40)), "fail"
        elif application.number in passed_on:
            on, result = passed_on[application.number], "pass"
        else:
            continue
        inspections.append(
            Inspection(
                application=application,
                inspected_on=on,
                inspector=desk,
                result=result,
                recorded_by=desk,
                recorded_at=moment(on, 15),
            )
        )
    _create(inspections, Inspection)

    # --- receipts: one a decoration deposit, one a crew of 1–4 workers ---
    receipt_numbers, permit_numbers = _Numbers("receipt"), _Numbers("permit")
    chain_tails: dict[int, str] = {}
    receipts, receipt_lines, plans = [], [], []

    def receipt(day, payer_kind, lines, **payer):
        year = day.year
        number = receipt_numbers.take(year)
        made = Receipt(
            number=f"{year}-{number:06d}",
            year=year,
            business_date=day,
            issued_at=moment(day),
            cashier=desk,
            method="cash",
            total=sum((line.amount for line in lines), ZERO),
            payer_kind=payer_kind,
            **payer,
        )
        made.chain_previous = chain_tails.get(year) or previous_hash(year, number)
        made.chain_hash = receipt_hash(made, lines, made.chain_previous)
        chain_tails[year] = made.chain_hash
        receipts.append(made)
        receipt_lines.append(lines)
        return made

    with_deposit = [a for a in made_apps if a.status != ApplicationStatus.REJECTED]
    working = [a for a in made_apps if a.started_on is not None]
    for application in with_deposit[:deposits]:
        day = tz.localdate(application.submitted_at)
        line = ReceiptLine(
            fee_type=fees["decoration_deposit"],
            quantity=1,
            unit_price=DECORATION,
            amount=DECORATION,
        )
        plans.append(
            (
                "decoration",
                application,
                receipt(
                    day,
                    "tenant",
                    [line],
                    tenant=application.tenant,
                    unit=application.unit,
                    payer_name=application.tenant.name,
                ),
            )
        )
    cards_left = deposits - len(plans)
    while cards_left > 0:
        crew = min(cards_left, rng.randint(1, 4))
        cards_left -= crew
        application = rng.choice(working) if working and rng.random() < 0.5 else None
        day = application.started_on if application else today - timedelta(days=rng.randrange(span))
        contractor = application.contractor if application else rng.choice(contractors)
        lines = [
            ReceiptLine(fee_type=fees[code], quantity=crew, unit_price=price, amount=price * crew)
            for code, price in (
                ("permit_fee", fees["permit_fee"].default_amount),
                ("card_fee", fees["card_fee"].default_amount),
                ("permit_card_deposit", CARD),
            )
        ]
        made = receipt(day, "contractor", lines, contractor=contractor, payer_name=contractor.name)
        plans.append(("card", (application, crew, contractor), made))
    receipts = _create(receipts, Receipt, batch_size=5000)
    for made, lines in zip(receipts, receipt_lines, strict=True):
        for line in lines:
            line.receipt_id = made.pk
    ReceiptLine.objects.bulk_create(
        [line for lines in receipt_lines for line in lines], batch_size=5000
    )
    receipt_numbers.save()
    deposit_line = {
        line.receipt_id: line
        for lines in receipt_lines
        for line in lines
        if line.fee_type.code in ("decoration_deposit", "permit_card_deposit")
    }

    # --- permits of the crews ---
    permits, permit_plans = [], []
    for kind, what, made in plans:
        if kind != "card":
            continue
        application, crew, contractor = what
        for _n in range(crew):
            valid_to = made.business_date + timedelta(days=rng.randrange(30, 90))
            roll = rng.random()
            status, returned_on, lost_on = PermitStatus.ACTIVE, None, None
            if valid_to < today:
                if roll < 0.85:
                    status = PermitStatus.RETURNED
                    returned_on = max(
                        made.business_date, valid_to - timedelta(days=rng.randrange(10))
                    )
                elif roll < 0.9:
                    status, lost_on = PermitStatus.LOST, valid_to - timedelta(days=5)
                else:
                    status = PermitStatus.EXPIRED
            year = made.business_date.year
            permits.append(
                Permit(
                    number=permit_number(year, permit_numbers.take(year)),
                    worker_name=f"工人{len(permits) % 997}",
                    id_number="110101199001011237",
                    phone="13800138000",
                    contractor=contractor,
                    unit=application.unit if application else None,
                    valid_from=made.business_date,
                    valid_to=valid_to,
                    status=status,
                    receipt=made,
                    card_deposit=CARD,
                    deposit_released_on=returned_on,
                    returned_on=returned_on,
                    lost_reported_on=lost_on,
                    issued_by=desk,
                    issued_at=made.issued_at,
                )
            )
            permit_plans.append((application, made))
    permits = _create(permits, Permit, batch_size=5000)
    permit_numbers.save()
    _create(
        [
            ApplicationPermit(
                application=application, permit=permit, linked_by=desk, linked_at=permit.issued_at
            )
            for permit, (application, _made) in zip(permits, permit_plans, strict=True)
            if application is not None
        ],
        ApplicationPermit,
        batch_size=5000,
    )

    # --- the deposits and what became of them ---
    made_deposits, fates = [], []
    for kind, what, made in plans:
        if kind == "decoration":
            application = what
            status, fate = DepositStatus.HELD, None
            if application.status == ApplicationStatus.CLOSED:
                status, fate = DepositStatus.REFUNDED, "paid"
            elif application.status == ApplicationStatus.PASSED:
                fate = passed_fate[application.number]
                status = {
                    "requested": DepositStatus.REFUND_REQUESTED,
                    "approved": DepositStatus.APPROVED,
                }.get(fate, DepositStatus.HELD)
            made_deposits.append(
                Deposit(
                    kind=DepositKind.DECORATION,
                    receipt_line=deposit_line[made.pk],
                    amount=DECORATION,
                    application=application,
                    tenant=application.tenant,
                    unit=application.unit,
                    ledger_unit=application.unit,  # as Deposit.save() files it
                    payer_name=made.payer_name,
                    taken_at=made.issued_at,
                    status=status,
                )
            )
            fates.append((fate, passed_on.get(application.number)))
    card_deposits = []
    for permit in permits:
        status, fate = DepositStatus.HELD, None
        if permit.status == PermitStatus.RETURNED:
            roll = rng.random()
            if roll < 0.8:
                status, fate = DepositStatus.REFUNDED, "paid"
            elif roll < 0.9:
                status, fate = DepositStatus.REFUND_REQUESTED, "requested"
        elif permit.status == PermitStatus.LOST:
            status, fate = DepositStatus.FORFEITED, "lost"
        card_deposits.append(
            Deposit(
                kind=DepositKind.PERMIT_CARD,
                receipt_line=deposit_line[permit.receipt_id],
                amount=CARD,
                permit=permit,
                contractor=permit.contractor,
                unit=permit.unit,
                ledger_unit=permit.unit,
                payer_name=permit.contractor.name,
                taken_at=permit.issued_at,
                status=status,
                released_on=permit.returned_on,
            )
        )
        fates.append((fate, permit.returned_on or permit.lost_reported_on))
    made_deposits = _create(made_deposits + card_deposits, Deposit, batch_size=5000)

    refunds, deductions = [], []
    for deposit, (fate, opened) in zip(made_deposits, fates, strict=True):
        if fate is None:
            continue
        opened = opened or tz.localdate(deposit.taken_at)
        if fate == "lost":
            deductions.append(
                Deduction(
                    deposit=deposit,
                    kind=DeductionKind.LOST_CARD,
                    reason="出入证遗失",
                    amount=deposit.amount,
                    recorded_by=desk,
                    recorded_at=moment(opened),
                )
            )
            continue
        prepared = min(today, opened + timedelta(days=rng.randrange(0, 10)))
        if fate != "paid":  # the desk's work still open is recent work
            prepared = max(opened, today - timedelta(days=rng.randrange(0, 12)))
        decided = min(today, prepared + timedelta(days=rng.randrange(1, 5)))
        kept = (
            Decimal("300.00")
            if deposit.kind == DepositKind.DECORATION and rng.random() < 0.3
            else ZERO
        )
        refund = Refund(
            deposit=deposit,
            status={
                "paid": "paid",
                "requested": "requested",
                "approved": "approved",
                "returned": "returned",
            }[fate],
            held=deposit.amount,
            deducted=kept,
            amount=deposit.amount - kept,
            payee=deposit.payer_name,
            receipt_collected=True,
            prepared_by=desk,
            prepared_at=moment(prepared),
        )
        if fate != "requested":
            refund.decided_by, refund.decided_at = manager, moment(decided, 16)
        if fate == "returned":
            refund.return_comment = "扣款依据不足"
        if fate == "paid":
            refund.paid_by, refund.paid_at = (
                finance,
                moment(min(today, decided + timedelta(days=3)), 17),
            )
            refund.paid_on, refund.method = tz.localdate(refund.paid_at), "cash"
        refunds.append(refund)
        if kept:
            deductions.append(
                Deduction(
                    deposit=deposit,
                    refund=refund,
                    kind=DeductionKind.DAMAGE,
                    reason="地砖破损",
                    amount=kept,
                    recorded_by=desk,
                    recorded_at=refund.prepared_at,
                )
            )
    refunds = _create(refunds, Refund, batch_size=5000)
    for deduction in deductions:
        if deduction.refund is not None:
            deduction.refund_id = deduction.refund.pk
    _create(deductions, Deduction, batch_size=5000)
    # Bulk rows send no signals: the stored gates are written once, as a repair would.
    from deposits.services.gates import sync_all_gates

    opened = sync_all_gates()
    print(
        f"built {len(made_apps)} decorations, {len(made_deposits)} deposits "
        f"({len(permits)} permit cards), {len(refunds)} refunds, {len(deductions)} deductions"
        f"; {opened} gates open"
    )


# --- complaints ------------------------------------------------------------------------------


# The cases of the weeks the pages read are the same at both sizes, as the busy day's
# receipts are: the statistics' month (the previous calendar month), the 30 days before it
# that its repeat complaints look back on, and the weeks since, at this many cases a day,
# on the units every size has (A-1-01 ... A-3-20, in code order). A larger street adds the
# year's older cases, all closed, on any unit.
RECENT_PER_DAY = 3
RECENT_UNITS = 100


def recent_days(today) -> int:
    """The days, today included, whose cases are the same at every size."""
    from datetime import timedelta

    from complaints.selectors.statistics import REPEAT_WITHIN_DAYS

    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return (today - last_month).days + REPEAT_WITHIN_DAYS + 1


def build_cases(*, cases: int, today, seed: int = 2026) -> None:
    """Cases of the last year, each with three actions (received, assigned, and the step it
    stands at), written in bulk: most closed, some resolved and waiting for their callback,
    some open, a few new and a few late. Categories, departments and topics are the demo's.
    The recent weeks' cases (recent_days()) come first, the same at every size; the rest
    fall on the older days of the year."""
    import random
    from datetime import datetime, time, timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone as tz

    from archives.models import Occupancy, Unit
    from complaints.demo import TOPICS, _setup
    from complaints.enums import ActionKind, CaseStatus
    from complaints.models import Callback, Case, CaseAction, CasePiece
    from complaints.models.search import case_pieces
    from complaints.services.cases import due_from
    from config.workdays import add_working_days

    user = get_user_model().objects.get_by_natural_key
    users = {name: user(name) for name in ("assistant", "assistant2", "manager", "engineering")}
    departments, categories = _setup(users)
    occupancies = list(
        Occupancy.objects.filter(handed_over_on__isnull=True)
        .order_by("unit__code")
        .values_list("unit_id", "tenant_id")
    )
    # The first units by code, with their tenant if they have one (which stand vacant is
    # drawn differently at each size).
    tenant_of = dict(occupancies)
    first_units = Unit.objects.order_by("code").values_list("pk", flat=True)[:RECENT_UNITS]
    recent_units = [(pk, tenant_of.get(pk)) for pk in first_units]
    zone = tz.get_current_timezone()
    # (status, the third action, share): what became of the cases.
    fates = [
        (CaseStatus.CLOSED, ActionKind.CLOSED, 70),
        (CaseStatus.RESOLVED, ActionKind.RESOLVED, 8),
        (CaseStatus.IN_PROGRESS, ActionKind.STARTED, 10),
        (CaseStatus.WAITING, ActionKind.WAITING, 3),
        (CaseStatus.REOPENED, ActionKind.REOPENED, 3),
        (CaseStatus.ASSIGNED, ActionKind.UPDATED, 4),
        (CaseStatus.NEW, ActionKind.UPDATED, 2),
    ]
    weighted = [fate for fate in fates for _ in range(fate[2])]
    recent = min(cases, RECENT_PER_DAY * recent_days(today))
    made, steps = [], []

    def add(n: int, back: int, rng, units: list) -> None:
        kind, category, code, text = TOPICS[n % len(TOPICS)]
        # Those of the last three weeks met every fate, older ones are closed. A desk's open
        # cases are its recent weeks' share, not a share of all it ever received: more data
        # adds closed cases only.
        status, third, _share = weighted[rng.randrange(len(weighted))] if back < 21 else fates[0]
        received = datetime.combine(today - timedelta(days=back), time(9)) + timedelta(
            minutes=rng.randrange(540)
        )
        received = tz.make_aware(received, zone)
        priority = ["normal", "high", "urgent", "low", "normal"][n % 5]
        raised = {}
        if n % 5 == 4:
            raised = {"visitor_name": "张王李赵陈"[n % 5] + "先生", "visitor_phone": "13800138000"}
        else:
            unit_id, tenant_id = units[rng.randrange(len(units))]
            raised = {"unit_id": unit_id, "tenant_id": tenant_id}
        department = departments[code] if status != CaseStatus.NEW else None
        done = received + timedelta(hours=rng.randrange(2, 60))
        resolved = status in {CaseStatus.CLOSED, CaseStatus.RESOLVED}
        made.append(
            Case(
                kind=kind,
                channel=["walk_in", "phone", "wechat", "letter"][n % 4],
                category=categories[category],
                description=f"{text}（{n}号）",
                priority=priority,
                received_by=users["assistant"],
                received_at=received,
                department=department,
                due_at=due_from(received, priority),
                status=status,
                paused_at=done if status == CaseStatus.WAITING else None,
                resolved_by=users["engineering"] if resolved else None,
                resolved_at=done if resolved else None,
                resolution="已处理完毕" if resolved else "",
                callback_due_on=add_working_days(tz.localdate(done), 1)
                if status == CaseStatus.RESOLVED
                else None,
                # The business hours the services store (complaints.services.cases), drawn
                # here: the statistics read them, they do not compute them.
                response_hours=Decimal(rng.randrange(5, 400)) / 100 if department else None,
                resolution_hours=Decimal(rng.randrange(100, 3000)) / 100 if resolved else None,
                closed_by=users["manager"] if status == CaseStatus.CLOSED else None,
                closed_at=done + timedelta(days=1) if status == CaseStatus.CLOSED else None,
                **raised,
            )
        )
        steps.append((received, department, third, done))

    # The recent weeks: RECENT_PER_DAY a day back from today, drawn alike at every size.
    rng = random.Random(seed)
    for n in range(recent):
        add(n, n // RECENT_PER_DAY, rng, recent_units)
    # The older days of the year, evenly.
    rng = random.Random(seed + 1)
    first_older = recent // RECENT_PER_DAY + (recent % RECENT_PER_DAY > 0)
    for n in range(recent, cases):
        add(n, rng.randrange(first_older, max(first_older + 1, 365)), rng, occupancies)
    made = _create(made, Case, batch_size=5000)
    # The pieces of their text the search reads, as case_receive writes them.
    pieces = [
        CasePiece(case=case, piece=piece) for case in made for piece in sorted(case_pieces(case))
    ]
    _create(pieces, CasePiece, batch_size=20000)
    actions, callbacks = [], []
    for case, (received, department, third, done) in zip(made, steps, strict=True):
        actions.append(
            CaseAction(
                case=case,
                kind=ActionKind.RECEIVED,
                by=users["assistant"],
                at=received,
                status=CaseStatus.NEW,
            )
        )
        actions.append(
            CaseAction(
                case=case,
                kind=ActionKind.ASSIGNED,
                by=users["assistant"],
                at=received + timedelta(minutes=5),
                department=department,
                status=CaseStatus.ASSIGNED if department else CaseStatus.NEW,
                note="" if department else "待派单",
            )
        )
        actions.append(
            CaseAction(
                case=case,
                kind=third,
                by=users["engineering"] if department else users["assistant"],
                at=done,
                note="已处理完毕" if third != ActionKind.UPDATED else "已电话联系",
                status=case.status,
            )
        )
        if case.status == CaseStatus.CLOSED:
            callbacks.append(
                Callback(
                    case=case,
                    called_on=tz.localdate(done),
                    by=users["assistant"],
                    method="phone",
                    satisfaction=4 + case.pk % 2,
                    recorded_at=done,
                )
            )
    _create(actions, CaseAction, batch_size=10000)
    _create(callbacks, Callback, batch_size=5000)
    print(
        f"built {len(made)} cases ({len(pieces)} pieces of text), {len(actions)} actions,"
        f" {len(callbacks)} callbacks"
    )


# --- attendance --------------------------------------------------------------------------------


def build_attendance(*, staff: int, years: float, today, seed: int = 2026) -> None:
    """``staff`` people on two shifts, registered every day of ``years`` years up to
    yesterday (a late arrival, a day of leave, an evening of overtime here and there), the
    months before this one signed; written in bulk, without history rows."""
    import random
    from datetime import datetime, timedelta
    from datetime import time as clock

    from django.contrib.auth import get_user_model
    from django.utils import timezone as tz

    from attendance.models import AttendanceRecord, MonthSignoff, Shift, Staff
    from config.workdays import is_working_day

    rng = random.Random(seed)
    desk = get_user_model().objects.get(username="assistant")
    manager = get_user_model().objects.get(username="manager")
    shifts = [
        Shift.objects.create(name="早班", starts_at=clock(8, 30), ends_at=clock(17)),
        Shift.objects.create(name="晚班", starts_at=clock(12, 30), ends_at=clock(21)),
    ]
    first = today - timedelta(days=round(365 * years))
    people = Staff.objects.bulk_create(
        [
            Staff(name=f"员工{n:03d}", shift=shifts[n % 2], joined_on=first, position="客服专员")
            for n in range(staff)
        ]
    )
    rows, day = [], first
    while day < today:
        working = is_working_day(day)
        at = tz.make_aware(datetime.combine(day, clock(18)))
        for person in people:
            start, end = person.shift.starts_at, person.shift.ends_at
            row = AttendanceRecord(
                staff=person,
                day=day,
                planned_start=start,
                planned_end=end,
                working_day=working,
                recorded_by=desk,
                recorded_at=at,
                presence="present" if working else "rest",
            )
            if working:
                row.time_in, row.time_out = start, end
                roll = rng.random()
                if roll < 0.04:
                    row.time_in = clock(start.hour, start.minute + 15)
                    row.late_minutes = 15
                elif roll < 0.07:
                    row.presence, row.leave_kind = "leave", "annual"
                    row.time_in = row.time_out = None
                elif roll < 0.12:
                    row.time_out = clock(end.hour + 2 if end.hour < 22 else end.hour, end.minute)
                    row.overtime_minutes = 120 if end.hour < 22 else 0
            rows.append(row)
        day += timedelta(days=1)
    AttendanceRecord.objects.bulk_create(rows, batch_size=5000)
    months, month = [], first.replace(day=1)
    while month < today.replace(day=1):
        months.append(
            MonthSignoff(year=month.year, month=month.month, signed_by=manager, signed_at=tz.now())
        )
        month = (month + timedelta(days=32)).replace(day=1)
    MonthSignoff.objects.bulk_create(months)
    print(f"built {staff} staff, {len(rows)} attendance records, {len(months)} signed months")


# --- archives ----------------------------------------------------------------------------------

# One file in ten is a moved-out tenant's, closed in the last three years: no document of
# it is past its period yet (a 10-year one runs seven years more at least).
CLOSED_SHARE = 10
# The first PAST_FILES files, at every size, are moved-out tenants' closed long ago, each
# holding PAST_PER_FILE documents past their period (the rest kept for ever): the
# destruction list drawn at build has 200 lines, two full pages, whatever the street's size
# (the small street's hundred files had 130, a last page of 30 lines against 100).
PAST_FILES = 20
PAST_PER_FILE = 10
# Papers past their period filed into those files after the list was drawn (found later):
# what is due shows them, a full first page at every size, read among the listed ones.
DUE_AFTER_DRAW = 50
# One file in seven lacks a required document (the list's "has gaps"), and so does each of
# the first GAPS_AT_LEAST files: the gaps list's first page is full at every size (the small
# street's hundred files had fifteen with gaps, a third of a page).
GAPS_SHARE = 7
GAPS_AT_LEAST = 60
# Access log lines of the last 30 days, at every size (the rest spread over the two years
# before): the log's pages of the last month show the same rows, a full first page of them,
# whether the log holds a thousand lines or a hundred thousand. The page's month runs from
# the start of the day 30 days back, so the older lines start a day before it: started 30
# days back to the minute, the older lines of that first day's morning were in the month,
# dozens of the large log's (about 140 a day) and none or one of the small log's.
RECENT_LOG_LINES = 200
RECENT_LOG_MINUTES = 30 * 24 * 60
OLDER_LOG_MINUTES = 31 * 24 * 60


def build_archives(*, files: int, per_file: int, log_rows: int, today, seed: int = 2026) -> None:
    """Tenant files (one per unit and tenant of the register), ``per_file`` documents in
    each, permissions of the department's user, ``log_rows`` lines of the access log, all
    written in bulk; then a destruction list drawn through the desk's service (what is past
    its period: the documents of the files closed long ago), its time printed, and papers
    past their period filed through the service after it (what is due, not yet listed)."""
    import random
    from datetime import datetime, timedelta
    from datetime import time as day_time

    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone as tz

    from archives.models import (
        REQUIRED_FLAG,
        AccessKind,
        AccessLog,
        AccessRequest,
        AccessStatus,
        Document,
        DocumentType,
        FileKind,
        FileLocation,
        FileSequence,
        Tenant,
        TenantFile,
        Unit,
    )
    from archives.services.files import (
        document_add,
        documents_retention_refresh,
        files_missing_refresh,
    )
    from archives.services.retention import destruction_draw

    rng = random.Random(seed)
    users = {u.username: u for u in get_user_model().objects.all()}
    desk, reader = users["assistant"], users["engineering"]
    units = list(Unit.objects.order_by("code")[:files])
    tenants = list(Tenant.objects.order_by("pk")[:files])
    if len(units) < files or len(tenants) < files:
        raise SystemExit("--files needs as many units and tenants (--units)")

    def moment(day, hour: int = 10):
        return tz.make_aware(datetime.combine(day, day_time(hour)))

    # --- files, each where it was opened ---
    made_files, sequence = [], {}
    for index, (unit, tenant) in enumerate(zip(units, tenants, strict=True)):
        if index < PAST_FILES:
            opened = today.replace(year=1986, day=1) + timedelta(days=rng.randrange(0, 1500))
            closed = opened + timedelta(days=rng.randrange(400, 1500))
            kind = FileKind.MOVED_OUT
        elif index % CLOSED_SHARE == CLOSED_SHARE - 1:
            closed = today - timedelta(days=rng.randrange(30, 3 * 365))
            opened = closed - timedelta(days=rng.randrange(400, 1500))
            kind = FileKind.MOVED_OUT
        else:
            opened = today - timedelta(days=rng.randrange(30, 3650))
            closed = None
            kind = FileKind.DECORATING if index % 9 == 4 else FileKind.IN_BUSINESS
        sequence[opened.year] = sequence.get(opened.year, 0) + 1
        made_files.append(
            TenantFile(
                number=f"DA-{opened.year}-{sequence[opened.year]:04d}",
                unit=unit,
                tenant=tenant,
                kind=kind,
                opened_on=opened,
                closed_on=closed,
                cabinet=f"{unit.block}区{1 + index // 400}号柜",
                box=f"{index % 40 + 1}号盒",
                opened_by=desk,
            )
        )
    made_files = _create(made_files, TenantFile, batch_size=5000)
    for year, last in sequence.items():
        FileSequence.objects.update_or_create(year=year, defaults={"last": last})
    _create(
        [
            FileLocation(
                file=f, cabinet=f.cabinet, box=f.box, moved_by=desk, moved_at=moment(f.opened_on)
            )
            for f in made_files
        ],
        FileLocation,
        batch_size=5000,
    )

    # --- documents: the kind's required types first (one left out in a file with gaps),
    # then receipts (kept 30 years) and inspection reports (kept for ever); a file closed
    # long ago holds PAST_PER_FILE of the former, the rest of the latter ---
    catalogue = list(DocumentType.objects.filter(active=True))
    receipt = next(t for t in catalogue if t.code == "receipt")
    report = next(t for t in catalogue if t.code == "inspection_report")
    documents = []
    for index, tenant_file in enumerate(made_files):
        required = [t for t in catalogue if getattr(t, REQUIRED_FLAG[tenant_file.kind])]
        if index % GAPS_SHARE == 0 or index < GAPS_AT_LEAST:
            required = required[1:]
        if index < PAST_FILES:
            kept = [t for t in required if t.retention_years is not None]
            past = (kept + [receipt] * per_file)[: min(per_file, PAST_PER_FILE)]
            types = past + [report] * (per_file - len(past))
        else:
            types = (required + [receipt, report] * per_file)[:per_file]
        last_day = tenant_file.closed_on or today
        span = max(1, (last_day - tenant_file.opened_on).days)
        for doc_type in types:
            day = tenant_file.opened_on + timedelta(days=rng.randrange(0, span))
            documents.append(
                Document(
                    file=tenant_file,
                    type=doc_type,
                    title=doc_type.name_zh,
                    dated_on=day,
                    pages=rng.randint(1, 12),
                    paper="copy" if doc_type.code == "id_copy" else "original",
                    retention_years=doc_type.retention_years,
                    confidential=doc_type.confidential,
                    added_by=desk,
                    added_at=moment(day),
                )
            )
    made_documents = _create(documents, Document, batch_size=5000)
    del documents
    # What document_add and file_mark_moved_out write: each file's count of missing types,
    # each document's last year of retention.
    files_missing_refresh()
    documents_retention_refresh()

    # --- the department's permissions: one file in twenty, the middle one running today ---
    middle = made_files[len(made_files) // 2]
    asked = [f for f in made_files[::20] if f.pk != middle.pk] + [middle]
    permissions = []
    for tenant_file in asked:
        start = (
            today - timedelta(days=rng.randrange(0, 700)) if tenant_file is not middle else today
        )
        permissions.append(
            AccessRequest(
                file=tenant_file,
                requested_by=reader,
                requested_at=moment(start, 9),
                purpose="核对装修图纸",
                days=7,
                status=AccessStatus.APPROVED,
                decided_by=users["manager"],
                decided_at=moment(start),
                accompanied_by=desk,
                starts_on=start,
                ends_on=start + timedelta(days=6),
            )
        )
    permissions = _create(permissions, AccessRequest, batch_size=5000)

    # --- the access log: reads under those permissions, confidential downloads by the
    # centre's staff, refused attempts, over two years ---
    file_type = ContentType.objects.get_for_model(TenantFile)
    document_type = ContentType.objects.get_for_model(Document)
    by_file: dict[int, list] = {}
    for document in made_documents[:: max(1, per_file // 4)]:
        by_file.setdefault(document.file_id, []).append(document)
    confidential = [d for d in made_documents if d.confidential]
    rows = []
    for number in range(log_rows):
        if number < RECENT_LOG_LINES:
            ago = rng.randrange(0, RECENT_LOG_MINUTES)
        else:
            ago = rng.randrange(OLDER_LOG_MINUTES, 2 * 365 * 24 * 60)
        at = tz.now() - timedelta(minutes=ago)
        pick = rng.random()
        if pick < 0.5:
            permission = rng.choice(permissions)
            document = rng.choice(by_file.get(permission.file_id, [None]) + [None])
            rows.append(
                AccessLog(
                    at=at,
                    user=reader,
                    kind=AccessKind.DOCUMENT if document else AccessKind.FILE,
                    content_type=document_type if document else file_type,
                    object_id=(document or permission.file).pk,
                    subject=f"文件 {number}",
                    page=f"/archives/files/{permission.file_id}/",
                    file_id=permission.file_id,
                    document=document,
                    access_request=permission,
                )
            )
        elif pick < 0.9:
            document = rng.choice(confidential)
            rows.append(
                AccessLog(
                    at=at,
                    user=rng.choice([desk, users["assistant2"], users["manager"]]),
                    kind=AccessKind.SCAN,
                    content_type=document_type,
                    object_id=document.pk,
                    subject=document.title,
                    page=f"/archives/files/documents/{document.pk}/scan/",
                    file_id=document.file_id,
                    document=document,
                )
            )
        else:
            tenant_file = rng.choice(made_files)
            rows.append(
                AccessLog(
                    at=at,
                    user=reader,
                    kind=AccessKind.REFUSED,
                    content_type=file_type,
                    object_id=tenant_file.pk,
                    subject=tenant_file.number,
                    page=f"/archives/files/{tenant_file.pk}/",
                    file=tenant_file,
                )
            )
    AccessLog.objects.bulk_create(rows, batch_size=5000)
    print(
        f"built {len(made_files)} tenant files, {len(made_documents)} documents, "
        f"{len(permissions)} permissions, {len(rows)} access log lines"
    )
    started = time.perf_counter()
    drawn = destruction_draw(by=desk, review_due=today + timedelta(days=14))
    print(
        f"drew destruction list {drawn.number} of {drawn.items.count()} lines "
        f"through the service in {time.perf_counter() - started:.1f} s"
    )
    past_files = made_files[: min(PAST_FILES, len(made_files))]
    for number in range(DUE_AFTER_DRAW):
        tenant_file = past_files[number % len(past_files)]
        document_add(
            by=desk,
            tenant_file=tenant_file,
            doc_type=receipt,
            title=f"{receipt.name_zh}（补档 {number + 1}）",
            dated_on=tenant_file.closed_on,
            pages=1,
        )
    print(f"filed {DUE_AFTER_DRAW} documents past their period after the list was drawn")
