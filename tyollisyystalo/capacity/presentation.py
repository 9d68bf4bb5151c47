"""The simulator's figures as the page shows them: numbers in the reader's locale, the actual
history's figures only where at least five people are behind them, and bar charts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tyollisyystalo.capacity.history import Actual
from tyollisyystalo.capacity.model import Fitted, Outcome, Summary
from tyollisyystalo.cases.models import EntryRoute
from tyollisyystalo.management.disclosure import MIN_COUNT


def number(value: float, decimals: int = 0) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return str(number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True))


def percent(value: float) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{number(value * 100)} %"


def summary(value: Summary, decimals: int = 0, *, share: bool = False) -> str:
    show = percent if share else (lambda v: number(v, decimals))
    return _("%(median)s (90 %%: %(p90)s)") % {"median": show(value.median), "p90": show(value.p90)}


def fitted_rows(fitted: Fitted) -> list[tuple[str, str]]:
    routes = dict(EntryRoute.choices)
    rows = [
        (
            _("Uusia asiakkaita kuukaudessa: %(route)s") % {"route": routes.get(route, route)},
            number(sum(counts) / len(counts), 1) if counts else "–",
        )
        for route, counts in fitted.arrivals.items()
    ]
    rows += [
        (_("Ohjauksesta ensitapaamiseen, mediaani päivää"), _median(fitted.lags)),
        (_("Ohjauksesta ensitapaamiseen, 90 %:lla enintään päivää"), _p90(fitted.lags)),
        (_("Palvelupolun kesto ensitapaamisesta, mediaani päivää"), _median(fitted.durations)),
        (_("Palvelupolun kesto, 90 %:lla enintään päivää"), _p90(fitted.durations)),
        (_("Arviointien väli, päivää"), number(fitted.review_interval)),
        (_("Arvioinnit ajallaan, kun aikaa oli"), percent(fitted.review_on_time)),
        (_("Koordinaattoreita, joilla on asiakkaita"), number(fitted.coordinators)),
        (_("Suurin asiakasmäärä koordinaattorilla (katto)"), number(fitted.cap)),
        (_("Asiakkaita palvelupolulla alussa"), number(len(fitted.elapsed))),
        (_("Uusista asiakkaista työhönvalmennukseen"), percent(fitted.coaching_share)),
        (_("Työhönvalmennuksen kesto, mediaani päivää"), _median(fitted.coaching_durations)),
        (_("Työhönvalmentajia, joilla on valmennettavia"), number(fitted.coaches)),
        (_("Suurin valmennettavien määrä valmentajalla (katto)"), number(fitted.coach_cap)),
        (_("Työaika päivässä, tuntia (oletus)"), number(fitted.hours_per_day, 1)),
        (_("Arviointeihin käytettävä osuus työajasta (oletus)"), percent(fitted.review_share)),
        (_("Yhden arvioinnin työ, tuntia (oletus)"), number(fitted.review_hours, 1)),
    ]
    return rows


def _median(values: Sequence[float]) -> str:
    if len(values) < MIN_COUNT:
        return "x" if values else "–"
    return number(float(np.median(values)))


def _p90(values: Sequence[float]) -> str:
    if len(values) < MIN_COUNT:
        return "x" if values else "–"
    return number(float(np.percentile(values, 90)))


@dataclass(frozen=True)
class BacktestRow:
    label: str
    simulated: str
    actual: str
    error: str


def backtest_rows(simulated: Outcome, truth: Actual) -> list[BacktestRow]:
    met = truth.met >= MIN_COUNT
    reviewed = truth.reviews_due >= MIN_COUNT
    sim_load = [s.median for s in simulated.caseload]
    known = [(s, a) for s, a in zip(sim_load, truth.caseload, strict=True) if math.isfinite(a)]
    load_error = float(np.mean([abs(s - a) for s, a in known])) if known else math.nan
    return [
        BacktestRow(
            _("Ohjauksesta ensitapaamiseen, mediaani päivää"),
            summary(simulated.first_meeting),
            number(truth.first_meeting) if met else "x",
            _signed(simulated.first_meeting.median - truth.first_meeting) if met else "x",
        ),
        BacktestRow(
            _("Asiakkaita koordinaattoria kohden kuukauden lopussa, keskimäärin"),
            number(float(np.mean(sim_load)), 1) if sim_load else "–",
            number(float(np.nanmean(truth.caseload)), 1) if known else "–",
            _("keskim. %(error)s") % {"error": number(load_error, 1)},
        ),
        BacktestRow(
            _("Arvioinnit ajallaan"),
            summary(simulated.on_time, share=True),
            percent(truth.on_time) if reviewed else "x",
            _signed((simulated.on_time.median - truth.on_time) * 100, " " + _("%-yksikköä"))
            if reviewed
            else "x",
        ),
    ]


def _signed(value: float, unit: str = "") -> str:
    if not math.isfinite(value):
        return "–"
    sign = "+" if value > 0 else ""
    return f"{sign}{number(value, 1)}{unit}"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    width: float
    y: float
    series: str  # "current" (solid) or "previous" (hatched)

    @property
    def middle(self) -> float:
        return self.y + 7

    @property
    def text_x(self) -> float:
        return 190 + self.width + 6


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: tuple[Bar, ...]
    height: float
    names: tuple[str, ...] = ()
    rows: tuple[tuple[str, tuple[str, ...]], ...] = ()  # month → each series' figure
    label_width: int = 190
    width: int = 560
    bar_height: int = 14


def chart(
    key: str, title: str, series: Sequence[tuple[str, Sequence[float]]], months: int
) -> Chart:
    """Bars per month for each series (e.g. simulated and actual caseload)."""
    values = [v for _name, vs in series for v in vs if math.isfinite(v)]
    top = max(values, default=1.0) or 1.0
    bars, y = [], 4.0
    for m in range(months):
        for index, (name, vs) in enumerate(series):
            value = vs[m] if m < len(vs) else math.nan
            shown = math.isfinite(value)
            bars.append(
                Bar(
                    _("kk %(n)s, %(series)s") % {"n": m + 1, "series": name},
                    value if shown else 0.0,
                    number(value, 1) if shown else "–",
                    (value / top) * 300 if shown else 0.0,
                    y,
                    "current" if index == 0 else "previous",
                )
            )
            y += 18
        y += 6
    rows = tuple(
        (
            _("kk %(n)s") % {"n": m + 1},
            tuple(number(vs[m], 1) if m < len(vs) else "–" for _name, vs in series),
        )
        for m in range(months)
    )
    return Chart(key, title, tuple(bars), y + 4, tuple(name for name, _values in series), rows)
