"""Reads about charges: balances, a tenant's statement, ageing and dunning."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archives.models import Tenant
from config.money import CENT, ZERO
from fees.enums import ChargeStatus, ReceiptStatus
from fees.models import Charge, ChargeBalance, ChargeOffset, DunningNote, ReceiptLine

# The output type of money expressions (sums and differences of money columns).
MONEY = DecimalField(max_digits=12, decimal_places=2)


def _sum_subquery(rows: QuerySet) -> Coalesce:
    """The sum of ``rows``' amounts for the charge of the outer query (0.00 for none)."""
    total = rows.order_by().values("charge").annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _settled_subquery():
    lines = ReceiptLine.objects.filter(charge=OuterRef("pk")).exclude(
        receipt__status=ReceiptStatus.VOID
    )
    offsets = ChargeOffset.objects.filter(charge=OuterRef("pk"))
    # SQLite adds money as floating point: rounded to the cent, a charge paid in parts is
    # settled to exactly nothing there too.
    return Round(_sum_subquery(lines) + _sum_subquery(offsets), 2, output_field=MONEY)


def charge_balances(queryset: QuerySet[Charge]) -> QuerySet[Charge]:
    """Each charge with ``settled`` (non-void receipt lines, reversals subtracting, and the
    offsets from deposits) and ``outstanding`` (nothing for a cancelled charge), in the same
    query."""
    return queryset.annotate(
        settled=_settled_subquery(),
        outstanding=Case(
            When(cancelled=True, then=Value(ZERO)),
            default=Round(F("amount") - F("settled"), 2),
            output_field=MONEY,
        ),
    )


def open_charges(tenant: Tenant | None = None) -> QuerySet[Charge]:
    """Charges with something still owed, oldest due first."""
    charges = Charge.objects.filter(cancelled=False)
    if tenant is not None:
        charges = charges.filter(tenant=tenant)
    return (
        charge_balances(charges)
        .filter(outstanding__gt=ZERO)
        .select_related("tenant", "unit", "fee_type")
        .order_by("due_on", "pk")
    )


def overdue_charges(today: date) -> QuerySet[Charge]:
    """Charges past their due date with something still owed, oldest due first, with
    ``outstanding``: the home page's panel, which counts them all, reads the stored
    balances (ChargeBalance) rather than every open charge's receipt lines."""
    return (
        Charge.objects.filter(stored_balance__owed__gt=ZERO, due_on__lt=today)
        .annotate(outstanding=F("stored_balance__owed"))
        .select_related("tenant", "unit", "fee_type")
        .order_by("due_on", "pk")
    )


def days_overdue(charge: Charge, today: date) -> int:
    """Whole days past the due date; 0 when not yet due or nothing is owed."""
    if charge.cancelled or getattr(charge, "outstanding", ZERO) <= ZERO:
        return 0
    return max((today - charge.due_on).days, 0)


@dataclass
class StatementRow:
    on: date
    text: str
    reference: str
    url: str
    debit: Decimal
    credit: Decimal
    balance: Decimal = ZERO


@dataclass
class Statement:
    tenant: Tenant
    rows: list[StatementRow]
    debit_total: Decimal
    credit_total: Decimal

    @property
    def closing_balance(self) -> Decimal:
        return self.debit_total - self.credit_total


def tenant_statement(tenant: Tenant) -> Statement:
    """The tenant's account in date order: charges as debits, the receipt lines that
    settle them as credits (a reversal's negative line reduces the credit), with the
    running balance; amounts settled from a deposit are credits too. Cancelled charges and
    void receipts are left out: they never were owed or paid. Three queries."""
    rows: list[tuple[date, int, int, StatementRow]] = []
    charges = Charge.objects.filter(tenant=tenant, cancelled=False).select_related("fee_type")
    for charge in charges:
        text = f"{charge.fee_type.name} · {charge.description}"
        due = _("due %(date)s") % {"date": charge.due_on}
        row = StatementRow(
            charge.billed_on, text, due, charge.get_absolute_url(), charge.amount, ZERO
        )
        # On one day the bill comes before the money that settles it.
        rows.append((charge.billed_on, 0, charge.pk, row))
    lines = (
        ReceiptLine.objects.filter(charge__tenant=tenant)
        .exclude(receipt__status=ReceiptStatus.VOID)
        .select_related("receipt", "charge")
    )
    for line in lines:
        receipt = line.receipt
        label = _("Reversal %(number)s") if receipt.is_reversal else _("Receipt %(number)s")
        row = StatementRow(
            receipt.business_date,
            str(label % {"number": receipt.number}),
            line.charge.description,
            receipt.get_absolute_url(),
            ZERO,
            line.amount,
        )
        rows.append((receipt.business_date, 1, line.pk, row))
    offsets = ChargeOffset.objects.filter(charge__tenant=tenant).select_related("charge")
    for offset in offsets:
        row = StatementRow(
            offset.offset_on,
            offset.source,
            offset.charge.description,
            offset.charge.get_absolute_url(),
            ZERO,
            offset.amount,
        )
        rows.append((offset.offset_on, 2, offset.pk, row))
    rows.sort(key=lambda item: item[:3])
    balance = ZERO
    ordered = []
    for *_key, row in rows:
        balance += row.debit - row.credit
        row.balance = balance
        ordered.append(row)
    return Statement(
        tenant=tenant,
        rows=ordered,
        debit_total=sum((r.debit for r in ordered), ZERO),
        credit_total=sum((r.credit for r in ordered), ZERO),
    )


BUCKET_LABELS = [
    gettext_lazy("Not due"),
    gettext_lazy("1–30 days"),
    gettext_lazy("31–60 days"),
    gettext_lazy("61–90 days"),
    gettext_lazy("Over 90 days"),
]


def _band_filters(today: date) -> list[Q]:
    """The bands of BUCKET_LABELS as conditions on a charge's due date: not yet due (due
    today included), then 1–30, 31–60, 61–90 and over 90 days past it."""
    edges = [today - timedelta(days=days) for days in (0, 30, 60, 90)]
    bands = [Q(charge__due_on__gte=today)]
    bands += [
        Q(charge__due_on__lt=newer, charge__due_on__gte=older) for newer, older in pairwise(edges)
    ]
    bands.append(Q(charge__due_on__lt=edges[-1]))
    return bands


def _band_sums(today: date) -> dict[str, Coalesce]:
    return {
        f"band{index}": Coalesce(Sum("owed", filter=band), Value(ZERO), output_field=MONEY)
        for index, band in enumerate(_band_filters(today))
    }


def _owed(tenant: Tenant | None = None) -> QuerySet[ChargeBalance]:
    """The stored balances of the charges with something still owed."""
    owed = ChargeBalance.objects.filter(owed__gt=ZERO)
    return owed if tenant is None else owed.filter(charge__tenant=tenant)


def _bands(values: dict) -> list[Decimal]:
    # SQLite sums money as floating point: to the cent, as every amount is.
    return [Decimal(values[f"band{i}"]).quantize(CENT) for i in range(len(BUCKET_LABELS))]


@dataclass
class AgeingRow:
    tenant_id: int
    tenant_name: str
    buckets: list[Decimal] = field(default_factory=lambda: [ZERO] * len(BUCKET_LABELS))

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


# The orders the ageing list offers (?sort=), in SQL: a tie on the total goes by tenant.
AGEING_SORTS = {
    "tenant": ("charge__tenant__name", "charge__tenant"),
    "-tenant": ("-charge__tenant__name", "-charge__tenant"),
    "total": ("total", "charge__tenant"),
    "-total": ("-total", "charge__tenant"),
}
DEFAULT_AGEING_SORT = "-total"


class AgeingRows:
    """The ageing's rows (a tenant each) in the order asked for, as a sequence that a
    Paginator pages, from the stored balances (ChargeBalance): the tenants owing counted;
    a page's tenants ranked first, on their totals alone, then summed by band (the bands'
    sums and the names cost per tenant: a page pays for its 50, not for every tenant)."""

    def __init__(self, today: date, sort: str, tenant: Tenant | None = None):
        self.today, self.sort, self.tenant = today, sort, tenant

    def count(self) -> int:
        return _owed(self.tenant).values("charge__tenant").distinct().count()

    def __len__(self) -> int:
        return self.count()

    def _by_tenant(self, tenants=None):
        owed = _owed(self.tenant)
        if tenants is not None:
            owed = owed.filter(charge__tenant__in=tenants)
        return (
            owed.values("charge__tenant", "charge__tenant__name")
            .annotate(total=Sum("owed"), **_band_sums(self.today))
            .order_by(*AGEING_SORTS[self.sort])
        )

    def __getitem__(self, page: slice) -> list[AgeingRow]:
        if page.stop is None:  # every row (the files): one query
            found = list(self._by_tenant()[page])
        else:
            ranked = list(
                _owed(self.tenant)
                .values("charge__tenant")
                .annotate(total=Sum("owed"))
                .order_by(*AGEING_SORTS[self.sort])
                .values_list("charge__tenant", flat=True)[page]
            )
            summed = {row["charge__tenant"]: row for row in self._by_tenant(ranked)}
            found = [summed[tenant] for tenant in ranked]
        return [
            AgeingRow(row["charge__tenant"], row["charge__tenant__name"], _bands(row))
            for row in found
        ]


@dataclass
class Ageing:
    today: date
    rows: Sequence[AgeingRow]
    # Each band summed over every tenant (not only the rows of a page).
    totals: list[Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)


def sorted_ageing(today: date, sort: str | None, tenant: Tenant | None = None) -> Ageing:
    """What each tenant owes, by how long past the due date, every row in the order asked
    for (ageing_sort()), from the stored balances: one query. The page and its Excel and
    PDF list the rows alike."""
    rows = AgeingRows(today, ageing_sort(sort), tenant)[:]
    totals = [sum((row.buckets[i] for row in rows), ZERO) for i in range(len(BUCKET_LABELS))]
    return Ageing(today=today, rows=rows, totals=totals)


def ageing(today: date, tenant: Tenant | None = None) -> Ageing:
    """The ageing by tenant name (sorted_ageing)."""
    return sorted_ageing(today, "tenant", tenant)


def ageing_page(today: date, sort: str | None) -> Ageing:
    """The ageing for its page: the rows as AgeingRows, to page, and the bands' totals over
    every tenant, one query each, whatever the number of open charges."""
    totals = _bands(_owed().aggregate(**_band_sums(today)))
    return Ageing(today=today, rows=AgeingRows(today, ageing_sort(sort)), totals=totals)


def ageing_sort(sort: str | None) -> str:
    """The order asked for (?sort=), or the default (biggest debtor first)."""
    return sort if sort in AGEING_SORTS else DEFAULT_AGEING_SORT


def dunning_list(today: date, tenant: Tenant | None = None) -> list[Charge]:
    """Charges past due with something owed, each with ``days_overdue`` and its dunning
    notes (newest first) in ``notes``: the second half of the ageing report. Two queries."""
    notes = DunningNote.objects.order_by("-noted_on", "-pk")
    charges = list(
        open_charges(tenant)
        .filter(due_on__lt=today)
        .prefetch_related(Prefetch("dunning_notes", queryset=notes, to_attr="notes"))
    )
    for charge in charges:
        charge.days_overdue = (today - charge.due_on).days
    return charges


def charge_has_receipts(charge: Charge) -> bool:
    """Whether a receipt line that still counts, a reversal included, is booked against the
    charge: cancelling it would leave that money pointing at nothing owed."""
    return (
        ReceiptLine.objects.filter(charge=charge).exclude(receipt__status=ReceiptStatus.VOID)
    ).exists()


@dataclass(frozen=True)
class ChargeActions:
    """Where a charge stands and what a user may do from its page; the services decide."""

    status: ChargeStatus
    # Something is still owed: to settle at the desk or to chase.
    is_open: bool
    can_cancel: bool


def charge_actions(charge: Charge, user) -> ChargeActions:
    """For a charge read with its balance (charge_balances)."""
    status = ChargeStatus.of(charge)
    return ChargeActions(
        status=status,
        is_open=status.can_become(ChargeStatus.SETTLED),
        can_cancel=user.has_perm("fees.bill_charge")
        and status.can_become(ChargeStatus.CANCELLED)
        and not charge_has_receipts(charge)
        and not charge_has_offsets(charge),
    )


def charge_has_offsets(charge: Charge) -> bool:
    """Whether part of the charge was settled from a deposit (never undone)."""
    return ChargeOffset.objects.filter(charge=charge).exists()


def charge_outstanding(charge: Charge) -> Decimal:
    settled = (
        ReceiptLine.objects.filter(charge=charge)
        .exclude(receipt__status=ReceiptStatus.VOID)
        .aggregate(total=Sum("amount"))["total"]
    )
    offset = ChargeOffset.objects.filter(charge=charge).aggregate(total=Sum("amount"))["total"]
    # To the cent: SQLite sums money as floating point.
    return (charge.amount - (settled or ZERO) - (offset or ZERO)).quantize(CENT)
