"""The cases area's home-page panels, per role (composed by config.home)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.home import Panel
from config.roles import Role


def department_panel(user, today) -> Panel:
    # The cases area is not built yet: say so, rather than show a count of nothing.
    return Panel(
        title=_("Work orders for your department"),
        link=reverse("complaints:index"),
        link_text=_("Cases"),
        empty_text=_(
            "Work orders are not available in the system yet: they arrive here once the "
            "cases area opens."
        ),
    )


PANELS = {
    Role.DEPARTMENT: [(10, department_panel)],
}
