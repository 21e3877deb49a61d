"""The shop handover's checklist (收铺条件), computed from live records like the refund
gate: each open item says what blocks it, and where that is fixed."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from config.money import CENT, ZERO, format_money
from deposits.enums import (
    DEPOSIT_CLOSED,
    ApplicationStatus,
    ChecklistItem,
    DepositKind,
    DepositStatus,
    Meter,
    MoveOutStatus,
)
from deposits.models import DecorationApplication, Deposit, MoveOut
from deposits.selectors.applications import PERMIT_ENDED
from deposits.selectors.deposits import deposit_balances
from deposits.selectors.refunds import refund_gate
from fees.enums import PermitStatus
from fees.models import Charge, Permit
from fees.selectors.charges import open_charges

# A decoration in one of these states is done with, for a handover.
DECORATION_DONE = {ApplicationStatus.CLOSED, ApplicationStatus.REJECTED}


@dataclass
class Blocker:
    """One thing in the way: what it is, and the page where it is put right."""

    reason: str
    url: str = ""


@dataclass
class Check:
    item: ChecklistItem
    blockers: list[Blocker] = field(default_factory=list)
    # What the item found, when done (shown beside the tick).
    note: str = ""

    @property
    def done(self) -> bool:
        return not self.blockers

    @property
    def label(self) -> str:
        return str(self.item.label)


@dataclass
class Checklist:
    moveout: MoveOut
    checks: list[Check]

    @property
    def is_clear(self) -> bool:
        return all(check.done for check in self.checks)

    @property
    def blocking(self) -> list[Check]:
        return [check for check in self.checks if not check.done]

    def refusal(self) -> str:
        """Why the handover cannot be completed, every open item named with its reasons."""
        items = " ".join(
            f"{check.label}: {' '.join(b.reason for b in check.blockers)}"
            for check in self.blocking
        )
        return _("The shop handover cannot be completed yet. %(items)s") % {"items": items}


def late_days_due(moveout: MoveOut) -> int:
    """Whole days from the lease's end to the handover date, when the lease charges a late
    handover (a daily fee above 0); else 0."""
    lease_end = moveout.occupancy.lease_ends_on
    if lease_end is None or moveout.late_daily_fee <= ZERO:
        return 0
    return max((moveout.planned_on - lease_end).days, 0)


def late_amount(moveout: MoveOut, days: int) -> Decimal:
    return (moveout.late_daily_fee * days).quantize(CENT)


def tenant_decorations(moveout: MoveOut) -> QuerySet[DecorationApplication]:
    occupancy = moveout.occupancy
    return DecorationApplication.objects.filter(
        tenant_id=occupancy.tenant_id, unit_id=occupancy.unit_id
    ).order_by("submitted_at", "pk")


def tenant_permits(moveout: MoveOut) -> QuerySet[Permit]:
    """The worker permits of the unit, or of the tenant's decorations of it."""
    occupancy = moveout.occupancy
    return (
        Permit.objects.filter(
            Q(unit_id=occupancy.unit_id)
            | Q(
                decoration_link__application__tenant_id=occupancy.tenant_id,
                decoration_link__application__unit_id=occupancy.unit_id,
            )
        )
        .distinct()
        .order_by("number")
    )


def tenant_deposits(moveout: MoveOut) -> QuerySet[Deposit]:
    """Every deposit of the tenant: taken from them, for their decorations, or for the
    cards of their decorations' permits; with what each holds (deposit_balances)."""
    tenant_id = moveout.occupancy.tenant_id
    return deposit_balances(
        Deposit.objects.filter(
            Q(tenant_id=tenant_id)
            | Q(application__tenant_id=tenant_id)
            | Q(permit__decoration_link__application__tenant_id=tenant_id)
        )
        .exclude(status=DepositStatus.CANCELLED)
        .distinct()
        .select_related("application", "permit")
        .order_by("taken_at", "pk")
    )


def moveout_charge_ids(moveout: MoveOut) -> set[int]:
    """The charges the handover itself billed (meters, condition, late days)."""
    ids = set(moveout.readings.exclude(charge=None).values_list("charge_id", flat=True))
    ids |= set(moveout.items.exclude(charge=None).values_list("charge_id", flat=True))
    if moveout.late_charge_id:
        ids.add(moveout.late_charge_id)
    return ids


def charges_to_settle(moveout: MoveOut) -> QuerySet[Charge]:
    """The tenant's charges billed up to the handover date, and those the handover billed,
    with something still owed."""
    return open_charges(moveout.occupancy.tenant).filter(
        Q(billed_on__lte=moveout.planned_on) | Q(pk__in=moveout_charge_ids(moveout))
    )


def moveout_checklist(moveout: MoveOut) -> Checklist:
    """The handover's checklist now, every item computed from the records."""
    builders = [
        _keys,
        _meters,
        _condition,
        _decorations,
        _permits,
        _deposits,
        _charges,
        _late_days,
    ]
    return Checklist(moveout=moveout, checks=[build(moveout) for build in builders])


# --- the items ----------------------------------------------------------------------------


def _keys(moveout: MoveOut) -> Check:
    check = Check(ChecklistItem.KEYS)
    issued, returned = moveout.keys_issued, moveout.keys_returned
    if returned is None:
        check.blockers.append(
            Blocker(_("The keys have not been counted (%(n)d issued).") % {"n": issued})
        )
    elif returned < issued:
        check.blockers.append(
            Blocker(
                _("%(returned)d of %(issued)d keys returned: %(short)d short.")
                % {"returned": returned, "issued": issued, "short": issued - returned}
            )
        )
    else:
        check.note = _("%(returned)d of %(issued)d") % {"returned": returned, "issued": issued}
    return check


def _meters(moveout: MoveOut) -> Check:
    check = Check(ChecklistItem.METERS)
    read = {reading.meter: reading for reading in moveout.readings.all()}
    for meter in Meter:
        reading = read.get(meter)
        if reading is None:
            check.blockers.append(
                Blocker(
                    _("The %(meter)s meter's final reading is not recorded.")
                    % {"meter": str(meter.label).lower()}
                )
            )
        elif reading.amount > ZERO and reading.charge_id is None:  # the constraint forbids it
            check.blockers.append(Blocker(_("The %(meter)s is not billed.") % {"meter": meter}))
    return check


def _condition(moveout: MoveOut) -> Check:
    check = Check(ChecklistItem.CONDITION)
    if moveout.condition_confirmed_at is None:
        check.blockers.append(
            Blocker(
                _(
                    "The unit's condition is not confirmed: record its items (or none) and "
                    "confirm them."
                )
            )
        )
    else:
        count = moveout.items.count()
        check.note = _("%(n)d items") % {"n": count} if count else _("confirmed: nothing to record")
    return check


def _decorations(moveout: MoveOut) -> Check:
    check = Check(ChecklistItem.DECORATIONS)
    for application in tenant_decorations(moveout).exclude(status__in=DECORATION_DONE):
        check.blockers.append(
            Blocker(
                _("Decoration %(number)s is %(status)s: close it or reject it first.")
                % {
                    "number": application.number,
                    "status": str(ApplicationStatus(application.status).label).lower(),
                },
                reverse("deposits:application_detail", args=[application.pk]),
            )
        )
    return check


def _permits(moveout: MoveOut) -> Check:
    check = Check(ChecklistItem.PERMITS)
    for permit in tenant_permits(moveout).exclude(status__in=PERMIT_ENDED):
        check.blockers.append(
            Blocker(
                _("Permit %(number)s (%(worker)s) is %(status)s: its card has not come back.")
                % {
                    "number": permit.number,
                    "worker": permit.worker_name,
                    "status": str(PermitStatus(permit.status).label).lower(),
                },
                reverse("fees:permit_detail", args=[permit.pk]),
            )
        )
    return check


def _deposits(moveout: MoveOut) -> Check:
    check = Check(ChecklistItem.DEPOSITS)
    for deposit in tenant_deposits(moveout):
        if deposit.status in DEPOSIT_CLOSED:
            continue
        reason = _("%(deposit)s of %(amount)s is %(status)s: refund it or forfeit it.") % {
            "deposit": f"{DepositKind(deposit.kind).label} #{deposit.pk}",
            "amount": format_money(deposit.balance),
            "status": str(DepositStatus(deposit.status).label).lower(),
        }
        if deposit.status == DepositStatus.HELD:
            gate = refund_gate(deposit)
            if not gate.ready:
                reason += " " + " ".join(
                    " ".join(c.reasons) for c in gate.blocking if not c.pending
                )
        check.blockers.append(
            Blocker(reason, reverse("deposits:deposit_detail", args=[deposit.pk]))
        )
    return check


def _charges(moveout: MoveOut) -> Check:
    check = Check(ChecklistItem.CHARGES)
    for charge in charges_to_settle(moveout):
        check.blockers.append(
            Blocker(
                _("The charge “%(charge)s” has %(owed)s unpaid.")
                % {"charge": charge.description, "owed": format_money(charge.outstanding)},
                charge.get_absolute_url(),
            )
        )
    return check


def _late_days(moveout: MoveOut) -> Check:
    check = Check(ChecklistItem.LATE_DAYS)
    if moveout.late_charge_id is not None:
        check.note = _("%(days)d days charged") % {"days": moveout.late_days}
        return check
    days = late_days_due(moveout)
    if days:
        check.blockers.append(
            Blocker(
                _(
                    "The shop is handed over %(days)d days after the lease ended on %(end)s: "
                    "charge them (%(amount)s)."
                )
                % {
                    "days": days,
                    "end": moveout.occupancy.lease_ends_on,
                    "amount": format_money(late_amount(moveout, days)),
                }
            )
        )
    else:
        check.note = _("none due")
    return check


def moveout_doers(moveout: MoveOut) -> list:
    """Who prepared the handover (config.duties): none of them confirms it complete."""
    doers = [moveout.started_by_id, moveout.keys_counted_by_id, moveout.condition_confirmed_by_id]
    doers += list(moveout.readings.values_list("recorded_by_id", flat=True))
    doers += list(moveout.items.values_list("recorded_by_id", flat=True))
    if moveout.late_charge_id:
        doers.append(Charge.objects.get(pk=moveout.late_charge_id).created_by_id)
    return doers


def open_moveout(occupancy) -> MoveOut | None:
    return MoveOut.objects.filter(occupancy=occupancy, status=MoveOutStatus.OPEN).first()


def moveouts_with_details() -> QuerySet[MoveOut]:
    return MoveOut.objects.select_related(
        "occupancy__unit", "occupancy__tenant", "started_by", "completed_by"
    )
