"""The refund gate (退款条件): the checklist a deposit must pass before its refund is
requested, computed from live records, each open item with the reason it is open and the
records that keep it open (where it is fixed)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from config.money import ZERO, format_money
from config.workdays import working_days_between
from deposits.enums import ACCEPTED, ApplicationStatus, DepositKind, GateItem, RefundStatus
from deposits.models import Deposit, Refund
from deposits.selectors.applications import last_inspection, open_violations, permits_not_ended
from fees.enums import PermitStatus
from fees.selectors.charges import open_charges

# The checklist of each kind of deposit, in the order it is shown.
GATE_ITEMS = {
    DepositKind.DECORATION: [
        GateItem.INSPECTION,
        GateItem.VIOLATIONS,
        GateItem.PERMITS,
        GateItem.CHARGES,
        GateItem.RECEIPT,
    ],
    DepositKind.PERMIT_CARD: [GateItem.CARD, GateItem.RECEIPT],
    DepositKind.OTHER: [GateItem.VIOLATIONS, GateItem.CHARGES, GateItem.RECEIPT],
}


@dataclass
class GateCheck:
    """One item of the checklist: done, or open for ``reasons`` (one per thing in the way,
    each naming it), with ``records`` that keep it open. ``pending``: only the request can
    tick it (the original receipt is handed back then)."""

    item: GateItem
    reasons: list[str] = field(default_factory=list)
    records: list[models.Model] = field(default_factory=list)
    pending: bool = False

    @property
    def done(self) -> bool:
        return not self.reasons

    @property
    def label(self) -> str:
        return str(self.item.label)


@dataclass
class RefundGate:
    deposit: Deposit
    checks: list[GateCheck]

    @property
    def is_open(self) -> bool:
        """Every item done: a refund may be requested."""
        return all(check.done for check in self.checks)

    @property
    def ready(self) -> bool:
        """Every item done but those only the request ticks: the desk may prepare it."""
        return all(check.done or check.pending for check in self.checks)

    @property
    def blocking(self) -> list[GateCheck]:
        return [check for check in self.checks if not check.done]

    def refusal(self) -> str:
        """Why a refund cannot be requested, every open item named with its reasons."""
        items = " ".join(f"{check.label}: {' '.join(check.reasons)}" for check in self.blocking)
        return _("The refund cannot be requested yet. %(items)s") % {"items": items}


def refund_gate(
    deposit: Deposit,
    *,
    receipt_collected: bool | None = None,
    deducted_charges: Mapping[int, Decimal] | None = None,
) -> RefundGate:
    """The deposit's checklist now. ``receipt_collected``: the desk's answer on the request
    (None before one: the item waits for it). ``deducted_charges``: charge pk → the amount
    the request deducts for it (a charge deducted whole is no longer in the way)."""
    deducted = deducted_charges or {}
    builders = {
        GateItem.INSPECTION: _inspection,
        GateItem.VIOLATIONS: _violations,
        GateItem.PERMITS: _permits,
        GateItem.CARD: _card,
        GateItem.CHARGES: lambda d: _charges(d, deducted),
        GateItem.RECEIPT: lambda d: _receipt(receipt_collected),
    }
    return RefundGate(
        deposit=deposit, checks=[builders[item](deposit) for item in GATE_ITEMS[deposit.kind]]
    )


def refund_request_gate(refund: Refund) -> RefundGate:
    """The checklist of a prepared request, with what it recorded and deducted: the manager
    approves only while it is still open (something may have changed since)."""
    deducted: dict[int, Decimal] = {}
    for charge_id, amount in refund.deductions.filter(charge__isnull=False).values_list(
        "charge_id", "amount"
    ):
        deducted[charge_id] = deducted.get(charge_id, ZERO) + amount
    return refund_gate(
        refund.deposit, receipt_collected=refund.receipt_collected, deducted_charges=deducted
    )


# --- the items ----------------------------------------------------------------------------


def _inspection(deposit: Deposit) -> GateCheck:
    check = GateCheck(GateItem.INSPECTION)
    application = deposit.application
    if application.status in ACCEPTED:
        return check
    check.records.append(application)
    inspection = last_inspection(application)
    if application.status == ApplicationStatus.FAILED and inspection is not None:
        check.reasons.append(
            _("The inspection of %(date)s failed with %(count)d items to fix.")
            % {"date": inspection.inspected_on, "count": inspection.items.count()}
        )
    else:
        check.reasons.append(
            _("Decoration %(number)s is %(status)s: its final inspection has not passed.")
            % {
                "number": application.number,
                "status": str(ApplicationStatus(application.status).label).lower(),
            }
        )
    return check


def _violations(deposit: Deposit) -> GateCheck:
    check = GateCheck(GateItem.VIOLATIONS)
    if deposit.application is not None:
        violations = open_violations(application=deposit.application)
    else:
        violations = open_violations(tenant=deposit.tenant)
    for violation in violations:
        check.records.append(violation)
        check.reasons.append(
            _("The violation of %(date)s is not resolved: %(what)s.")
            % {"date": violation.occurred_on, "what": violation.description}
        )
    return check


def _permits(deposit: Deposit) -> GateCheck:
    check = GateCheck(GateItem.PERMITS)
    for permit in permits_not_ended(deposit.application):
        check.records.append(permit)
        check.reasons.append(_permit_out(permit))
    return check


def _permit_out(permit) -> str:
    return _("Permit %(number)s (%(worker)s) is %(status)s: its card has not come back.") % {
        "number": permit.number,
        "worker": permit.worker_name,
        "status": str(PermitStatus(permit.status).label).lower(),
    }


def _card(deposit: Deposit) -> GateCheck:
    check = GateCheck(GateItem.CARD)
    permit = deposit.permit
    if permit.status != PermitStatus.RETURNED:
        check.records.append(permit)
        check.reasons.append(_permit_out(permit))
    return check


def _charges(deposit: Deposit, deducted: Mapping[int, Decimal]) -> GateCheck:
    check = GateCheck(GateItem.CHARGES)
    tenant = deposit.application.tenant if deposit.application else deposit.tenant
    if tenant is None:
        return check
    for charge in open_charges(tenant):
        covered = deducted.get(charge.pk, ZERO)
        if covered >= charge.outstanding:
            continue
        check.records.append(charge)
        reason = _("The charge “%(charge)s” has %(owed)s unpaid.") % {
            "charge": charge.description,
            "owed": format_money(charge.outstanding),
        }
        if covered:
            reason += " " + _("%(amount)s of it is deducted here.") % {
                "amount": format_money(covered)
            }
        check.reasons.append(reason)
    return check


def _receipt(collected: bool | None) -> GateCheck:
    check = GateCheck(GateItem.RECEIPT)
    if collected is None:
        check.pending = True
        check.reasons.append(
            _("The payer hands back the original receipt (customer copy) with the request.")
        )
    elif not collected:
        check.reasons.append(_("The original receipt (customer copy) was not collected."))
    return check


# --- who did what -------------------------------------------------------------------------


def refund_doers(refund: Refund) -> dict[str, list]:
    """For each checking step of a refund, who did the steps before it (config.duties):
    nobody approves or returns what they prepared, nor pays what they prepared or decided."""
    return {
        "decide": [refund.prepared_by_id],
        "pay": [refund.prepared_by_id, refund.decided_by_id],
    }


# --- the refund clock ---------------------------------------------------------------------


def waiting_since(refund: Refund):
    """When the refund reached the step it waits at: prepared (for the manager), approved
    (for finance); None once paid or returned."""
    if refund.status == RefundStatus.REQUESTED:
        return refund.prepared_at
    if refund.status == RefundStatus.APPROVED:
        return refund.decided_at
    return None


def days_waiting(refund: Refund, today: date) -> int | None:
    """Working days (config.workdays) the refund has waited at its step up to ``today``."""
    since = waiting_since(refund)
    if since is None:
        return None
    return working_days_between(timezone.localdate(since), today)


def refunds_listed() -> QuerySet[Refund]:
    return Refund.objects.select_related("deposit", "prepared_by", "decided_by", "paid_by")
