"""config's own home-page panels (config.home composes them with every app's)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.home import Panel
from config.people import person_name
from config.roles import Role


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


PANELS = {
    Role.ADMINISTRATOR: [(10, administration_panel)],
}
