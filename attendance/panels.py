"""The attendance home-page panels (composed by config.home): the desk's register of today
not yet taken, the manager's past months waiting for a signature, each person's tasks, the
handovers waiting for their receiver and the overdue tasks. Each takes a fixed
number of queries whatever the number of staff."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance.selectors.handovers import handovers_to_acknowledge
from attendance.selectors.months import months_to_sign
from attendance.selectors.register import missing_today
from attendance.selectors.tasks import open_tasks_of, overdue_tasks
from config.home import Panel
from config.people import person_name
from config.roles import ROLE_LABELS, Role


def register_panel(user, today) -> Panel:
    missing = missing_today(today)
    url = f"{reverse('attendance:register')}?day={today.isoformat()}"
    items = []
    if missing:
        label = _("%(count)s of the staff not yet registered today") % {"count": missing}
        items.append((label, url, f"{today:%m-%d}"))
    return Panel(
        title=gettext_lazy("Today's attendance register"),
        count=missing,
        items=items,
        link=url,
        link_text=gettext_lazy("Attendance register"),
        empty_text=gettext_lazy("Today's register is taken (or today is a rest day)."),
    )


def months_panel(user, today) -> Panel:
    months = months_to_sign(today)
    return Panel(
        title=gettext_lazy("Attendance months to sign"),
        count=len(months),
        items=[
            (
                f"{year}-{month:02d}",
                reverse("attendance:month_sheet", args=[year, month]),
                _("%(count)s records") % {"count": records},
            )
            for year, month, records in months[:6]
        ],
        link=reverse("attendance:month_list"),
        link_text=gettext_lazy("Attendance sheets"),
        empty_text=gettext_lazy("Every past month of attendance is signed."),
    )


PANELS = {
    Role.ASSISTANT: [(45, register_panel)],
    Role.MANAGER: [(45, months_panel)],
}


# --- the work diary, the shift handover and the manager's tasks (issue #13) --------------

TASKS_SHOWN = 8


def _task_note(task, today) -> str:
    due = task.due_on.isoformat()
    return f"{due} · {_('overdue')}" if task.due_on < today else due


def my_tasks_panel(user, today) -> Panel:
    """The tasks the manager gave this person, open, the earliest due first: on their home
    page until they mark them done."""
    tasks = open_tasks_of(user)
    return Panel(
        title=_("Your tasks"),
        count=tasks.count(),
        items=[(t.title, t.get_absolute_url(), _task_note(t, today)) for t in tasks[:TASKS_SHOWN]],
        link=reverse("attendance:task_list") + "?status=open",
        link_text=_("Tasks"),
        empty_text=_("No task is waiting for you."),
    )


def overdue_tasks_panel(user, today) -> Panel:
    """The manager's view of the tasks past their due date and not done, whoever has them."""
    tasks = overdue_tasks(today)
    return Panel(
        title=_("Overdue tasks"),
        count=tasks.count(),
        items=[
            (
                f"{t.title} · {person_name(t.assigned_to)}",
                t.get_absolute_url(),
                t.due_on.isoformat(),
            )
            for t in tasks[:TASKS_SHOWN]
        ],
        link=reverse("attendance:task_list") + "?status=open",
        link_text=_("Tasks"),
        empty_text=_("No task is overdue."),
    )


def handovers_to_acknowledge_panel(user, today) -> Panel:
    waiting = handovers_to_acknowledge(user)
    return Panel(
        title=_("Shift handovers to acknowledge"),
        count=waiting.count(),
        items=[
            (
                f"{h.date} {h.shift.name} · {h.outgoing.name}",
                h.get_absolute_url(),
                timezone.localtime(h.submitted_at).strftime("%m-%d %H:%M"),
            )
            for h in waiting[:TASKS_SHOWN]
        ],
        link=reverse("attendance:handover_list"),
        link_text=_("Shift handovers"),
        empty_text=_("No handover is waiting for you."),
    )


def daily_report_panel(user, today) -> Panel:
    """The manager's daily report: today's so far and yesterday's (no query: the report
    itself is read on its page)."""
    url = reverse("attendance:report")
    yesterday = today - timedelta(days=1)
    return Panel(
        title=_("Daily report"),
        items=[
            (str(_("Today so far")), f"{url}?day={today.isoformat()}", today.isoformat()),
            (str(_("Yesterday")), f"{url}?day={yesterday.isoformat()}", yesterday.isoformat()),
        ],
        link=url,
        link_text=_("Daily report"),
    )


def diary_links_panel(user, today) -> Panel:
    """Links to the diary, the handovers and the tasks, for the roles that read them (the
    attendance area's menu entry leads to the register)."""
    items = [
        (str(_("Work diary")), reverse("attendance:diary_list"), ""),
        (str(_("Shift handovers")), reverse("attendance:handover_list"), ""),
        (str(_("Tasks")), reverse("attendance:task_list"), ""),
    ]
    return Panel(title=_("Work diary and shift handovers"), items=items)


# Every role's home page shows the person's own tasks first (a task may be given to
# anybody); the desk sees the handovers given to it; the manager the overdue tasks.
DIARY_PANELS = {role: [(5, my_tasks_panel)] for role in ROLE_LABELS}
DIARY_PANELS[Role.ASSISTANT] = [
    (5, my_tasks_panel),
    (6, handovers_to_acknowledge_panel),
    (91, diary_links_panel),
]
DIARY_PANELS[Role.MANAGER] = [
    (5, my_tasks_panel),
    (6, daily_report_panel),
    (30, overdue_tasks_panel),
    (91, diary_links_panel),
]
DIARY_PANELS[Role.AUDITOR] = [(5, my_tasks_panel), (91, diary_links_panel)]

# Added to whatever the other concerns of the app list above (config.home reads PANELS).
PANELS = globals().get("PANELS", {})
for _role, _entries in DIARY_PANELS.items():
    PANELS.setdefault(_role, []).extend(_entries)
