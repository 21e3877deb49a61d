"""A month's takings per day, stacked by fee type, as a server-rendered SVG (no JavaScript).

The chart is accessible by its <title> and <desc> and by the data table that goes with it
(templates/fees/finance/_chart.html). Coordinates are formatted here, as strings, so that
the template's number localisation can never turn 12.5 into "12,5" inside an SVG.
"""

import math
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from config.money import ZERO
from fees.selectors.days import withheld_dates
from fees.selectors.statements import (
    month_bounds,
    period_dates,
    statement_fee_types,
    takings_by_day_and_fee,
)

# Dark enough for 3:1 against white (WCAG non-text contrast); white gaps split the stacks.
PALETTE = [
    "#1f5f99",
    "#b3541e",
    "#2e7d32",
    "#7b3fa0",
    "#00767a",
    "#a8325e",
    "#6d4c41",
    "#4a5a66",
    "#7a7a00",
]
WIDTH, HEIGHT = 960, 250
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 12, 26


@dataclass
class Rect:
    x: str
    y: str
    width: str
    height: str
    color: str
    label: str


@dataclass
class Chart:
    title: str
    desc: str
    series: list[tuple[str, str]]  # (colour, name)
    rows: list[tuple[date, list[Decimal], Decimal]]  # the data table: day, amounts, total
    totals: list[Decimal]
    total: Decimal
    rects: list[Rect] = field(default_factory=list)
    x_labels: list[tuple[str, str]] = field(default_factory=list)
    y_ticks: list[tuple[str, str]] = field(default_factory=list)
    zero_y: str = ""
    link: str = ""
    link_text: str = ""
    withheld: list[date] = field(default_factory=list)  # days left out (the blind count)
    uid: str = field(default_factory=lambda: "chart-" + uuid.uuid4().hex[:8])
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT

    @property
    def empty(self) -> bool:
        return not any(total for _day, _amounts, total in self.rows)


def nice_step(span: float, target: int = 5) -> float:
    """A round step (1, 2 or 5 × 10^n) cutting ``span`` into about ``target`` parts."""
    raw = span / target
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= raw:
            return multiple * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def stacked_bars(
    *,
    title: str,
    days: list[date],
    series: list[str],
    amounts: list[list[Decimal]],
    withheld: list[date] | None = None,
) -> Chart:
    """One bar per day; positive amounts stack up from zero, negative ones (reversals) down.
    The ``withheld`` days (not counted yet, for this reader) must come with no amounts: they
    get no bar, and the chart says that they are left out."""
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    rows = [(day, values, sum(values, ZERO)) for day, values in zip(days, amounts, strict=True)]
    totals = [sum((values[i] for values in amounts), ZERO) for i in range(len(series))]
    total = sum(totals, ZERO)
    highest = max(rows, key=lambda row: row[2], default=None)
    desc = _("Takings per day, stacked by fee type: %(count)d days, total %(total)s.") % {
        "count": len(days),
        "total": f"{total:,.2f}",
    }
    if highest is not None and highest[2] > 0:
        desc += " " + _("The highest day is %(day)s with %(amount)s.") % {
            "day": highest[0].isoformat(),
            "amount": f"{highest[2]:,.2f}",
        }
    withheld = sorted(withheld or [])
    if withheld:
        desc += " " + _("Not counted yet, so left out: %(days)s.") % {
            "days": ", ".join(day.isoformat() for day in withheld)
        }
    chart = Chart(
        title=title,
        desc=desc,
        series=list(zip(colours, series, strict=True)),
        rows=rows,
        totals=totals,
        total=total,
        withheld=withheld,
    )
    if not days:
        return chart

    ups = [float(sum((v for v in values if v > 0), ZERO)) for values in amounts]
    downs = [float(sum((v for v in values if v < 0), ZERO)) for values in amounts]
    top_value, bottom_value = max(ups + [0.0]), min(downs + [0.0])
    step = nice_step((top_value - bottom_value) or 100.0)
    top_value = math.ceil(top_value / step) * step
    bottom_value = math.floor(bottom_value / step) * step
    if top_value == bottom_value:
        top_value = bottom_value + step
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    scale = (plot_bottom - plot_top) / (top_value - bottom_value)

    def y_of(value: float) -> float:
        return plot_bottom - (value - bottom_value) * scale

    tick = bottom_value
    while tick <= top_value + step / 2:
        chart.y_ticks.append((_fmt(y_of(tick)), f"{tick:,.0f}"))
        tick += step
    chart.zero_y = _fmt(y_of(0.0))

    slot = (WIDTH - RIGHT - LEFT) / len(days)
    bar = slot * 0.7
    label_every = 1 if len(days) <= 31 else math.ceil(len(days) / 31)
    for index, (day, values) in enumerate(zip(days, amounts, strict=True)):
        x = LEFT + index * slot + (slot - bar) / 2
        up = down = 0.0
        for value, colour, name in zip(values, colours, series, strict=True):
            if not value:
                continue
            amount = float(value)
            if amount > 0:
                y0, y1 = y_of(up + amount), y_of(up)
                up += amount
            else:
                y0, y1 = y_of(down), y_of(down + amount)
                down += amount
            chart.rects.append(
                Rect(
                    x=_fmt(x),
                    y=_fmt(y0),
                    width=_fmt(bar),
                    height=_fmt(max(y1 - y0, 0.5)),
                    color=colour,
                    label=f"{day.isoformat()} {name}: {value:,.2f}",
                )
            )
        if index % label_every == 0:
            chart.x_labels.append((_fmt(x + bar / 2), str(day.day)))
    return chart


def period_chart(
    start: date, end: date, *, title: str, withheld: frozenset[date] = frozenset()
) -> Chart:
    """The chart of a period straight from the database: two queries, whatever the size;
    the ``withheld`` days (fees.selectors.days) are left out."""
    by_fee = takings_by_day_and_fee(start, end, withheld=withheld)
    used = {fee_id for _day, fee_id in by_fee}
    fee_types = [fee for fee in statement_fee_types(used) if fee.pk in used]
    days = period_dates(start, end)
    return stacked_bars(
        title=title,
        days=days,
        series=[fee.name for fee in fee_types],
        amounts=[[by_fee.get((day, fee.pk), ZERO) for fee in fee_types] for day in days],
        withheld=[day for day in days if day in withheld],
    )


def figures_chart(figures) -> Chart:
    """The chart of figures already read (the finance page), without another query."""
    # Only the fees with takings in the period get a colour (a retired fee has none).
    used = [i for i in range(len(figures.fee_types)) if any(day.by_fee[i] for day in figures.days)]
    return stacked_bars(
        title=_("Takings per day by fee type, %(period)s")
        % {"period": f"{figures.start:%Y-%m-%d} – {figures.end:%Y-%m-%d}"},
        days=[day.date for day in figures.days],
        series=[figures.fee_types[i].name for i in used],
        amounts=[[day.by_fee[i] for i in used] for day in figures.days],
        withheld=figures.withheld,
    )


def month_chart_panel(user, today: date) -> Chart | None:
    """This month's chart for the home page, or None for a user who may not see takings."""
    if not user.has_perm("fees.view_dailyclose"):
        return None
    start, end = month_bounds(today.year, today.month)
    chart = period_chart(
        start,
        end,
        title=_("Takings per day by fee type, %(month)s")
        % {"month": date_format(start, "YEAR_MONTH_FORMAT")},
        withheld=withheld_dates(user, start, end),
    )
    if user.has_perm("fees.view_monthlock"):
        chart.link = reverse("fees:finance_month", args=[today.year, today.month])
        chart.link_text = _("Monthly statement")
    return chart
