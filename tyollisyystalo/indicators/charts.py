"""A small bar chart of one indicator's trend, as plain SVG geometry (no JavaScript).

Each bar is one period; the goal is a dashed line. A suppressed or empty period has no bar and
is marked on the axis. The page shows the same numbers in a table beside the chart, so nothing
is told by the picture alone (or by colour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from tyollisyystalo.indicators.definitions import Indicator
from tyollisyystalo.indicators.selectors import IndicatorValue

WIDTH = 320
HEIGHT = 150
LEFT = 38
RIGHT = 8
TOP = 10
BOTTOM = 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the period on the axis
    text: str  # the value as shown ("< 5", "–")
    shown: bool


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    goal_y: float | None
    baseline_y: float
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT

    @property
    def label_y(self) -> int:
        return self.height - 6


def _nice_ceiling(value: Decimal) -> Decimal:
    """The axis maximum for counts: 1, 2 or 5 times a power of ten at or above ``value``."""
    step = Decimal(1)
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def trend_chart(indicator: Indicator, values: Sequence[IndicatorValue]) -> TrendChart:
    low, high = indicator.scale
    if high <= low:  # counts: from zero to a round number above the largest value and goal
        seen = [v.value for v in values if v.value is not None]
        seen += [v.goal for v in values if v.goal is not None]
        low, high = Decimal(0), _nice_ceiling(max(seen, default=Decimal(1)) or Decimal(1))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    span = float(high - low) or 1.0

    def y_of(value: Decimal) -> float:
        clamped = min(max(value, low), high)
        return TOP + plot_h * (1 - float(clamped - low) / span)

    baseline = y_of(Decimal(0))
    slot = plot_w / max(len(values), 1)
    bars = []
    for index, value in enumerate(values):
        x = LEFT + slot * index + slot * 0.2
        shown = value.value is not None
        top = y_of(value.value) if value.value is not None else baseline
        bars.append(
            Bar(
                x=x,
                y=min(top, baseline),
                width=slot * 0.6,
                height=abs(baseline - top),
                label=value.period.short_label,
                text=str(value.figure),
                shown=shown,
            )
        )
    goals = {v.goal for v in values if v.goal is not None}
    goal_y = y_of(goals.pop()) if len(goals) == 1 else None
    middle = low + (high - low) / 2
    ticks = tuple(Tick(y_of(v), _tick_label(v, indicator)) for v in sorted({low, middle, high}))
    return TrendChart(tuple(bars), ticks, goal_y, baseline)


def _tick_label(value: Decimal, indicator: Indicator) -> str:
    whole = value == value.to_integral_value()
    text = str(number_format(int(value) if whole else float(value), use_l10n=True))
    return f"{text} %" if indicator.unit == "percent" else text
