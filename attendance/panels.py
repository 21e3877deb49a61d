"""The attendance home-page panels (composed by config.home): the desk's register of today
not yet taken, and the manager's past months waiting for a signature. Each takes a fixed
number of queries whatever the number of staff."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendance.selectors.months import months_to_sign
from attendance.selectors.register import missing_today
from config.home import Panel
from config.roles import Role


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
