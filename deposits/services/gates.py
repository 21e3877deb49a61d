"""The refund gate as stored on each deposit held (Deposit.gate_opened_on): written from the
live records (selectors.ledger.with_gate) whenever one of them changes, in the same
transaction, so that the lists never disagree with a deposit's own page.

The receivers (deposits.receivers) name what changed; sync_gates_for() finds the deposits
held whose gate reads it: a decoration's (its inspections, permits, violations, status),
a tenant's (their charges, their loose violations), a unit's loose violations, a permit's
card deposit."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from deposits.models import Deposit
from deposits.selectors.ledger import HOLDING, with_gate
from deposits.services.ledger import ledger_refresh, ledger_rewrite


def stale_gates(deposits: QuerySet[Deposit]) -> dict[int, date | None]:
    """Those of ``deposits`` holding money whose stored gate is not what the records answer
    now: deposit id → the day its gate opened (None: closed). A closed deposit keeps the day
    its gate opened (its refund's clock), and the database would refuse to change it."""
    rows = with_gate(deposits.filter(status__in=HOLDING)).values_list(
        "pk", "gate_open", "gate_since", "gate_opened_on"
    )
    return {
        pk: since if is_open else None
        for pk, is_open, since, stored in rows
        if (since if is_open else None) != stored
    }


def sync_gates(deposits: QuerySet[Deposit], *, ledger: bool = True) -> int:
    """Store the gate of each of ``deposits`` as the records answer it now, and the
    ledger's figures that count the open gates (unless ``ledger`` is False: the caller
    rewrites them all); returns how many changed."""
    stale = stale_gates(deposits)
    for pk, opened_on in stale.items():
        Deposit.objects.filter(pk=pk).update(gate_opened_on=opened_on)
    if stale and ledger:
        ledger_refresh(stale)
    return len(stale)


def sync_gates_for(
    *,
    deposits: Iterable[int] = (),
    applications: Iterable[int] | QuerySet = (),
    tenants: Iterable[int] | QuerySet = (),
    units: Iterable[int] = (),
    permits: Iterable[int] = (),
) -> int:
    """sync_gates() for the deposits held whose gate reads any of these records (ids)."""
    reads = (
        Q(pk__in=deposits)
        | Q(application__in=applications)
        | Q(tenant__in=tenants)
        | Q(application__tenant__in=tenants)
        | Q(application__unit__in=units)
        | Q(permit__in=permits)
    )
    return sync_gates(Deposit.objects.filter(reads))


def sync_all_gates(*, ledger: bool = True) -> int:
    """Every deposit held, and then every stored figure of the ledger (unless ``ledger`` is
    False): after a bulk load (the demo, the benchmark) or to repair. How many gates
    changed."""
    changed = sync_gates(Deposit.objects.all(), ledger=False)
    if ledger:
        ledger_rewrite()
    return changed
