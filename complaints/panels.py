"""The cases' home-page panels, per role (composed by config.home): the desk's callbacks
due, unassigned and overdue cases and the cases logged today; a department's open cases;
the manager's overdue and unassigned cases. Each takes a fixed number of queries whatever
the rows it lists."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.selectors.cases import (
    callbacks_due,
    cases_logged_on,
    department_open_cases,
    overdue_cases,
    unassigned_cases,
)
from config.home import Panel
from config.roles import Role

SHOWN = 8


def _due(case) -> str:
    return timezone.localtime(case.due_at).strftime("%m-%d %H:%M")


def _label(case) -> str:
    who = case.unit.code if case.unit_id else case.visitor_name
    return f"{case.number} · {case.get_kind_display()} · {who}"


def _panel(title, cases, empty_text, link, note=_due, link_text=None) -> Panel:
    return Panel(
        title=title,
        count=cases.count(),
        items=[(_label(case), case.get_absolute_url(), note(case)) for case in cases[:SHOWN]],
        link=link,
        link_text=link_text or _("Cases"),
        empty_text=empty_text,
    )


def callbacks_panel(user, today) -> Panel:
    return _panel(
        _("Callbacks due"),
        callbacks_due(today),
        _("No callback is due today."),
        reverse("complaints:callback_list"),
        note=lambda case: case.callback_due_on.strftime("%m-%d"),
        link_text=_("Callbacks due"),
    )


def logged_today_panel(user, today) -> Panel:
    return _panel(
        _("Cases logged today"),
        cases_logged_on(today).order_by("-received_at", "-pk"),
        _("No case logged today yet."),
        reverse("complaints:case_list"),
        note=lambda case: case.get_status_display(),
    )


def unassigned_panel(user, today) -> Panel:
    return _panel(
        _("Cases to assign"),
        unassigned_cases(),
        _("Every case is assigned."),
        reverse("complaints:case_list") + "?unassigned=yes",
    )


def overdue_panel(user, today) -> Panel:
    return _panel(
        _("Overdue cases"),
        overdue_cases(),
        _("No case is overdue."),
        reverse("complaints:case_list") + "?overdue=yes",
    )


def department_panel(user, today) -> Panel:
    return _panel(
        _("Work orders for your department"),
        department_open_cases(user),
        _("Your department has no open case."),
        reverse("complaints:case_queue"),
    )


PANELS = {
    Role.ASSISTANT: [
        (36, callbacks_panel),
        (37, unassigned_panel),
        (38, overdue_panel),
        (39, logged_today_panel),
    ],
    Role.MANAGER: [(40, overdue_panel), (41, unassigned_panel)],
    Role.DEPARTMENT: [(10, department_panel)],
}
