"""The deposit ledger (保证金台账): what is held, by unit and by age; dormant deposits; the
refund clock of each refund under way and of each open gate without a request; and the
period's refunds and deductions for the audit pack.

The rows by unit and the lists are computed in the database from the deposits' rows
(deposits.selectors.deposits), a page at a time. The totals by age and the sections' counts,
which the page and the home panels show over every deposit held, are read from the ledger's
stored figures (LedgerDay, LedgerUnit: a row a day, a row a unit), which services.ledger
writes from the rows as live_day_figures() and live_unit_counts() answer them, in the
transaction of every change; the tests hold the two to the same figures.

The refund gate here is refund_gate()'s checklist (deposits.selectors.refunds) written as
SQL, without the item only the request ticks (the original receipt): ``gate_open`` says the
desk may prepare the refund now. The tests hold the two to the same answers. Evaluated
over every deposit held it costs subqueries per row, so the lists (open gates, the refund
clocks) read the day each gate opened as stored on the deposit (Deposit.gate_opened_on),
which services.gates writes from this SQL whenever a record the gate reads changes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.exporters import Period
from config.money import CENT, ZERO
from config.workdays import working_days_between
from deposits.enums import (
    ACCEPTED,
    REFUND_UNDER_WAY,
    DepositKind,
    DepositStatus,
    InspectionResult,
    RefundStatus,
)
from deposits.models import (
    ApplicationPermit,
    Deduction,
    Deposit,
    Inspection,
    LedgerDay,
    LedgerUnit,
    Refund,
    Violation,
)
from deposits.selectors.applications import PERMIT_ENDED
from deposits.selectors.deposits import deposit_balances
from fees.enums import PermitStatus
from fees.models import Charge
from fees.selectors.charges import charge_balances

# A deposit in one of these states holds money: the ledger lists it.
HOLDING = [DepositStatus.HELD, DepositStatus.REFUND_REQUESTED, DepositStatus.APPROVED]

# The age buckets of the ledger: (label, the oldest age in days it takes; None: no limit).
AGE_BUCKETS = [
    (_("0–30 days"), 30),
    (_("31–90 days"), 90),
    (_("91–180 days"), 180),
    (_("181–365 days"), 365),
    (_("Over a year"), None),
]
BUCKET_LABELS = [label for label, _days in AGE_BUCKETS]

DATE = DateField()


@dataclass
class Clock:
    """A refund clock: working days from its start (the gate opening) to ``until`` (paid,
    or today), against the target (settings.REFUND_TARGET_WORKING_DAYS)."""

    started_on: date
    until: date
    working_days: int
    target: int

    @property
    def late(self) -> bool:
        return self.working_days > self.target

    @property
    def left(self) -> int:
        """Working days left before it is late (negative: late by that many)."""
        return self.target - self.working_days


def refund_clock(started_on: date, until: date) -> Clock:
    return Clock(
        started_on=started_on,
        until=until,
        working_days=working_days_between(started_on, until),
        target=settings.REFUND_TARGET_WORKING_DAYS,
    )


# --- the gate in SQL ------------------------------------------------------------------------


def _local_date(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=timezone.get_current_timezone())


def _ref(prefix: str, name: str) -> OuterRef:
    return OuterRef(f"{prefix}{name}")


def _violations_of_decoration(prefix: str) -> QuerySet[Violation]:
    """The violations that concern the outer deposit's decoration (as open_violations())."""
    loose = Q(application__isnull=True) & (
        Q(tenant=_ref(prefix, "application__tenant"))
        | Q(tenant__isnull=True, unit=_ref(prefix, "application__unit"))
    )
    return Violation.objects.filter(Q(application=_ref(prefix, "application")) | loose)


def _violations_of_tenant(prefix: str) -> QuerySet[Violation]:
    return Violation.objects.filter(tenant=_ref(prefix, "tenant"))


def _open_charges_of(tenant: OuterRef) -> Exists:
    charges = charge_balances(Charge.objects.filter(cancelled=False, tenant=tenant))
    return Exists(charges.filter(outstanding__gt=ZERO))


def _latest(rows: QuerySet, expression) -> Subquery:
    """The latest date of ``rows`` (NULL for none), one value per outer row."""
    value = F(expression) if isinstance(expression, str) else expression
    latest = rows.annotate(on=value).filter(on__isnull=False).order_by("-on").values("on")
    return Subquery(latest[:1], output_field=DATE)


def gate_condition(prefix: str = "") -> Q:
    """Whether every item of the deposit's refund gate is done but the original receipt,
    which only the request ticks (the desk may prepare the refund): refund_gate()'s
    checklist as one condition, each check once, for a filter or a Case. ``prefix``: "" on
    deposits, "deposit__" on refunds."""
    p = prefix
    kind = f"{p}kind"
    with_application = Q(**{f"{p}application__isnull": False})

    def nothing_open(violations: QuerySet, tenant: OuterRef) -> Q:
        open_violation = Exists(violations.filter(resolved_on__isnull=True))
        return ~Q(open_violation) & ~Q(_open_charges_of(tenant))

    of_decoration = nothing_open(_violations_of_decoration(p), _ref(p, "application__tenant"))
    of_tenant = nothing_open(_violations_of_tenant(p), _ref(p, "tenant"))
    permits_out = Exists(
        ApplicationPermit.objects.filter(application=_ref(p, "application")).exclude(
            permit__status__in=PERMIT_ENDED
        )
    )
    # A decoration's (or another deposit's of a decoration) party is its decoration's; a
    # deposit without one answers for its tenant. Each check is written once.
    party_clear = (with_application & of_decoration) | (~with_application & of_tenant)
    accepted = Q(**{f"{p}application__status__in": ACCEPTED}) & ~Q(permits_out)
    card = Q(**{kind: DepositKind.PERMIT_CARD, f"{p}permit__status": PermitStatus.RETURNED})
    return card | (
        Q(**{f"{kind}__in": [DepositKind.DECORATION, DepositKind.OTHER]})
        & (Q(**{kind: DepositKind.OTHER}) | accepted)
        & party_clear
    )


def gate_opened_field(prefix: str = "") -> Case:
    """The day the deposit's gate opened: the latest of the dated records that closed its
    items, that is the passing inspection, each of the decoration's permits returned or
    reported lost, each violation concerning it resolved (a decoration deposit); the card
    released or returned (a card deposit); the violations resolved (another deposit); and
    never before the deposit was taken. An unpaid charge has no date of its own to close
    the gate with: while one is open the gate is closed (gate_condition), and the day the
    last one was settled is not looked for. Meaningful where the gate is open."""
    p = prefix
    with_application = Q(**{f"{p}application__isnull": False})
    taken_on = _local_date(f"{p}taken_at")
    passed_on = _latest(
        Inspection.objects.filter(application=_ref(p, "application"), result=InspectionResult.PASS),
        "inspected_on",
    )
    permits_ended_on = _latest(
        ApplicationPermit.objects.filter(application=_ref(p, "application")),
        Coalesce("permit__returned_on", "permit__lost_reported_on"),
    )
    resolved_on = Case(
        When(
            with_application,
            then=_latest(
                _violations_of_decoration(p).filter(resolved_on__isnull=False), "resolved_on"
            ),
        ),
        default=_latest(_violations_of_tenant(p).filter(resolved_on__isnull=False), "resolved_on"),
        output_field=DATE,
    )
    card_on = Coalesce(f"{p}released_on", f"{p}permit__returned_on", output_field=DATE)

    def at_least_taken(expression):
        return Coalesce(expression, taken_on, output_field=DATE)

    return Case(
        When(
            Q(**{f"{p}kind": DepositKind.DECORATION}),
            then=Greatest(
                taken_on,
                at_least_taken(passed_on),
                at_least_taken(permits_ended_on),
                at_least_taken(resolved_on),
                output_field=DATE,
            ),
        ),
        When(
            Q(**{f"{p}kind": DepositKind.PERMIT_CARD}),
            then=Greatest(taken_on, at_least_taken(card_on), output_field=DATE),
        ),
        default=Greatest(taken_on, at_least_taken(resolved_on), output_field=DATE),
        output_field=DATE,
    )


def with_gate(queryset: QuerySet, prefix: str = "") -> QuerySet:
    """``queryset`` with ``gate_open`` (gate_condition) and ``gate_since``
    (gate_opened_field), in the same query, from the live records: for a few rows. The
    lists read the deposits' stored ``gate_opened_on`` instead, which services.gates keeps
    equal to this."""
    return queryset.annotate(
        gate_open=Case(
            When(gate_condition(prefix), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        gate_since=gate_opened_field(prefix),
    )


def gate_opened_on(deposit: Deposit) -> date | None:
    """The day ``deposit``'s gate opened (None while it is not open), from the live
    records."""
    found = with_gate(Deposit.objects.filter(pk=deposit.pk)).values("gate_open", "gate_since")
    row = found.get()
    return row["gate_since"] if row["gate_open"] else None


# --- the ledger -----------------------------------------------------------------------------


def _unit_code(prefix: str = "") -> Coalesce:
    """The code of the unit the ledger files a deposit under ("" for none)."""
    return Coalesce(f"{prefix}ledger_unit__code", Value(""))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _bucket(today: date, taken: str = "taken_at", start=_day_start) -> Case:
    """The index of the age bucket (its age: today − the day it was taken) of a deposit
    (``taken_at``, a time: from the day's ``start``) or of a ledger's day (``day``)."""
    whens = [
        When(**{f"{taken}__gte": start(today - timedelta(days=days))}, then=Value(index))
        for index, (_label, days) in enumerate(AGE_BUCKETS)
        if days is not None
    ]
    return Case(*whens, default=Value(len(AGE_BUCKETS) - 1))


def holding_deposits() -> QuerySet[Deposit]:
    """The deposits that hold money, with their balances (deposit_balances)."""
    return deposit_balances(Deposit.objects.filter(status__in=HOLDING))


def _money(amount) -> Decimal:
    # SQLite sums money as floating point: to the cent, as every amount is.
    return Decimal(amount or 0).quantize(CENT)


@dataclass
class LedgerRow:
    unit: str
    buckets: list[Decimal]
    counts: list[int]

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)

    @property
    def count(self) -> int:
        return sum(self.counts)


@dataclass
class Ledger:
    """The ledger's totals per age bucket and, for its files, its rows by unit."""

    today: date
    rows: list[LedgerRow] = field(default_factory=list)
    totals: list[Decimal] = field(default_factory=lambda: [ZERO] * len(AGE_BUCKETS))
    counts: list[int] = field(default_factory=lambda: [0] * len(AGE_BUCKETS))

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)

    @property
    def count(self) -> int:
        return sum(self.counts)


def _unit_rows(deposits: QuerySet[Deposit], today: date) -> list[LedgerRow]:
    """What ``deposits`` hold, by unit and age bucket, in unit order: one grouped query."""
    groups = (
        deposit_balances(deposits)
        .annotate(unit_code=_unit_code(), bucket=_bucket(today))
        .values("unit_code", "bucket")
        .annotate(held=Sum("balance"), number=Count("pk"))
        .order_by("unit_code", "bucket")
        .values_list("unit_code", "bucket", "held", "number")
    )
    rows: list[LedgerRow] = []
    size = len(AGE_BUCKETS)
    for unit_code, bucket, held, number in groups:
        if not rows or rows[-1].unit != unit_code:
            rows.append(LedgerRow(unit_code, [ZERO] * size, [0] * size))
        rows[-1].buckets[bucket] = _money(held)
        rows[-1].counts[bucket] = number
    return rows


def _stored_buckets(today: date, count: str, amount: str) -> tuple[list[Decimal], list[int]]:
    """The ledger's stored days (LedgerDay) grouped into age buckets, a row a day however
    many deposits each took: the ``amount`` and ``count`` of each bucket."""
    size = len(AGE_BUCKETS)
    totals, counts = [ZERO] * size, [0] * size
    days = (
        LedgerDay.objects.filter(**{f"{count}__gt": 0})
        .annotate(bucket=_bucket(today, "day", start=lambda day: day))
        .values("bucket")
        .annotate(amount_sum=Sum(amount), number=Sum(count))
        .order_by()
        .values_list("bucket", "amount_sum", "number")
    )
    for bucket, total, number in days:
        totals[bucket], counts[bucket] = _money(total), number
    return totals, counts


def ledger_totals(today: date) -> Ledger:
    """What is held by age bucket, without the rows, from the stored days. The tests hold
    these totals to the sum of the balances."""
    totals, counts = _stored_buckets(today, "held_count", "held")
    return Ledger(today=today, totals=totals, counts=counts)


def deposit_ledger(today: date) -> Ledger:
    """The whole ledger: its totals and a row per unit (for its Excel and PDF files)."""
    ledger = ledger_totals(today)
    ledger.rows = _unit_rows(Deposit.objects.filter(status__in=HOLDING), today)
    return ledger


class LedgerUnits:
    """The ledger's rows by unit as a sequence that a Paginator pages: the units holding
    money counted and sliced from the stored units (LedgerUnit, by code), each page's rows
    grouped from its units' deposits only; first the deposits of no unit, from the stored
    days (LedgerDay.unfiled), as they may be any number."""

    def __init__(self, today: date):
        self.today = today
        self._unfiled: LedgerRow | None = None

    def unfiled(self) -> LedgerRow:
        """The row of the deposits of no unit ("no unit": count 0 when there are none)."""
        if self._unfiled is None:
            totals, counts = _stored_buckets(self.today, "unfiled_count", "unfiled")
            self._unfiled = LedgerRow("", totals, counts)
        return self._unfiled

    def count(self) -> int:
        first = 1 if self.unfiled().count else 0
        return LedgerUnit.objects.filter(held_count__gt=0).count() + first

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[LedgerRow]:
        start, stop = page.start or 0, page.stop
        rows = []
        if self.unfiled().count:
            if start == 0 and stop != 0:
                rows = [self.unfiled()]
            start, stop = max(start - 1, 0), None if stop is None else max(stop - 1, 0)
        units = list(
            LedgerUnit.objects.filter(held_count__gt=0)
            .order_by("unit__code")
            .values_list("unit", flat=True)[start:stop]
        )
        if not units:
            return rows
        holding = Deposit.objects.filter(status__in=HOLDING, ledger_unit__in=units)
        return rows + _unit_rows(holding, self.today)


# --- dormant deposits ------------------------------------------------------------------------


def accepted_on_field() -> Subquery:
    """The day the outer deposit's decoration was accepted: its latest passing inspection."""
    return _latest(
        Inspection.objects.filter(
            application=OuterRef("application"), result=InspectionResult.PASS
        ),
        "inspected_on",
    )


def _dormant_candidates() -> QuerySet[Deposit]:
    """Deposits still held (no refund under way) of an accepted decoration: dormant from
    the set number of days after its acceptance."""
    return Deposit.objects.filter(
        status=DepositStatus.HELD,
        application__isnull=False,  # said, so that the index skips the cards
        application__status__in=ACCEPTED,
    )


def _dormant(today: date) -> QuerySet[Deposit]:
    since = today - timedelta(days=settings.DEPOSIT_DORMANT_DAYS)
    return (
        _dormant_candidates()
        .annotate(accepted_on=accepted_on_field())
        .filter(accepted_on__lte=since)
    )


def dormant_deposits(today: date) -> QuerySet[Deposit]:
    """Deposits still held (no refund under way) of a decoration accepted at least
    settings.DEPOSIT_DORMANT_DAYS days ago, with ``accepted_on`` and ``balance``; the
    longest dormant first."""
    return (
        deposit_balances(_dormant(today))
        .annotate(unit_code=_unit_code())
        .select_related("application", "tenant", "contractor")
        .order_by("accepted_on", "pk")
    )


def dormant_count(today: date) -> int:
    """How many deposits are dormant (dormant_deposits()): the stored days of acceptance."""
    since = today - timedelta(days=settings.DEPOSIT_DORMANT_DAYS)
    found = LedgerDay.objects.filter(day__lte=since).aggregate(n=Sum("dormant_count"))
    return found["n"] or 0


def dormant_days(deposit: Deposit, today: date) -> int:
    return (today - deposit.accepted_on).days


# --- refunds under way and open gates, with their clocks ---------------------------------------


@dataclass
class RefundWaiting:
    refund: Refund
    clock: Clock
    step_since: date
    days_at_step: int  # working days at the present step

    @property
    def late(self) -> bool:
        return self.clock.late


def clock_start(gate_opened: date | None, prepared_on: date) -> date:
    """The refund clock starts when the gate opened; a request proves it was open then, so
    at the latest on the day it was prepared (its deductions may have opened it)."""
    return prepared_on if gate_opened is None else min(gate_opened, prepared_on)


def refunds_under_way() -> QuerySet[Refund]:
    """The refunds waiting for the manager (requested) or finance (approved), each with the
    day its deposit's gate opened (``gate_opened_on``), oldest first within each step."""
    return (
        Refund.objects.filter(status__in=REFUND_UNDER_WAY)
        .annotate(
            gate_opened_on=F("deposit__gate_opened_on"),
            unit_code=_unit_code("deposit__"),
        )
        .select_related("deposit", "prepared_by", "decided_by")
        .order_by("status", "prepared_at", "pk")
    )


def refunds_under_way_count() -> int:
    """How many refunds are under way (refunds_under_way()), from the stored days."""
    return LedgerDay.objects.aggregate(n=Sum("waiting_count"))["n"] or 0


def refunds_by_step() -> dict[str, int]:
    """How many refunds wait at each step: the gates open without a request (the desk to
    prepare), the requests (the manager to approve), the approved (finance to pay), and the
    ones returned to the desk (the shift handover lists them)."""
    counts = dict(
        Refund.objects.filter(status__in=REFUND_UNDER_WAY)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "to_prepare": gates_open_count(),
        RefundStatus.REQUESTED.value: counts.get(RefundStatus.REQUESTED, 0),
        RefundStatus.APPROVED.value: counts.get(RefundStatus.APPROVED, 0),
        RefundStatus.RETURNED.value: returned_refunds().count(),
    }


def refund_waiting(refund: Refund, today: date) -> RefundWaiting:
    """A refund of refunds_under_way() with its clock and the time at its step."""
    prepared_on = timezone.localdate(refund.prepared_at)
    start = clock_start(refund.gate_opened_on, prepared_on)
    since = (
        timezone.localdate(refund.decided_at)
        if refund.status == RefundStatus.APPROVED and refund.decided_at
        else prepared_on
    )
    return RefundWaiting(
        refund=refund,
        clock=refund_clock(start, today),
        step_since=since,
        days_at_step=working_days_between(since, today),
    )


def refunds_waiting(today: date, *, limit: int | None = None) -> list[RefundWaiting]:
    rows = refunds_under_way()
    if limit is not None:
        rows = rows[:limit]
    return [refund_waiting(refund, today) for refund in rows]


def paid_refund_clock(refund: Refund) -> Clock:
    """The clock of a paid refund: from the gate opening to the day it was paid."""
    found = with_gate(Refund.objects.filter(pk=refund.pk), "deposit__").values(
        "gate_open", "gate_since"
    )
    gate = found.get()
    opened = gate["gate_since"] if gate["gate_open"] else None
    start = clock_start(opened, timezone.localdate(refund.prepared_at))
    return refund_clock(start, refund.paid_on or timezone.localdate())


@dataclass
class GateWaiting:
    deposit: Deposit
    clock: Clock


def _gates_open() -> QuerySet[Deposit]:
    """Deposits held whose gate is open (as stored) and that no refund is under way for,
    and none returned (those are the returned refunds' to take up again)."""
    returned = Refund.objects.filter(deposit=OuterRef("pk"), status=RefundStatus.RETURNED)
    return Deposit.objects.filter(status=DepositStatus.HELD, gate_opened_on__isnull=False).exclude(
        Exists(returned)
    )


def gates_open_without_refund() -> QuerySet[Deposit]:
    """_gates_open() with their balances, the latest opened first."""
    return (
        deposit_balances(_gates_open())
        .annotate(unit_code=_unit_code())
        .select_related("application")
        .order_by("-gate_opened_on", "-pk")
    )


def gates_open_count() -> int:
    """How many gates are open without a request (_gates_open()), from the stored days."""
    return LedgerDay.objects.aggregate(n=Sum("gates_count"))["n"] or 0


def gate_waiting(deposit: Deposit, today: date) -> GateWaiting:
    """A deposit of gates_open_without_refund() with its refund clock."""
    return GateWaiting(deposit, refund_clock(deposit.gate_opened_on, today))


@dataclass
class GatesWaiting:
    count: int
    rows: list[GateWaiting]


def gates_waiting(today: date, *, limit: int | None = None) -> GatesWaiting:
    """How many gates are open without a request, and the first ``limit`` of them (all
    without one) with their clocks."""
    rows = gates_open_without_refund()
    shown = list(rows if limit is None else rows[:limit])
    return GatesWaiting(
        count=gates_open_count(),
        rows=[gate_waiting(row, today) for row in shown],
    )


def returned_refunds() -> QuerySet[Refund]:
    """Refunds the manager returned to the desk whose deposit is held and has no later
    request: the desk prepares it again (or explains). The latest returned first."""
    later = Refund.objects.filter(deposit=OuterRef("deposit"), pk__gt=OuterRef("pk"))
    return (
        Refund.objects.filter(status=RefundStatus.RETURNED, deposit__status=DepositStatus.HELD)
        .exclude(Exists(later))
        .select_related("deposit")
        .order_by("-decided_at", "-pk")
    )


# --- the stored figures as the rows answer them (services.ledger writes them) ----------------


@dataclass(frozen=True)
class DayFigures:
    """A LedgerDay's figures."""

    held_count: int = 0
    held: Decimal = ZERO
    waiting_count: int = 0
    gates_count: int = 0
    dormant_count: int = 0
    unfiled_count: int = 0
    unfiled: Decimal = ZERO

    MONEY = ("held", "unfiled")


def _taken_on(days: set[date] | None, prefix: str = "") -> Q:
    """Taken on one of ``days`` (any day: None)."""
    found = Q()
    for day in days or ():
        found |= Q(
            **{
                f"{prefix}taken_at__gte": _day_start(day),
                f"{prefix}taken_at__lt": _day_start(day + timedelta(days=1)),
            }
        )
    return found if days is not None else Q()


def _by_day(rows: QuerySet, day, **figures) -> list[tuple]:
    return list(
        rows.annotate(on=day)
        .values("on")
        .annotate(**figures)
        .order_by()
        .values_list("on", *figures)
    )


def live_day_figures(days: set[date] | None = None) -> dict[date, DayFigures]:
    """The ledger's figures of ``days`` (of every day: None) from the rows, each by the day
    that files it: the deposits holding money (with their balances), the refunds under way
    and the open gates without a request by the day their deposit was taken; the dormant
    candidates by the day their decoration was accepted. Days without any are left out."""
    if days is not None and not days:
        return {}
    figures: dict[date, dict] = {}

    def add(rows, *names):
        for on, *values in rows:
            figures.setdefault(on, {}).update(zip(names, values, strict=True))

    taken = _taken_on(days)
    unfiled = Q(ledger_unit__isnull=True)
    add(
        _by_day(
            holding_deposits().filter(taken),
            _local_date("taken_at"),
            n=Count("pk"),
            amount=Sum("balance"),
            unfiled_n=Count("pk", filter=unfiled),
            unfiled_amount=Sum("balance", filter=unfiled),
        ),
        "held_count",
        "held",
        "unfiled_count",
        "unfiled",
    )
    under_way = Refund.objects.filter(_taken_on(days, "deposit__"), status__in=REFUND_UNDER_WAY)
    add(
        _by_day(under_way, _local_date("deposit__taken_at"), n=Count("pk")),
        "waiting_count",
    )
    add(
        _by_day(_gates_open().filter(taken), _local_date("taken_at"), n=Count("pk")),
        "gates_count",
    )
    candidates = _dormant_candidates().annotate(accepted_on=accepted_on_field())
    if days is not None:
        passed = Inspection.objects.filter(result=InspectionResult.PASS, inspected_on__in=days)
        candidates = candidates.filter(
            application__in=passed.values("application"), accepted_on__in=days
        )
    add(_by_day(candidates, F("accepted_on"), n=Count("pk")), "dormant_count")
    return {
        on: DayFigures(
            **{
                name: _money(value) if name in DayFigures.MONEY else value
                for name, value in values.items()
            }
        )
        for on, values in figures.items()
    }


def live_unit_counts(units: set[int] | None = None) -> dict[int, int]:
    """How many deposits holding money the ledger files under each of ``units`` (every
    unit: None), from the rows; units holding none are left out."""
    rows = Deposit.objects.filter(status__in=HOLDING, ledger_unit__isnull=False)
    if units is not None:
        rows = rows.filter(ledger_unit__in=units)
    return dict(
        rows.values("ledger_unit")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("ledger_unit", "n")
    )


# --- the audit pack --------------------------------------------------------------------------


def period_refunds(period: Period) -> QuerySet[Refund]:
    """The refunds of an audit pack's period: those requested in it and those paid in it
    (one requested in a period and paid in the next is in both packs), in request order."""
    in_period = Q(prepared_at__gte=period.start, prepared_at__lt=period.end) | Q(
        paid_on__range=(period.date_from, period.date_to)
    )
    return (
        Refund.objects.filter(in_period)
        .annotate(unit_code=_unit_code("deposit__"))
        .select_related("deposit", "deposit__application", "prepared_by", "decided_by", "paid_by")
        .order_by("prepared_at", "pk")
    )


def period_deductions(period: Period) -> QuerySet[Deduction]:
    """The deductions recorded in the period (itemised in a request, or forfeited), with
    ``counts``: whether it is kept from its deposit (forfeited, or its request approved)."""
    return (
        Deduction.objects.filter(recorded_at__gte=period.start, recorded_at__lt=period.end)
        .annotate(
            counts=Case(
                When(
                    Q(refund__isnull=True)
                    | Q(refund__status__in=[RefundStatus.APPROVED, RefundStatus.PAID]),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            unit_code=_unit_code("deposit__"),
        )
        .select_related("deposit", "refund", "charge__tenant", "recorded_by")
        .order_by("recorded_at", "pk")
    )
