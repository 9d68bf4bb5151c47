"""What the indicator page shows, assembled from ``selectors.indicator_figures`` in one call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tyollisyystalo.indicators.charts import TrendChart, trend_chart
from tyollisyystalo.indicators.definitions import TEXT_FIELDS, Indicator, indicators_all
from tyollisyystalo.indicators.periods import Period, trend
from tyollisyystalo.indicators.selectors import IndicatorValue, indicator_figures
from tyollisyystalo.organisations.models import Municipality

TREND_PERIODS = 5


@dataclass(frozen=True)
class Card:
    """One indicator in the selected scope: the chosen period, its trend and how it is counted."""

    indicator: Indicator
    texts: dict[str, str]
    current: IndicatorValue
    trend: list[IndicatorValue]
    chart: TrendChart
    goal_met: bool | None


@dataclass(frozen=True)
class OverviewRow:
    indicator: Indicator
    name: str
    cells: list[IndicatorValue]


@dataclass(frozen=True)
class Column:
    code: str | None  # a municipality, or None for the organisation's (region's) own figure
    name: str


@dataclass(frozen=True)
class IndicatorPage:
    period: Period
    columns: list[Column]
    overview: list[OverviewRow]
    selected: Column
    cards: list[Card]
    counted_at: dt.datetime | None  # when the oldest counted figure was counted


def indicator_page(
    *,
    organisation_id: int | None,
    total_name: str,
    municipalities: Sequence[Municipality],
    selected: str | None,
    period: Period,
    language: str,
    using: str,
    today: dt.date,
    reader_organisation_id: int | None = None,
) -> IndicatorPage:
    """Every indicator for the total and each municipality in ``period``, and the trend of
    the ``selected`` scope (None: the total)."""
    periods = trend(period, TREND_PERIODS)
    indicators = indicators_all()
    table, counted_at = indicator_figures(
        list(indicators),
        organisation_id=organisation_id,
        municipality_codes=[m.code for m in municipalities],
        periods=periods,
        using=using,
        today=today,
        reader_organisation_id=reader_organisation_id,
    )
    columns = [Column(None, total_name)] + [Column(m.code, m.name) for m in municipalities]
    overview = [
        OverviewRow(
            indicator,
            indicator.name.get(language),
            [table[key][column.code][-1] for column in columns],
        )
        for key, indicator in indicators.items()
    ]
    chosen = next((c for c in columns if c.code == selected), columns[0])
    cards = []
    for key, indicator in indicators.items():
        values = table[key][chosen.code]
        cards.append(
            Card(
                indicator=indicator,
                texts={field: getattr(indicator, field).get(language) for field in TEXT_FIELDS},
                current=values[-1],
                trend=values,
                chart=trend_chart(indicator, values),
                goal_met=values[-1].goal_met(indicator),
            )
        )
    return IndicatorPage(period, columns, overview, chosen, cards, counted_at)
