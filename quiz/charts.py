"""Tiny helpers that lay out server-drawn SVG charts; templates draw them (reports/_bar_chart.html).

Only geometry is computed here (pure functions, easy to test); the template escapes the text.
Sizes are SVG attributes and colours are CSS classes, so a strict CSP holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class BarSpec:
    """What to draw: a label under the bar, its value, a CSS modifier and a tooltip/title."""

    label: str
    value: int
    kind: str = ""
    title: str = ""


@dataclass(frozen=True)
class DrawnBar:
    label: str
    value: int
    kind: str
    title: str
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    top: int
    bottom: float
    right: int
    bars: list[DrawnBar]
    ticks: list[Tick]
    # Where a vertical marker goes (between two bars), with its label; None for no marker.
    marker_x: float | None = None
    marker_label: str = ""

    @property
    def label_y(self) -> float:
        return self.bottom + 18

    @property
    def marker_label_y(self) -> int:
        # Above the tallest bar's value label (drawn 4 units above the bar).
        return self.top - 22


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


def bar_chart(
    specs: list[BarSpec],
    *,
    width: int = 640,
    height: int = 276,
    marker_before: int | None = None,
    marker_label: str = "",
) -> BarChart:
    """Lay out a vertical bar chart; `marker_before` puts a marker before that bar's index."""
    left, right, top, bottom_margin = 40, 10, 40, 32
    plot_width = width - left - right
    plot_height = height - top - bottom_margin
    bottom = top + plot_height
    largest = max((spec.value for spec in specs), default=0)
    step = nice_step(largest)
    ceiling = max(step, step * math.ceil(largest / step))
    slot = plot_width / max(1, len(specs))
    gap = min(8.0, slot * 0.2)
    bars = []
    for index, spec in enumerate(specs):
        bar_height = plot_height * spec.value / ceiling
        bars.append(
            DrawnBar(
                label=spec.label,
                value=spec.value,
                kind=spec.kind,
                title=spec.title,
                x=round(left + index * slot + gap / 2, 1),
                y=round(bottom - bar_height, 1),
                width=round(slot - gap, 1),
                height=round(bar_height, 1),
            )
        )
    ticks = [
        Tick(value, round(bottom - plot_height * value / ceiling, 1))
        for value in range(0, ceiling + 1, step)
    ]
    marker_x = None
    if marker_before is not None and 0 < marker_before < len(specs):
        marker_x = round(left + marker_before * slot, 1)
    return BarChart(
        width=width,
        height=height,
        left=left,
        top=top,
        bottom=bottom,
        right=width - right,
        bars=bars,
        ticks=ticks,
        marker_x=marker_x,
        marker_label=marker_label if marker_x is not None else "",
    )
