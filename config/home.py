"""The home page: for each of the user's roles, the panels of work waiting for that person.

config imports no app: every app (config included) lists its own panels in its `panels`
module, found here through INSTALLED_APPS:

    PANELS = {Role.MANAGER: [(10, void_requests_panel), ...]}   # cards, per role
    WIDE_PANELS = {Role.MANAGER: [(10, month_chart_panel)]}     # page-wide, above the cards

A builder takes (user, today) and returns a Panel (a WidePanel, or None to show nothing).
Within a role the panels are shown by position, smallest first, whichever app they come
from: the work waiting for the role first, what it watches next, links to records last (90).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from config.roles import role_label


@dataclass
class Panel:
    title: str
    count: int | None = None
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (label, url, note)
    link: str = ""
    link_text: str = ""
    empty_text: str = ""


@dataclass
class WidePanel:
    """A section the width of the page: `template` is rendered with `content`."""

    title: str
    template: str
    content: object
    slug: str  # the heading's id is "<slug>-heading"


Builder = Callable[[object, date], object]


@cache
def _registered(attribute: str) -> dict[str, list[Builder]]:
    """Every app's builders per role, in the order of their positions (stable: on equal
    positions an app listed earlier in INSTALLED_APPS comes first)."""
    placed: dict[str, list[tuple[int, Builder]]] = {}
    for app in apps.get_app_configs():
        if not module_has_submodule(app.module, "panels"):
            continue
        panels = import_module(f"{app.name}.panels")
        for role, entries in getattr(panels, attribute, {}).items():
            placed.setdefault(role, []).extend(entries)
    return {
        role: [build for _position, build in sorted(entries, key=lambda entry: entry[0])]
        for role, entries in placed.items()
    }


def role_panels(role: str) -> list[Builder]:
    """The builders of a role's cards, in the order the page shows them."""
    return _registered("PANELS").get(role, [])


def _once(roles: list[str], attribute: str) -> list[list[Builder]]:
    shown: set[Builder] = set()  # a panel two of the user's roles share is shown once
    per_role = []
    for role in roles:
        builders = [b for b in _registered(attribute).get(role, []) if b not in shown]
        shown.update(builders)
        per_role.append(builders)
    return per_role


def home_sections(user, roles: list[str]) -> list[tuple[str, list[Panel]]]:
    today = timezone.localdate()
    return [
        (role_label(role), [build(user, today) for build in builders])
        for role, builders in zip(roles, _once(roles, "PANELS"), strict=True)
    ]


def wide_panels(user, roles: list[str]) -> list[WidePanel]:
    today = timezone.localdate()
    built = [build(user, today) for builders in _once(roles, "WIDE_PANELS") for build in builders]
    return [panel for panel in built if panel is not None]
