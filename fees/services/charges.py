"""Charges (应收): billing a tenant, cancelling a bill, chasing it (催收), and the reads
built on them: balances, the tenant's statement of account, the ageing list.

A charge is settled only by receipt lines that point to it (issued through
``receipt_issue``); what is settled and what is still owed is always computed from those
lines, never stored.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
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
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from archives.models import Occupancy, Tenant, Unit
from config.history import set_reason
from config.permissions import require
from fees.models import (
    MAX_AMOUNT,
    ZERO,
    Charge,
    DunningChannel,
    DunningNote,
    FeeType,
    ReceiptLine,
    ReceiptStatus,
)

CENT = Decimal("0.01")
# The history keeps "cancelled: <reason>" in a 100-character column.
CANCEL_REASON_MAX = 80
MONEY = DecimalField(max_digits=12, decimal_places=2)

# --- writes ------------------------------------------------------------------------------


def _money(value, field_name: str) -> Decimal:
    """The amount as a Decimal of at most two decimals, or a message on the field."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field_name: _("Enter the amount as a number, e.g. 350.00.")})
    if not ZERO < amount <= MAX_AMOUNT:
        raise ValidationError(
            {field_name: _("The amount must be more than 0 and at most 1,000,000.00.")}
        )
    if amount != amount.quantize(CENT):
        raise ValidationError({field_name: _("The amount can have at most two decimals.")})
    return amount.quantize(CENT)


@transaction.atomic
def charge_bill(
    *,
    by,
    tenant: Tenant,
    unit: Unit | None,
    fee_type: FeeType,
    description: str,
    amount,
    billed_on: date,
    due_on: date,
) -> Charge:
    """Bill an amount to a tenant; the unit, if given, is one the tenant holds or held."""
    require(by, "fees.bill_charge")
    amount = _money(amount, "amount")
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say what the charge is for.")})
    if not fee_type.active:
        raise ValidationError({"fee_type": _("This fee is no longer in use.")})
    if due_on < billed_on:
        raise ValidationError({"due_on": _("The due date cannot be before the billing date.")})
    if unit is not None and not Occupancy.objects.filter(tenant=tenant, unit=unit).exists():
        raise ValidationError(
            {
                "unit": _(
                    "%(tenant)s never occupied unit %(unit)s: choose one of the tenant's units."
                )
                % {"tenant": tenant.name, "unit": unit.code}
            }
        )
    charge = Charge(
        tenant=tenant,
        unit=unit,
        fee_type=fee_type,
        description=description,
        amount=amount,
        billed_on=billed_on,
        due_on=due_on,
        created_by=by,
    )
    set_reason(charge, gettext_noop("billed"))
    charge.save()
    return charge


@transaction.atomic
def charge_cancel(*, by, charge: Charge, reason: str) -> Charge:
    """Cancel a bill nothing was paid on; the reason stays in the charge's history."""
    require(by, "fees.bill_charge")
    charge = Charge.objects.select_for_update().get(pk=charge.pk)
    reason = (reason or "").strip()
    if charge.cancelled:
        raise ValidationError(_("This charge was cancelled already."))
    if not reason:
        raise ValidationError(_("A cancellation needs a reason."))
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError(
            _("Keep the reason within %(max)d characters.") % {"max": CANCEL_REASON_MAX}
        )
    # Any receipt line that still counts, a reversal included, is money booked against the
    # charge: cancelling would leave that money pointing at nothing owed.
    settled = ReceiptLine.objects.filter(charge=charge).exclude(receipt__status=ReceiptStatus.VOID)
    if settled.exists():
        raise ValidationError(
            _("Receipts were issued against this charge: it can no longer be cancelled.")
        )
    charge.cancelled = True
    set_reason(charge, gettext_noop("cancelled"), reason)
    charge.save()
    return charge


@transaction.atomic
def dunning_note_add(
    *,
    by,
    charge: Charge,
    noted_on: date,
    channel: str,
    contact: str,
    result: str,
    promised_on: date | None = None,
) -> DunningNote:
    """Record one attempt to collect what is still owed on a charge (催收记录)."""
    require(by, "fees.add_dunningnote")
    charge = charge_balances(Charge.objects.select_for_update()).get(pk=charge.pk)
    if charge.cancelled or charge.outstanding <= ZERO:
        raise ValidationError(_("Nothing is owed on this charge: there is nothing to chase."))
    if noted_on > timezone.localdate():
        raise ValidationError({"noted_on": _("The date cannot be in the future.")})
    if channel not in DunningChannel.values:
        raise ValidationError({"channel": _("Choose how the tenant was contacted.")})
    contact, result = (contact or "").strip(), (result or "").strip()
    if not contact:
        raise ValidationError({"contact": _("Enter who was contacted.")})
    if not result:
        raise ValidationError({"result": _("Enter what the tenant said.")})
    if promised_on is not None and promised_on < noted_on:
        raise ValidationError(
            {"promised_on": _("The promised date cannot be before the date of the note.")}
        )
    return DunningNote.objects.create(
        charge=charge,
        noted_on=noted_on,
        channel=channel,
        contact=contact,
        result=result,
        promised_on=promised_on,
        noted_by=by,
    )


# --- reads -------------------------------------------------------------------------------


def _settled_subquery() -> Coalesce:
    lines = (
        ReceiptLine.objects.filter(charge=OuterRef("pk"))
        .exclude(receipt__status=ReceiptStatus.VOID)
        .order_by()
        .values("charge")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=MONEY), Value(ZERO), output_field=MONEY)


def charge_balances(queryset: QuerySet[Charge]) -> QuerySet[Charge]:
    """Each charge with ``settled`` (non-void receipt lines, reversals subtracting) and
    ``outstanding`` (nothing for a cancelled charge), in the same query."""
    return queryset.annotate(
        settled=_settled_subquery(),
        outstanding=Case(
            When(cancelled=True, then=Value(ZERO)),
            default=F("amount") - F("settled"),
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


# Statement of account ---------------------------------------------------------------------


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
    running balance. Cancelled charges and void receipts are left out: they never were
    owed or paid. Two queries."""
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


# Ageing -----------------------------------------------------------------------------------

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
