"""Horizontal bar charts of the statistics' breakdowns, as server-rendered SVG (no
JavaScript, no inline styles): geometry is computed here, as strings, so that the
template's number localisation can never write 12,5 into an SVG attribute."""

import uuid
from dataclasses import dataclass, field

from complaints.selectors.statistics import Tally

WIDTH = 640
LABEL_WIDTH = 170  # the bar's label, left of it
BAR_SPACE = 380  # the longest bar
ROW = 22
BAR = 14


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: str  # the bar's top
    text_y: str  # the labels' baseline
    width: str
    value_x: str  # where its figure is written, right of the bar


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    uid: str = field(default_factory=lambda: "bars-" + uuid.uuid4().hex[:8])
    width: int = WIDTH
    bar_x: int = LABEL_WIDTH
    label_x: int = LABEL_WIDTH - 8

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW + 4

    @property
    def empty(self) -> bool:
        return not any(bar.count for bar in self.bars)


def bar_chart(title: str, tallies: list[Tally]) -> BarChart:
    """One bar per row, the longest the largest count."""
    largest = max((row.count for row in tallies), default=0) or 1
    bars = []
    for index, row in enumerate(tallies):
        width = BAR_SPACE * row.count / largest
        top = index * ROW + (ROW - BAR) / 2
        bars.append(
            Bar(
                label=row.label,
                count=row.count,
                y=f"{top:.1f}",
                text_y=f"{top + BAR - 3:.1f}",
                width=f"{width:.1f}",
                value_x=f"{LABEL_WIDTH + width + 6:.1f}",
            )
        )
    return BarChart(title, bars)
