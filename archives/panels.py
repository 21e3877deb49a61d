"""The register's home-page panels, per role (composed by config.home)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archives import selectors as register
from archives.models import UnitStatus
from config.home import Panel
from config.people import person_name
from config.roles import Role

# The desk is reminded of a lease this many days before it ends (and every day after).
LEASE_REMINDER_DAYS = 15


def verification_due_panel(user, today) -> Panel:
    due = register.tenants_due_for_verification(today)
    return Panel(
        title=_("Tenant details due for verification"),
        count=due.count(),
        items=[
            (t.name, t.get_absolute_url(), str(t.last_verified_on or _("never verified")))
            for t in due[:8]
        ],
        link=reverse("archives:tenant_list") + "?verification=due",
        link_text=_("All tenants due"),
        empty_text=_("Every tenant's details were verified within six months."),
    )


def leases_ending_panel(user, today) -> Panel:
    """Lease-end reminder: current occupancies whose lease ends within the reminder days,
    and those past their end and not handed over yet (the shop handover starts from the
    occupancy's page)."""
    ending = register.leases_ending(today, within_days=LEASE_REMINDER_DAYS)
    return Panel(
        title=_("Leases ending within %(days)d days or past their end")
        % {"days": LEASE_REMINDER_DAYS},
        count=ending.count(),
        items=[
            (str(o), o.get_absolute_url(), _lease_end_note(o.lease_ends_on, today))
            for o in ending[:8]
        ],
        link=reverse("archives:occupancy_list") + "?current=yes",
        link_text=_("Current occupancies"),
        empty_text=_("No lease ends within %(days)d days, and none is past its end.")
        % {"days": LEASE_REMINDER_DAYS},
    )


def _lease_end_note(lease_ends_on, today) -> str:
    if lease_ends_on < today:
        return str(
            _("%(date)s, ended %(days)d days ago: not handed over")
            % {"date": lease_ends_on, "days": (today - lease_ends_on).days}
        )
    return str(lease_ends_on)


def units_panel(user, today) -> Panel:
    counts = register.unit_counts_by_status()
    return Panel(
        title=_("Units"),
        count=sum(counts.values()),
        items=[
            (str(label), reverse("archives:unit_list") + f"?status={value}", str(counts[value]))
            for value, label in UnitStatus.choices
        ],
        link=reverse("archives:unit_list"),
        link_text=_("All units"),
    )


def register_links_panel(user, today) -> Panel:
    items = [
        (str(_("Units")), reverse("archives:unit_list"), ""),
        (str(_("Tenants")), reverse("archives:tenant_list"), ""),
        (str(_("Occupancies")), reverse("archives:occupancy_list"), ""),
        (str(_("Contractors")), reverse("archives:contractor_list"), ""),
    ]
    if user.has_perm("archives.view_tenantfile"):
        items.append((str(_("Tenant files")), reverse("archives:file_list"), ""))
    return Panel(title=_("Records"), items=items)


def overdue_loans_panel(user, today) -> Panel:
    """Loans past their due date, the longest overdue first: the desk chases them."""
    overdue = register.overdue_loans(today)
    return Panel(
        title=_("Overdue loans"),
        count=overdue.count(),
        items=[
            (
                loan.item_label,
                loan.get_absolute_url(),
                str(
                    _("%(who)s, due %(date)s")
                    % {"who": person_name(loan.borrower), "date": loan.due_on}
                ),
            )
            for loan in overdue[:8]
        ],
        link=reverse("archives:loan_overdue"),
        link_text=_("All overdue loans"),
        empty_text=_("No loan is overdue."),
    )


def access_requests_panel(user, today) -> Panel:
    """Requests to read a tenant file awaiting the manager's decision."""
    pending = register.pending_access_requests()
    return Panel(
        title=_("Requests to read a tenant file"),
        count=pending.count(),
        items=[
            (f"{r.file.number} · {r.purpose}", r.get_absolute_url(), person_name(r.requested_by))
            for r in pending[:8]
        ],
        link=reverse("archives:access_request_list") + "?status=pending",
        link_text=_("All requests awaiting approval"),
        empty_text=_("No request awaits approval."),
    )


def my_access_requests_panel(user, today) -> Panel:
    """A department's own requests to read a file, and the page to ask for one."""
    mine = register.access_requests_for(user)
    return Panel(
        title=_("Your requests to read a tenant file"),
        count=mine.count(),
        items=[
            (r.file.number, r.get_absolute_url(), str(r.get_status_display())) for r in mine[:8]
        ],
        link=reverse("archives:access_request_create"),
        link_text=_("Request to read a tenant file"),
        empty_text=_("You have not asked to read a file."),
    )


# Positions interleave with the other apps' panels of the same role (config.home).
PANELS = {
    Role.ASSISTANT: [
        (40, verification_due_panel),
        (45, overdue_loans_panel),
        (50, leases_ending_panel),
        (90, register_links_panel),
    ],
    Role.MANAGER: [
        (45, access_requests_panel),
        (50, units_panel),
        (60, verification_due_panel),
        (65, overdue_loans_panel),
        (70, leases_ending_panel),
    ],
    Role.DEPARTMENT: [(60, my_access_requests_panel)],
    Role.FINANCE: [(90, register_links_panel)],
    Role.AUDITOR: [(90, register_links_panel)],
    Role.ADMINISTRATOR: [(20, units_panel)],
}
