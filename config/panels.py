"""config's own home-page panels (config.home composes them with every app's)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.home import Panel
from config.people import person_name
from config.roles import Role
from config.workdays import calendar_warnings


def administration_panel(user, today) -> Panel:
    users = get_user_model().objects.filter(is_active=True)
    without_role = users.filter(groups__isnull=True, is_superuser=False)
    return Panel(
        title=_("Users"),
        count=users.count(),
        items=[
            (person_name(u), reverse("admin:auth_user_change", args=[u.pk]), str(_("no role")))
            for u in without_role[:8]
        ],
        link=reverse("admin:index"),
        link_text=_("Administration"),
        empty_text=_("Every active user has a role."),
    )


def calendar_panel(user, today) -> Panel:
    """A warning while chinese-calendar does not know this year or the next."""
    days = reverse("admin:config_calendarday_changelist")
    return Panel(
        title=_("Holidays"),
        items=[(text, days, "") for text in calendar_warnings(today)],
        link=days,
        link_text=_("Calendar days"),
        empty_text=_("The calendar package knows this year's and next year's holidays."),
    )


PANELS = {
    Role.ADMINISTRATOR: [(10, administration_panel), (15, calendar_panel)],
}
