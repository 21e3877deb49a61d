"""The desk's home-page panels, per role (composed by config.home)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.home import Panel, WidePanel
from config.jobs import job_as_seen
from config.models import ExportJob
from config.roles import Role
from fees.charts import month_chart_panel
from fees.enums import DayState
from fees.models import DailyClose, Discrepancy, MonthLock
from fees.selectors.books import books_with_unaccounted
from fees.selectors.charges import overdue_charges
from fees.selectors.days import day_takings, days_waiting, open_days_with_receipts
from fees.selectors.months import recent_months
from fees.selectors.permits import permits_expiring_soon, permits_not_returned
from fees.selectors.receipts import void_requests, void_requests_count


def _days_panel(title, days, empty_text) -> Panel:
    return Panel(
        title=title,
        count=len(days),
        items=[
            (str(day.business_date), day.get_absolute_url(), str(day.get_state_display()))
            for day in days[:8]
        ],
        link=reverse("fees:day_list"),
        link_text=_("All daily closes"),
        empty_text=empty_text,
    )


def today_close_panel(user, today) -> Panel:
    day = DailyClose.objects.filter(business_date=today).first()
    state = day.get_state_display() if day else DayState(DayState.OPEN).label
    takings = day_takings(today)
    items = [
        (
            str(_("Receipts today")),
            reverse("fees:receipt_list") + f"?date_from={today}&date_to={today}",
            str(takings.receipt_count),
        )
    ]
    items += [
        (str(_("Returned by the manager")), d.get_absolute_url(), str(d.business_date))
        for d in DailyClose.objects.filter(state=DayState.OPEN).exclude(return_comment="")
    ]
    items += [
        (str(_("Past day not submitted")), d.get_absolute_url(), str(d.business_date))
        for d in open_days_with_receipts(before=today)[:5]
    ]
    return Panel(
        title=_("Today's takings: %(state)s") % {"state": state},
        count=None,
        items=items,
        link=reverse("fees:day_today"),
        link_text=_("Count and submit today"),
    )


def void_requests_panel(user, today) -> Panel:
    return Panel(
        title=_("Void requests waiting for you"),
        count=void_requests_count(),
        items=[(r.number, r.get_absolute_url(), r.void_reason[:30]) for r in void_requests()[:8]],
        link=reverse("fees:receipt_list") + "?status=void_requested",
        link_text=_("All void requests"),
        empty_text=_("No void request is waiting."),
    )


def days_to_approve_panel(user, today) -> Panel:
    return _days_panel(
        _("Days submitted for approval"),
        list(days_waiting(DayState.SUBMITTED)),
        _("No day is waiting for approval."),
    )


def days_to_receive_panel(user, today) -> Panel:
    return _days_panel(
        _("Approved days: cash to receive"),
        list(days_waiting(DayState.APPROVED)),
        _("No day is waiting for the handover."),
    )


def discrepancies_panel(user, today) -> Panel:
    open_items = Discrepancy.objects.filter(signed_off_at__isnull=True).select_related(
        "handover__day"
    )
    return Panel(
        title=_("Handover discrepancies to sign off"),
        count=open_items.count(),
        items=[
            (str(d.handover.day.business_date), d.handover.day.get_absolute_url(), str(d.amount))
            for d in open_items[:8]
        ],
        link=reverse("fees:discrepancy_list"),
        link_text=_("Discrepancy register"),
        empty_text=_("No discrepancy is waiting."),
    )


def receipt_books_panel(user, today) -> Panel:
    books = list(books_with_unaccounted()[:8])
    return Panel(
        title=_("Paper receipt books with numbers not accounted for"),
        count=len(books),
        items=[
            (str(b), reverse("fees:book_detail", args=[b.pk]), str(b.unaccounted_count))
            for b in books
        ],
        link=reverse("fees:book_gaps"),
        link_text=_("Gap report"),
        empty_text=_("Every number of every book is accounted for."),
    )


def permits_panel(user, today) -> Panel:
    expiring = permits_expiring_soon(today)
    not_returned = permits_not_returned(today)
    return Panel(
        title=_("Worker permits"),
        items=[
            (str(_("Expiring soon")), reverse("fees:permit_expiring"), str(expiring.count())),
            (
                str(_("Expired, card not returned")),
                reverse("fees:permit_not_returned"),
                str(not_returned.count()),
            ),
        ],
        link=reverse("fees:permit_list"),
        link_text=_("All permits"),
    )


def overdue_charges_panel(user, today) -> Panel:
    overdue = overdue_charges(today).select_related("tenant")
    return Panel(
        title=_("Overdue charges to chase"),
        count=overdue.count(),
        items=[(str(c.tenant), c.get_absolute_url(), f"{c.outstanding:,.2f}") for c in overdue[:8]],
        link=reverse("fees:charge_ageing"),
        link_text=_("Ageing of charges"),
        empty_text=_("No charge is overdue."),
    )


def _month_state(month) -> str:
    if month.lock is not None:
        return str(_("Locked"))
    if not month.ended:
        return str(_("Month in progress"))
    if month.pending_days:
        return ngettext(
            "%(n)s day not handed over", "%(n)s days not handed over", month.pending_days
        ) % {"n": month.pending_days}
    if not month.receipts:
        return str(_("No takings"))
    return str(_("Ready to lock"))


def _month_note(month) -> str:
    note = f"{month.total:,.2f} · {_month_state(month)}"
    if month.withheld:  # the blind count: say what the figure leaves out
        days = ", ".join(day.isoformat() for day in month.withheld)
        note += " · " + str(_("without %(days)s: not counted yet") % {"days": days})
    return note


def months_panel(user, today) -> Panel:
    """The latest months: takings, lock state, each linked to its statement page."""
    months = recent_months(user, today=today)
    return Panel(
        title=_("Months and their lock"),
        items=[
            (
                f"{m.year}-{m.month:02d}",
                reverse("fees:finance_month", args=[m.year, m.month]),
                _month_note(m),
            )
            for m in months
        ],
        link=reverse("fees:finance_index"),
        link_text=_("Monthly statements"),
    )


def statements_panel(user, today) -> Panel:
    """Last month's statement files (the month an audit usually asks for) and the period."""
    last = today.replace(day=1) - timedelta(days=1)
    label = f"{last.year}-{last.month:02d}"
    args = [last.year, last.month]
    # A locked month's files are the frozen ones; an unlocked month's are built from today's data.
    locked = MonthLock.objects.filter(year=last.year, month=last.month).exists()
    state = str(_("Locked") if locked else _("Not locked"))
    items = [
        (
            f"{label} {_('Statement (Excel)')}",
            reverse("fees:finance_month_xlsx", args=args),
            state,
        ),
        (f"{label} {_('Statement (PDF)')}", reverse("fees:finance_month_pdf", args=args), state),
    ]
    return Panel(
        title=_("Statements"),
        items=items,
        link=reverse("fees:finance_period"),
        link_text=_("Statement of a period"),
    )


def discrepancy_register_panel(user, today) -> Panel:
    """Every handover discrepancy, newest first, signed off or not (the auditor reads both)."""
    register = Discrepancy.objects.select_related("handover__day").order_by(
        "-handover__day__business_date"
    )
    return Panel(
        title=_("Handover discrepancies"),
        count=register.count(),
        items=[
            (
                str(d.handover.day.business_date),
                d.handover.day.get_absolute_url(),
                f"{d.amount:,.2f} · "
                + str(_("signed off") if d.signed_off_at else _("not signed off yet")),
            )
            for d in register[:8]
        ],
        link=reverse("fees:discrepancy_list"),
        link_text=_("Discrepancy register"),
        empty_text=_("No handover has had a discrepancy."),
    )


def audit_packs_panel(user, today) -> Panel:
    jobs = [job_as_seen(job) for job in ExportJob.objects.filter(requested_by=user)[:5]]
    return Panel(
        title=_("Audit packs"),
        items=[
            (
                f"{job.params.get('date_from', '')} – {job.params.get('date_to', '')}",
                reverse("fees:export_detail", args=[job.pk]),
                str(job.get_status_display()),
            )
            for job in jobs
        ],
        link=reverse("fees:export_list"),
        link_text=_("Build an audit pack"),
        empty_text=_("You have not built an audit pack yet."),
    )


def month_chart_wide_panel(user, today) -> WidePanel | None:
    """This month's takings as a chart above the manager's panels."""
    chart = month_chart_panel(user, today)
    if chart is None:
        return None
    return WidePanel(
        title=_("This month's takings"),
        template="fees/months/_home_chart.html",
        content=chart,
        slug="month-chart",
    )


# Positions interleave with the other apps' panels of the same role (config.home).
PANELS = {
    Role.ASSISTANT: [
        (10, today_close_panel),
        (20, permits_panel),
        (30, overdue_charges_panel),
        (60, receipt_books_panel),
    ],
    Role.MANAGER: [
        (10, void_requests_panel),
        (20, days_to_approve_panel),
        (30, discrepancies_panel),
        (40, overdue_charges_panel),
    ],
    Role.FINANCE: [
        (10, days_to_receive_panel),
        (20, discrepancies_panel),
        (30, overdue_charges_panel),
    ],
    Role.AUDITOR: [
        (10, months_panel),
        (20, statements_panel),
        (30, discrepancy_register_panel),
        (40, audit_packs_panel),
    ],
}

# The manager watches the month's takings as a chart above the panels.
WIDE_PANELS = {
    Role.MANAGER: [(10, month_chart_wide_panel)],
}
