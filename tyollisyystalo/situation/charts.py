"""Bar charts of the situation picture as plain SVG geometry (no JavaScript), for the templates.

Every bar carries its label and its figure as text, a hidden figure is written "< 5" with no
bar, and the previous period is hatched as well as lighter, so nothing is told by colour alone;
the same numbers are in the table beside each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tyollisyystalo.management.disclosure import Figure
from tyollisyystalo.situation.tables import Row, Table

WIDTH = 640
LABEL_WIDTH = 280
VALUE_SPACE = 56
BAR_HEIGHT = 16
GAP = 8
TOP = 6
LEGEND_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: float
    width: float
    series: str  # "current" or "previous"
    suppressed: bool

    @property
    def text_x(self) -> float:
        return LABEL_WIDTH + self.width + 6

    @property
    def middle(self) -> float:
        return self.y + BAR_HEIGHT / 2


@dataclass(frozen=True)
class Legend:
    series: str
    label: str
    y: float


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    bars: tuple[Bar, ...]
    legend: tuple[Legend, ...]
    height: float
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def _number(figure: Figure) -> float:
    if figure.suppressed or not isinstance(figure.value, int | float):
        return 0.0
    return float(figure.value)


def bar_chart(
    key: str,
    title: str,
    series: Sequence[tuple[str, str, Sequence[tuple[str, Figure]]]],
) -> BarChart:
    """Horizontal bars: one group per label, one bar per series ((series, legend label, bars))."""
    labels = [label for label, _figure in series[0][2]] if series else []
    scale_max = max((_number(f) for _s, _l, bars in series for _label, f in bars), default=0.0)
    plot = WIDTH - LABEL_WIDTH - VALUE_SPACE
    bars: list[Bar] = []
    y = float(TOP)
    per_group = len(series)
    for index, label in enumerate(labels):
        for position, (name, _legend, values) in enumerate(series):
            figure = values[index][1]
            width = plot * _number(figure) / scale_max if scale_max else 0.0
            bars.append(
                Bar(label if position == 0 else "", str(figure), y, width, name, figure.suppressed)
            )
            y += BAR_HEIGHT
        y += GAP if per_group == 1 else GAP * 1.5
    legend: list[Legend] = []
    if per_group > 1:
        for name, legend_label, _values in series:
            legend.append(Legend(name, legend_label, y))
            y += LEGEND_HEIGHT
    return BarChart(key, title, tuple(bars), tuple(legend), y + TOP)


def table_chart(table: Table, column: int = -1) -> BarChart:
    """One column of the table as bars (the total by default; the counts of paths behind
    medians left out)."""
    rows: list[Row] = [r for r in table.rows if not r.key.endswith(":n")]
    return bar_chart(
        table.key, table.title, [("current", "", [(row.label, row.cells[column]) for row in rows])]
    )


def comparison_chart(table: Table, current: str, previous: str, keys: Sequence[str]) -> BarChart:
    """This period against the previous one for the headline counts."""
    rows = [row for row in table.rows if row.key in keys]
    return bar_chart(
        table.key,
        table.title,
        [
            ("current", current, [(row.label, row.cells[0]) for row in rows]),
            ("previous", previous, [(row.label, row.cells[1]) for row in rows]),
        ],
    )
