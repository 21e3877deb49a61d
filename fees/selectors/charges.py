"""Reads about charges: balances, a tenant's statement, ageing and dunning."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
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
from fees.models import Charge, ChargeOffset, DunningNote, ReceiptLine

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
    """Charges past their due date with something still owed: the home page's panel."""
    return open_charges().filter(due_on__lt=today)


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


def bucket_of(days_past_due: int) -> int:
    """0 not yet due (due today included), then 1–30, 31–60, 61–90, over 90 days."""
    if days_past_due <= 0:
        return 0
    if days_past_due <= 30:
        return 1
    if days_past_due <= 60:
        return 2
    if days_past_due <= 90:
        return 3
    return 4


@dataclass
class AgeingRow:
    tenant_id: int
    tenant_name: str
    buckets: list[Decimal] = field(default_factory=lambda: [ZERO] * len(BUCKET_LABELS))

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


@dataclass
class Ageing:
    today: date
    rows: list[AgeingRow]

    @property
    def totals(self) -> list[Decimal]:
        return [sum((r.buckets[i] for r in self.rows), ZERO) for i in range(len(BUCKET_LABELS))]

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)


def ageing(today: date, tenant: Tenant | None = None) -> Ageing:
    """What each tenant owes, by how long past the due date: one query, one pass."""
    by_tenant: dict[int, AgeingRow] = {}
    owed = open_charges(tenant).values_list("tenant_id", "tenant__name", "due_on", "outstanding")
    for tenant_id, name, due_on, outstanding in owed:
        row = by_tenant.setdefault(tenant_id, AgeingRow(tenant_id, name))
        row.buckets[bucket_of((today - due_on).days)] += outstanding
    rows = sorted(by_tenant.values(), key=lambda r: (r.tenant_name, r.tenant_id))
    return Ageing(today=today, rows=rows)


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


# The orders the ageing list offers (?sort=): (key, descending).
AGEING_SORTS = {
    "tenant": (lambda r: (r.tenant_name, r.tenant_id), False),
    "-tenant": (lambda r: (r.tenant_name, r.tenant_id), True),
    "total": (lambda r: (r.total, r.tenant_name), False),
    "-total": (lambda r: (r.total, r.tenant_name), True),
}
DEFAULT_AGEING_SORT = "-total"


def sorted_ageing(today: date, sort: str | None) -> tuple[Ageing, str]:
    """The ageing in the order asked for (an unknown order: biggest debtor first), and the
    order it is in; the page, its Excel and its PDF list the rows alike."""
    sort = sort if sort in AGEING_SORTS else DEFAULT_AGEING_SORT
    report = ageing(today)
    key, descending = AGEING_SORTS[sort]
    report.rows.sort(key=key, reverse=descending)
    return report, sort
