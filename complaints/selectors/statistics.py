"""The monthly statistics of cases: the cases received in one calendar month (Asia/Shanghai)
counted by kind, category, department and channel; their times to first response and to
resolution in the centre's business hours (kept on each case by the services); the share
resolved within the service level; callbacks and satisfaction; repeat complaints and
hotspots.

Every figure is an SQL aggregate over the month's cases, found by the index on their
receipt time, so the number of queries is the same for one case or thousands; only the
month's durations are fetched, for their medians. A case counts in the month it came in:
a case of May resolved in June adds to May's resolution times.
"""

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.enums import CaseKind, Channel
from complaints.models import Callback, Case

# A complaint repeats an earlier one of the same unit and category received this many days
# before it or fewer.
REPEAT_WITHIN_DAYS = 30
HOTSPOTS = 10
HOURS = Decimal("0.1")
PERCENT = Decimal("0.1")


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's first, in the centre's time zone."""
    zone = timezone.get_default_timezone()
    following = date(year + (month == 12), month % 12 + 1, 1)
    start = datetime.combine(date(year, month, 1), time.min, tzinfo=zone)
    return start, datetime.combine(following, time.min, tzinfo=zone)


def month_cases(year: int, month: int) -> QuerySet[Case]:
    start, end = month_bounds(year, month)
    return Case.objects.filter(received_at__gte=start, received_at__lt=end)


@dataclass(frozen=True)
class Tally:
    """One row of a breakdown: its label and the number of cases."""

    label: str
    count: int
    share: Decimal  # percent of the month's cases, one decimal


@dataclass(frozen=True)
class CategoryRow:
    """A sub-category (or a top-level category used by itself) under its top level."""

    top: str
    sub: str
    count: int
    share: Decimal


@dataclass(frozen=True)
class Durations:
    """Business hours over the cases that have one: how many, the average, the median."""

    cases: int
    average: Decimal | None
    median: Decimal | None


@dataclass(frozen=True)
class Repeat:
    """A complaint of the month that repeats an earlier one of its unit and category."""

    case: Case
    earlier_pk: int
    earlier_at: datetime

    @property
    def earlier_number(self) -> str:
        return f"{timezone.localtime(self.earlier_at).year}-{self.earlier_pk:05d}"


@dataclass
class MonthStatistics:
    year: int
    month: int
    total: int
    by_kind: list[Tally]
    by_category: list[CategoryRow]
    by_top_category: list[Tally]
    by_department: list[Tally]
    by_channel: list[Tally]
    response: Durations
    resolution: Durations
    resolved: int
    within_service_level: int
    called_back: int
    callbacks: int
    satisfaction: list[Tally]  # the callbacks by score, 5 down to 1
    average_satisfaction: Decimal | None
    repeats: list[Repeat]
    hot_units: list[Tally]
    hot_categories: list[Tally]
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def service_level_share(self) -> Decimal | None:
        return percent(self.within_service_level, self.resolved)

    @property
    def callback_rate(self) -> Decimal | None:
        return percent(self.called_back, self.resolved)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(PERCENT, ROUND_HALF_UP)


def _counts(rows, total: int) -> list[Tally]:
    return [Tally(str(label), count, percent(count, total)) for label, count in rows]


def _grouped(cases: QuerySet[Case], key: str) -> dict:
    rows = cases.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n")
    return dict(rows)


def _by_choices(cases: QuerySet[Case], key: str, choices, total: int) -> list[Tally]:
    """Every choice in its order, those with no case too."""
    found = _grouped(cases, key)
    return _counts([(label, found.get(value, 0)) for value, label in choices.choices], total)


def _by_department(cases: QuerySet[Case], total: int) -> list[Tally]:
    rows = _grouped(cases, "department__name")
    # Sorted here: databases put the cases without a department (NULL) first or last.
    order = sorted(rows, key=lambda name: (-rows[name], name is None, name or ""))
    return _counts([(name or _("not assigned"), rows[name]) for name in order], total)


def _by_category(cases: QuerySet[Case], total: int) -> tuple[list[CategoryRow], list[Tally]]:
    rows = (
        cases.order_by()
        .values("category__parent__name", "category__name")
        .annotate(n=Count("pk"))
        .values_list("category__parent__name", "category__name", "n")
    )
    uncategorised = _("no category")
    lines = []
    for parent, name, n in rows:
        top, sub = (parent, name) if parent else (name or uncategorised, "")
        lines.append(CategoryRow(top, sub, n, percent(n, total)))
    tops: dict[str, int] = {}
    for line in lines:
        tops[line.top] = tops.get(line.top, 0) + line.count
    order = sorted(tops, key=lambda top: (-tops[top], top == uncategorised, top))
    rank = {top: index for index, top in enumerate(order)}
    lines.sort(key=lambda line: (rank[line.top], -line.count, line.sub))
    return lines, _counts([(top, tops[top]) for top in order], total)


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return Decimal(statistics.median(values)).quantize(HOURS, ROUND_HALF_UP)


def _summary(values: list[Decimal]) -> Durations:
    if not values:
        return Durations(0, None, None)
    average = (sum(values) / len(values)).quantize(HOURS, ROUND_HALF_UP)
    return Durations(len(values), average, _median(values))


def _durations(cases: QuerySet[Case]) -> tuple[Durations, Durations]:
    """The times to first response and to resolution: only the month's values are fetched
    (for their medians), in one query."""
    rows = (
        cases.filter(Q(response_hours__isnull=False) | Q(resolution_hours__isnull=False))
        .order_by()
        .values_list("response_hours", "resolution_hours")
    )
    responses, resolutions = [], []
    for response, resolution in rows:
        if response is not None:
            responses.append(response)
        if resolution is not None:
            resolutions.append(resolution)
    return _summary(responses), _summary(resolutions)


def _resolutions(cases: QuerySet[Case]) -> dict[str, int]:
    """The resolved cases, those resolved by their due time, those called back since their
    resolution (the callbacks that reopened a case are counted with its later resolution)."""
    called = Callback.objects.filter(case=OuterRef("pk"), recorded_at__gte=OuterRef("resolved_at"))
    return cases.filter(resolved_at__isnull=False).aggregate(
        resolved=Count("pk"),
        within=Count("pk", filter=Q(resolved_at__lte=F("due_at"))),
        called_back=Count("pk", filter=Q(Exists(called))),
    )


def _satisfaction(cases: QuerySet[Case]) -> tuple[list[Tally], int, Decimal | None]:
    """Every callback on the month's cases, the unsatisfied ones that reopened a case too."""
    found = dict(
        Callback.objects.filter(case__in=cases.values("pk"))
        .order_by()
        .values("satisfaction")
        .annotate(n=Count("pk"))
        .values_list("satisfaction", "n")
    )
    count = sum(found.values())
    rows = _counts([(score, found.get(score, 0)) for score in range(5, 0, -1)], count)
    if not count:
        return rows, 0, None
    score_sum = sum(score * n for score, n in found.items())
    return rows, count, (Decimal(score_sum) / count).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _repeats(cases: QuerySet[Case]) -> list[Repeat]:
    """The month's complaints that follow an earlier complaint of the same unit and category
    within REPEAT_WITHIN_DAYS (which may lie in the month before)."""
    earlier = Case.objects.filter(
        kind=CaseKind.COMPLAINT,
        unit=OuterRef("unit"),
        category=OuterRef("category"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=OuterRef("received_at") - timedelta(days=REPEAT_WITHIN_DAYS),
    ).order_by("-received_at", "-pk")
    rows = (
        cases.filter(kind=CaseKind.COMPLAINT, unit__isnull=False, category__isnull=False)
        .annotate(
            earlier_pk=Subquery(earlier.values("pk")[:1]),
            earlier_at=Subquery(earlier.values("received_at")[:1]),
        )
        .filter(earlier_pk__isnull=False)
        .select_related("unit", "category__parent")
        .order_by("unit__code", "received_at", "pk")
    )
    return [Repeat(row, row.earlier_pk, row.earlier_at) for row in rows]


def _hot_units(cases: QuerySet[Case], total: int) -> list[Tally]:
    rows = (
        cases.filter(unit__isnull=False)
        .order_by()
        .values("unit__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__code")
        .values_list("unit__code", "n")[:HOTSPOTS]
    )
    return _counts(rows, total)


def _hot_categories(cases: QuerySet[Case], total: int) -> list[Tally]:
    rows = (
        cases.filter(category__isnull=False)
        .order_by()
        .values("category__parent__name", "category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__parent__name", "category__name")
        .values_list("category__parent__name", "category__name", "n")[:HOTSPOTS]
    )
    return _counts([(f"{top} › {name}" if top else name, n) for top, name, n in rows], total)


def month_statistics(year: int, month: int) -> MonthStatistics:
    """Every figure of the month's report, in a fixed number of queries."""
    cases = month_cases(year, month)
    total = cases.count()
    by_category, by_top = _by_category(cases, total)
    resolutions = _resolutions(cases)
    satisfaction, callbacks, average_satisfaction = _satisfaction(cases)
    response, resolution = _durations(cases)
    return MonthStatistics(
        year=year,
        month=month,
        total=total,
        by_kind=_by_choices(cases, "kind", CaseKind, total),
        by_category=by_category,
        by_top_category=by_top,
        by_department=_by_department(cases, total),
        by_channel=_by_choices(cases, "channel", Channel, total),
        response=response,
        resolution=resolution,
        resolved=resolutions["resolved"],
        within_service_level=resolutions["within"],
        called_back=resolutions["called_back"],
        callbacks=callbacks,
        satisfaction=satisfaction,
        average_satisfaction=average_satisfaction,
        repeats=_repeats(cases),
        hot_units=_hot_units(cases, total),
        hot_categories=_hot_categories(cases, total),
    )
