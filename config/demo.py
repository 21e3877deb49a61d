"""The demo street's floor: the demo staff, believable identifiers, and the composition of
every app's part.

Each app builds its own part in its `demo` module (archives.demo: the register; fees.demo:
the takings, charges and permits) with a `build(street: DemoStreet) -> str` that returns
what it built, for the command's summary; the parts are built in INSTALLED_APPS order, so
an app finds the parts of the apps it depends on. An optional `has_data()` says the street
exists already (then only the demo users are checked).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.module_loading import module_has_submodule
from stdnum.cn import ric, uscc

from config.roles import Role

DEMO_PASSWORD = "demo-2026"

# (user name, full name, role)
DEMO_STAFF = [
    ("assistant", "李晓敏", Role.ASSISTANT),
    ("assistant2", "周婷", Role.ASSISTANT),
    ("manager", "王建国", Role.MANAGER),
    ("finance", "陈会计", Role.FINANCE),
    ("auditor", "赵审计", Role.AUDITOR),
    ("engineering", "工程部 刘工", Role.DEPARTMENT),
    ("admin", "系统管理员", Role.ADMINISTRATOR),
]

REGION_CODES = ["330102", "330106", "310101", "440103", "110105", "320102", "350102", "420106"]
CREDIT_ORG_CODES = ["91", "92", "93"]  # enterprise, individual business, farmers' co-op
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_resident_id(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
    body = f"{rng.choice(REGION_CODES)}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def make_credit_code(rng: random.Random) -> str:
    body = (
        rng.choice(CREDIT_ORG_CODES)
        + rng.choice(REGION_CODES)
        + "".join(rng.choice(CREDIT_CHARS) for _ in range(9))
    )
    return body + uscc.calc_check_digit(body)


def make_mobile(rng: random.Random) -> str:
    return (
        rng.choice(["138", "139", "150", "158", "186", "177", "199"])
        + f"{rng.randrange(10**8):08d}"
    )


def build_staff() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, full_name, role in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        # The administrator works in the admin but is no superuser: a superuser holds every
        # permission, money's too, and may give rights (config.admin). Nobody in the demo is.
        user.is_staff = role == Role.ADMINISTRATOR
        user.is_superuser = False
        user.save()
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


@dataclass(frozen=True)
class DemoStreet:
    """What every app's demo part is built from."""

    units: int
    seed: int
    today: date


def demo_parts() -> list[ModuleType]:
    """The apps' `demo` modules with a build(), in INSTALLED_APPS order."""
    modules = [
        import_module(f"{app.name}.demo")
        for app in apps.get_app_configs()
        if module_has_submodule(app.module, "demo")
    ]
    return [module for module in modules if hasattr(module, "build")]


def street_exists(parts: list[ModuleType]) -> bool:
    return any(part.has_data() for part in parts if hasattr(part, "has_data"))


def build_street(street: DemoStreet, parts: list[ModuleType]) -> list[str]:
    """Every app's part, in order; what each says it built."""
    return [part.build(street) for part in parts]
