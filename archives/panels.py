"""The register's home-page panels, per role (composed by config.home)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from archives import selectors as register
from archives.models import UnitStatus
from config.home import Panel
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


# Positions interleave with the other apps' panels of the same role (config.home).
PANELS = {
    Role.ASSISTANT: [
        (40, verification_due_panel),
        (50, leases_ending_panel),
        (90, register_links_panel),
    ],
    Role.MANAGER: [(50, units_panel), (60, verification_due_panel), (70, leases_ending_panel)],
    Role.FINANCE: [(90, register_links_panel)],
    Role.AUDITOR: [(90, register_links_panel)],
    Role.ADMINISTRATOR: [(20, units_panel)],
}
