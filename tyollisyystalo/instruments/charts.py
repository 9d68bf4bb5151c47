"""Line charts of scores over time as plain SVG geometry (no JavaScript), for the templates.

Each chart comes with the same numbers as a table on the page, so nothing is told by the
picture alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tyollisyystalo.instruments.definitions import format_score

WIDTH = 320
HEIGHT = 140
LEFT = 34
RIGHT = 10
TOP = 10
BOTTOM = 26


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: dt.date
    value: Decimal

    @property
    def label(self) -> str:
        return format_score(self.value)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    points: tuple[Point, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    threshold_y: float | None
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def plot_bottom(self) -> int:
        return self.height - BOTTOM


def line_chart(
    title: str,
    series: list[tuple[dt.date, Decimal]],
    *,
    y_min: Decimal,
    y_max: Decimal,
    threshold: Decimal | None = None,
) -> Chart:
    """Points spaced by date between the first and last answer, values on a fixed scale."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    span = float(y_max - y_min) or 1.0

    def y_of(value: Decimal) -> float:
        return TOP + plot_h * (1 - float(value - y_min) / span)

    days = [day for day, _ in series]
    first, last = (min(days), max(days)) if days else (dt.date.min, dt.date.min)
    total_days = (last - first).days

    def x_of(day: dt.date) -> float:
        if total_days == 0:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (day - first).days / total_days

    points = tuple(Point(x_of(day), y_of(value), day, value) for day, value in series)
    ticks = tuple(
        Tick(y_of(value), format_score(value))
        for value in (y_min, y_min + (y_max - y_min) / 2, y_max)
    )
    x_ticks: tuple[Tick, ...] = ()
    if days:
        x_ticks = tuple(
            Tick(x_of(day), f"{day.day}.{day.month}.{day.year}") for day in sorted({first, last})
        )
    threshold_y = None if threshold is None else y_of(threshold)
    return Chart(title, points, ticks, x_ticks, threshold_y)
