"""The deposits' home-page panels, per role (composed by config.home): the refunds to
prepare, approve and pay, the refunds returned to the desk, and the decorations to approve.
Each panel takes a fixed number of queries whatever the rows it lists."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.home import Panel
from config.roles import Role
from deposits.enums import ApplicationStatus, RefundStatus
from deposits.models import DecorationApplication, Refund
from deposits.selectors.ledger import (
    gates_waiting,
    returned_refunds,
)

SHOWN = 8


def _ledger_link() -> dict:
    return {"link": reverse("deposits:ledger"), "link_text": gettext_lazy("Deposit ledger")}


def _clock_note(clock) -> str:
    note = _("%(days)s of %(target)s working days") % {
        "days": clock.working_days,
        "target": clock.target,
    }
    return f"{note} · {_('late')}" if clock.late else note


def refunds_to_prepare_panel(user, today) -> Panel:
    """Gates that opened (the latest first): the deposit may be refunded, nobody asked yet."""
    gates = gates_waiting(today, limit=SHOWN)
    return Panel(
        title=gettext_lazy("Refunds to prepare"),
        count=gates.count,
        items=[
            (
                f"{row.deposit.unit_code or row.deposit.payer_name} · {row.deposit} · "
                f"{row.deposit.balance:,.2f}",
                reverse("deposits:deposit_detail", args=[row.deposit.pk]),
                _clock_note(row.clock),
            )
            for row in gates.rows
        ],
        empty_text=gettext_lazy("No deposit is waiting for its refund request."),
        **_ledger_link(),
    )


def returned_refunds_panel(user, today) -> Panel:
    refunds = returned_refunds()
    return Panel(
        title=gettext_lazy("Refunds returned by the manager"),
        count=refunds.count(),
        items=[
            (
                f"{r.deposit} · {r.payee}",
                reverse("deposits:refund_detail", args=[r.pk]),
                r.return_comment[:30],
            )
            for r in refunds[:SHOWN]
        ],
        empty_text=gettext_lazy("No refund was returned."),
        **_ledger_link(),
    )


def _refunds_panel(title, status: str, empty_text) -> Panel:
    refunds = Refund.objects.filter(status=status).select_related("deposit")
    oldest = refunds.order_by(
        "decided_at" if status == RefundStatus.APPROVED else "prepared_at", "pk"
    )
    return Panel(
        title=title,
        count=refunds.count(),
        items=[
            (
                f"{r.deposit} · {r.payee}",
                reverse("deposits:refund_detail", args=[r.pk]),
                f"{r.amount:,.2f}",
            )
            for r in oldest[:SHOWN]
        ],
        empty_text=empty_text,
        **_ledger_link(),
    )


def refunds_to_approve_panel(user, today) -> Panel:
    return _refunds_panel(
        gettext_lazy("Refunds to approve"),
        RefundStatus.REQUESTED,
        gettext_lazy("No refund is waiting for approval."),
    )


def refunds_to_pay_panel(user, today) -> Panel:
    return _refunds_panel(
        gettext_lazy("Approved refunds to pay"),
        RefundStatus.APPROVED,
        gettext_lazy("No approved refund is waiting for payment."),
    )


def applications_to_approve_panel(user, today) -> Panel:
    waiting = DecorationApplication.objects.filter(status=ApplicationStatus.SUBMITTED)
    return Panel(
        title=gettext_lazy("Decoration applications to approve"),
        count=waiting.count(),
        items=[
            (
                f"{a.number} · {a.unit.code}",
                reverse("deposits:application_detail", args=[a.pk]),
                str(a.tenant),
            )
            for a in waiting.select_related("unit", "tenant").order_by("submitted_at", "pk")[:SHOWN]
        ],
        empty_text=gettext_lazy("No decoration application is waiting."),
    )


# Positions interleave with the other apps' panels of the same role (config.home): the
# refunds are work waiting for the role, next to fees' own.
PANELS = {
    Role.ASSISTANT: [(35, refunds_to_prepare_panel), (36, returned_refunds_panel)],
    Role.MANAGER: [(25, refunds_to_approve_panel), (26, applications_to_approve_panel)],
    Role.FINANCE: [(15, refunds_to_pay_panel)],
}
