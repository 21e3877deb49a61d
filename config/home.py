"""The home page: for each of the user's roles, the panels of work waiting for that person.

Each panel is built from an app's own query functions; an app that lands later adds its
panels to PANELS below.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archives import selectors as register
from archives.models import UnitStatus
from config.roles import Role, role_label


@dataclass
class Panel:
    title: str
    count: int | None = None
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (label, url, note)
    link: str = ""
    link_text: str = ""
    empty_text: str = ""


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
    ending = register.leases_ending(today)
    return Panel(
        title=_("Leases ending within 30 days"),
        count=ending.count(),
        items=[(str(o), o.get_absolute_url(), str(o.lease_ends_on)) for o in ending[:8]],
        link=reverse("archives:occupancy_list") + "?current=yes",
        link_text=_("Current occupancies"),
        empty_text=_("No lease ends within 30 days."),
    )


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
    return Panel(
        title=_("Records"),
        items=[
            (str(_("Units")), reverse("archives:unit_list"), ""),
            (str(_("Tenants")), reverse("archives:tenant_list"), ""),
            (str(_("Occupancies")), reverse("archives:occupancy_list"), ""),
            (str(_("Contractors")), reverse("archives:contractor_list"), ""),
        ],
    )


def department_panel(user, today) -> Panel:
    return Panel(
        title=_("Work orders for your department"),
        count=0,
        link=reverse("complaints:index"),
        link_text=_("Cases"),
        empty_text=_("No work order is waiting for your department."),
    )


def administration_panel(user, today) -> Panel:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    without_role = users.filter(groups__isnull=True, is_superuser=False)
    return Panel(
        title=_("Users"),
        count=users.count(),
        items=[
            (str(u), reverse("admin:auth_user_change", args=[u.pk]), str(_("no role")))
            for u in without_role[:8]
        ],
        link=reverse("admin:index"),
        link_text=_("Administration"),
        empty_text=_("Every active user has a role."),
    )


PANELS: dict[str, list[Callable]] = {
    Role.ASSISTANT: [verification_due_panel, leases_ending_panel, register_links_panel],
    Role.MANAGER: [units_panel, verification_due_panel, leases_ending_panel],
    Role.FINANCE: [register_links_panel],
    Role.AUDITOR: [register_links_panel],
    Role.DEPARTMENT: [department_panel],
    Role.ADMINISTRATOR: [administration_panel, units_panel],
}


def home_sections(user, roles: list[str]) -> list[tuple[str, list[Panel]]]:
    today = timezone.localdate()
    shown: set[Callable] = set()  # a panel two of the user's roles share is shown once
    sections = []
    for role in roles:
        builders = [build for build in PANELS.get(role, []) if build not in shown]
        shown.update(builders)
        sections.append((role_label(role), [build(user, today) for build in builders]))
    return sections
