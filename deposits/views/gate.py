"""The refund gate as a page shows it: each item ticked or open, each open item with what
keeps it open and a link to the page where that is put right."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from deposits.models import DecorationApplication, Violation
from deposits.selectors.refunds import RefundGate
from fees.models import Charge, Permit


@dataclass(frozen=True)
class Blocker:
    reason: str
    url: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class GateRow:
    item: str
    label: str
    done: bool
    pending: bool
    blockers: list[Blocker]


def fix_link(record) -> tuple[str, str]:
    """(url, link text) of the page where ``record`` is dealt with."""
    if isinstance(record, DecorationApplication):
        url = reverse("deposits:application_detail", args=[record.pk])
        return url, _("Open decoration %(number)s") % {"number": record.number}
    if isinstance(record, Violation):
        return reverse("deposits:violation_detail", args=[record.pk]), _("Open the violation")
    if isinstance(record, Permit):
        return record.get_absolute_url(), _("Open permit %(number)s") % {"number": record.number}
    if isinstance(record, Charge):
        return record.get_absolute_url(), _("Open the charge")
    return "", ""


def gate_rows(gate: RefundGate) -> list[GateRow]:
    rows = []
    for check in gate.checks:
        blockers = []
        for index, reason in enumerate(check.reasons):
            record = check.records[index] if index < len(check.records) else None
            url, text = fix_link(record) if record is not None else ("", "")
            blockers.append(Blocker(reason, url, text))
        rows.append(GateRow(check.item, check.label, check.done, check.pending, blockers))
    return rows
