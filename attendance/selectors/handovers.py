"""Reads of the shift handover: the open work the system writes into a handover when it is
submitted, read from the other apps' own selectors (attendance never queries their tables
itself), the handovers listed, and the statistics of their acknowledgement."""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from archives.selectors import loans_due_on, overdue_loans
from attendance.models import HandoverState, ShiftHandover
from complaints.selectors.cases import callbacks_due, overdue_cases, unassigned_cases
from deposits.enums import RefundStatus
from deposits.selectors.ledger import refunds_by_step, refunds_under_way
from fees.enums import DayState
from fees.selectors.days import day_get, open_days_with_receipts

# The lines a figure lists at most (its count is the whole).
LISTED = 20

# The figures, in the order the handover shows them: code -> the label (a message id,
# translated when shown, so that each reader reads it in their language).
FIGURES = {
    "unassigned_cases": gettext_noop("Cases to assign"),
    "overdue_cases": gettext_noop("Overdue cases"),
    "callbacks_due": gettext_noop("Callbacks due"),
    "loans_due_today": gettext_noop("Loans due back today"),
    "overdue_loans": gettext_noop("Overdue loans"),
    "refunds_to_prepare": gettext_noop("Refunds to prepare"),
    "refunds_to_approve": gettext_noop("Refunds awaiting the manager's approval"),
    "refunds_to_pay": gettext_noop("Approved refunds awaiting finance's payment"),
    "refunds_returned": gettext_noop("Refunds returned to the desk"),
    "day_close": gettext_noop("The day's close"),
    "days_not_submitted": gettext_noop("Past days with receipts not submitted"),
}


@dataclass
class Figure:
    code: str
    count: int | None
    lines: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _(FIGURES[self.code])


def _case_line(case) -> str:
    who = case.unit.code if case.unit_id else case.visitor_name
    return f"{case.number} · {who}"


def _cases(code: str, rows: QuerySet) -> Figure:
    return Figure(code, rows.count(), [_case_line(case) for case in rows[:LISTED]])


def _loans(code: str, rows: QuerySet) -> Figure:
    return Figure(
        code, rows.count(), [f"{loan.item_label} · {loan.due_on}" for loan in rows[:LISTED]]
    )


def open_work(today: date, now: datetime | None = None) -> list[Figure]:
    """What is open in the other apps at ``now``, as the handover records it: each figure's
    count is the app's own selector's, with the first lines it lists."""
    now = now or timezone.now()
    steps = refunds_by_step()
    under_way = list(refunds_under_way())
    day = day_get(today)
    late_days = open_days_with_receipts(before=today)
    return [
        _cases("unassigned_cases", unassigned_cases()),
        _cases("overdue_cases", overdue_cases(now)),
        _cases("callbacks_due", callbacks_due(today)),
        _loans("loans_due_today", loans_due_on(today)),
        _loans("overdue_loans", overdue_loans(today)),
        Figure("refunds_to_prepare", steps["to_prepare"]),
        Figure(
            "refunds_to_approve",
            steps[RefundStatus.REQUESTED],
            [_refund_line(r) for r in under_way if r.status == RefundStatus.REQUESTED][:LISTED],
        ),
        Figure(
            "refunds_to_pay",
            steps[RefundStatus.APPROVED],
            [_refund_line(r) for r in under_way if r.status == RefundStatus.APPROVED][:LISTED],
        ),
        Figure("refunds_returned", steps[RefundStatus.RETURNED]),
        # The close's state as its value: shown in the reader's language (day_state_label).
        Figure("day_close", None, [day.state]),
        Figure(
            "days_not_submitted",
            late_days.count(),
            [str(d.business_date) for d in late_days[:LISTED]],
        ),
    ]


def _refund_line(refund) -> str:
    # The unit, the payee and the amount: nothing that reads in one language only.
    return f"{refund.unit_code or '—'} · {refund.payee} · {refund.amount:,.2f}"


def day_state_label(value: str) -> str:
    try:
        return str(DayState(value).label)
    except ValueError:
        return value


def figure_label(code: str) -> str:
    return str(_(FIGURES[code])) if code in FIGURES else code


def handovers_listed() -> QuerySet[ShiftHandover]:
    return ShiftHandover.objects.select_related("shift", "outgoing", "incoming")


def handover_items(handover: ShiftHandover):
    return handover.items.order_by("position", "pk")


def handovers_to_acknowledge(user) -> QuerySet[ShiftHandover]:
    """The handovers submitted to ``user`` (as the incoming member of staff) and not yet
    answered in full, the oldest first."""
    return (
        handovers_listed()
        .filter(state=HandoverState.SUBMITTED, incoming__user=user)
        .order_by("submitted_at", "pk")
    )


@dataclass
class HandoverStatistics:
    submitted: int
    acknowledged: int
    disputed: int
    waiting: int
    median_hours: float | None
    average_hours: float | None

    @property
    def share_acknowledged(self) -> float | None:
        """The share of the submitted handovers the incoming person answered in full."""
        if not self.submitted:
            return None
        return (self.acknowledged + self.disputed) / self.submitted


def handover_statistics(rows: QuerySet[ShiftHandover]) -> HandoverStatistics:
    """Of the handovers ``rows`` (the list's filtered rows), those submitted: how many were
    acknowledged (in full, with or without disputes), and the hours from submission to the
    last answer, median and average. One query."""
    done = (HandoverState.ACKNOWLEDGED, HandoverState.DISPUTED)
    counted = list(
        rows.exclude(state=HandoverState.DRAFT)
        .order_by()
        .values_list("state", "submitted_at", "acknowledged_at")
    )
    hours = [
        (acknowledged - submitted).total_seconds() / 3600
        for state, submitted, acknowledged in counted
        if state in done and acknowledged is not None
    ]
    return HandoverStatistics(
        submitted=len(counted),
        acknowledged=sum(1 for row in counted if row[0] == HandoverState.ACKNOWLEDGED),
        disputed=sum(1 for row in counted if row[0] == HandoverState.DISPUTED),
        waiting=sum(1 for row in counted if row[0] == HandoverState.SUBMITTED),
        median_hours=round(statistics.median(hours), 1) if hours else None,
        average_hours=round(statistics.fmean(hours), 1) if hours else None,
    )
