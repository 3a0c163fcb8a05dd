"""Layout of the server-drawn SVG charts: the class's score distribution and a learner's trend.

Only geometry is computed here (pure functions, easy to test); templates draw it
(reports/_bar_chart.html, progress/_trend_chart.html) and escape the text.

Horizontal positions are percentages of the plot's width and vertical ones are pixels, with
no viewBox: the SVG fills its column at a fixed height and its text keeps the page's size on
a phone and on a wide screen (a scaled viewBox shrank the labels to 6 px on a phone). The
axis labels sit in the padding of the chart's box (CSS), outside the plot. Sizes are SVG
attributes and colours CSS classes, so a strict CSP holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line at `y` px and its label."""

    value: int
    y: float
    label: str


@dataclass(frozen=True)
class Plot:
    """The plot area's height: the top of the scale at `top` px, zero at `bottom` px."""

    height: int
    top: int
    bottom: int

    def y_of(self, value: float, ceiling: float) -> float:
        """Where `value` goes on a 0..ceiling scale (clamped to it)."""
        share = max(0.0, min(1.0, value / ceiling)) if ceiling else 0.0
        return round(self.bottom - (self.bottom - self.top) * share, 1)

    def ticks(self, values, ceiling: float, suffix: str = "") -> list[Tick]:
        return [Tick(value, self.y_of(value, ceiling), f"{value}{suffix}") for value in values]


def nice_step(largest: int, *, ticks: int = 5) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) giving about `ticks` gridlines up to `largest`."""
    if largest <= ticks:
        return 1
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


# -- bar chart (the score distribution) ----------------------------------------------------------


@dataclass(frozen=True)
class BarSpec:
    """What to draw: a label under the bar, its value, a CSS modifier and a tooltip/title.

    `short_label` replaces the label on a phone, where a dozen ranges ("14 to 17") would overlap.
    """

    label: str
    value: int
    kind: str = ""
    title: str = ""
    short_label: str = ""


@dataclass(frozen=True)
class DrawnBar:
    label: str
    short_label: str
    value: int
    kind: str
    title: str
    x: float  # percent of the plot's width
    width: float  # percent
    centre: float  # percent: where the labels go
    y: float  # px
    height: float  # px


@dataclass(frozen=True)
class BarChart:
    plot: Plot
    bars: list[DrawnBar]
    ticks: list[Tick]
    # Where a vertical marker goes (percent, between two bars), with its label; None for none.
    marker_x: float | None = None
    marker_label: str = ""

    @property
    def height(self) -> int:
        return self.plot.height

    @property
    def label_y(self) -> float:
        return self.plot.bottom + 18

    @property
    def marker_label_y(self) -> int:
        # Above the tallest bar's value label (drawn 4 px above the bar).
        return self.plot.top - 22


def bar_chart(
    specs: list[BarSpec],
    *,
    height: int = 260,
    marker_before: int | None = None,
    marker_label: str = "",
) -> BarChart:
    """Lay out a vertical bar chart; `marker_before` puts a marker before that bar's index."""
    plot = Plot(height=height, top=40, bottom=height - 32)
    largest = max((spec.value for spec in specs), default=0)
    step = nice_step(largest)
    ceiling = max(step, step * math.ceil(largest / step))
    slot = 100 / max(1, len(specs))
    gap = slot * 0.15
    bars = []
    for index, spec in enumerate(specs):
        y = plot.y_of(spec.value, ceiling)
        bars.append(
            DrawnBar(
                label=spec.label,
                short_label=spec.short_label or spec.label,
                value=spec.value,
                kind=spec.kind,
                title=spec.title,
                x=round(index * slot + gap / 2, 2),
                width=round(slot - gap, 2),
                centre=round((index + 0.5) * slot, 2),
                y=y,
                height=round(plot.bottom - y, 1),
            )
        )
    marker_x = None
    if marker_before is not None and 0 < marker_before < len(specs):
        marker_x = round(marker_before * slot, 2)
    return BarChart(
        plot=plot,
        bars=bars,
        ticks=plot.ticks(range(0, ceiling + 1, step), ceiling),
        marker_x=marker_x,
        marker_label=marker_label if marker_x is not None else "",
    )


# -- trend chart (a learner's scores over time) --------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    public_id: str
    finished_at: datetime
    title: str
    is_mock: bool
    score: int
    question_count: int
    passed: bool
    percent: float


@dataclass(frozen=True)
class ChartMarker:
    x: float  # percent of the plot's width
    y: float  # px
    point: TrendPoint
    size: int = 10  # a mock exam's square is size x size; other quizzes' circles size/2 radius

    @property
    def half(self) -> float:
        return -self.size / 2  # the square's corner, from its centre

    @property
    def radius(self) -> float:
        return self.size / 2


@dataclass(frozen=True)
class Segment:
    """A piece of the line joining two markers (a polyline cannot take percentages)."""

    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class TrendChart:
    plot: Plot
    markers: list[ChartMarker]
    segments: list[Segment]
    pass_y: float
    ticks: list[Tick]

    @property
    def height(self) -> int:
        return self.plot.height

    @property
    def first(self) -> TrendPoint | None:
        return self.markers[0].point if self.markers else None

    @property
    def last(self) -> TrendPoint | None:
        return self.markers[-1].point if self.markers else None


def trend_chart(points: list[TrendPoint], *, pass_percent: int, height: int = 240) -> TrendChart:
    """Place the points on a 0-100% scale, evenly spaced in the order they were finished."""
    plot = Plot(height=height, top=16, bottom=height - 28)
    if len(points) > 1:
        xs = [round(100 * i / (len(points) - 1), 2) for i in range(len(points))]
    else:
        xs = [50.0] * len(points)
    markers = [
        ChartMarker(x, plot.y_of(point.percent, 100), point)
        for x, point in zip(xs, points, strict=True)
    ]
    segments = [Segment(a.x, a.y, b.x, b.y) for a, b in pairwise(markers)]
    return TrendChart(
        plot=plot,
        markers=markers,
        segments=segments,
        pass_y=plot.y_of(pass_percent, 100),
        ticks=plot.ticks((0, 25, 50, 75, 100), 100, "%"),
    )
