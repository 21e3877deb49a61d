"""The demo street's floor: the demo staff, believable identifiers, and the composition of
every app's part.

Each app builds its own part in its `demo` module (archives.demo: the register; fees.demo:
the takings, charges and permits) with a `build(street: DemoStreet) -> str` that returns
what it built, for the command's summary; the parts are built in INSTALLED_APPS order, so
an app finds the parts of the apps it depends on. An optional `has_data()` says the street
exists already (then only the demo users are checked). An optional `finish(street)` runs
once every part is built, in the same order: fees closes the past days there, after the
later parts have taken money on them (deposits' decorations, through the desk's services
on a DemoClock).
"""

import heapq
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import import_module
from types import ModuleType, SimpleNamespace
from unittest import mock

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from simple_history.models import HistoricalRecords
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


@contextmanager
def acting(user):
    """The history of what is saved inside names ``user``, as when they act at the desk
    (django-simple-history takes the request's user from its middleware; a demo part has no
    request)."""
    context = HistoricalRecords.context
    before = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if before is None:
            del context.request
        else:
            context.request = before


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
    """Every app's part, in order, then every part's finish; what each says it built."""
    built = [part.build(street) for part in parts]
    for part in parts:
        if hasattr(part, "finish"):
            part.finish(street)
    return built


class DemoClock:
    """The clock the services read (django.utils.timezone.now) set to a day of the demo's
    past while a demo part works through them, so that each step is written, checked and
    recorded in its history as on that day, and nothing permanent is rewritten afterwards.
    Only for the demo command, which runs alone before anyone uses the street.

    ``run(stories)`` plays generators that each yield (days_ago, hour) before their next
    step, all on one timeline: the earliest step next, so that what the stories number
    (applications, receipts, permits) is numbered in the order of their days. Each reading
    of the clock is a millisecond later than the one before, so the steps of one moment
    keep their order."""

    def __init__(self, *, today: date):
        self.today = today
        self._now: datetime | None = None
        self._tick = timedelta(milliseconds=1)
        self._patch = mock.patch("django.utils.timezone.now", self._read)

    def _read(self) -> datetime:
        self._now += self._tick
        return self._now

    def moment(self, days_ago: int, hour: int) -> datetime:
        day = self.today - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def run(self, stories: list[Iterator[tuple[int, int]]]) -> None:
        """Play the stories' steps in the order of their moments (then of the stories)."""
        waiting: list[tuple[datetime, int, Iterator[tuple[int, int]]]] = []
        for order, story in enumerate(stories):
            step = next(story, None)  # its first step (a story does nothing before it)
            if step is not None:
                heapq.heappush(waiting, (self.moment(*step), order, story))
        with self:
            while waiting:
                moment, order, story = heapq.heappop(waiting)
                self._now = moment if self._now is None else max(self._now, moment)
                step = next(story, None)
                if step is not None:
                    heapq.heappush(waiting, (self.moment(*step), order, story))

    @property
    def date(self) -> date:
        """The day of the step being played."""
        return timezone.localdate(self._now)

    def __enter__(self) -> "DemoClock":
        self._patch.start()
        return self

    def __exit__(self, *exc) -> None:
        self._patch.stop()
