"""Segment discovery: latent-class analysis over the analysis data set (pure, no database).

The model is StepMix's latent-class model with missing values (``binary_nan`` and
``categorical_nan``: full-information likelihood, a missing answer is not imputed). Scores are
read in bands (``BANDS``: the self-assessment's "below 7", the Work Ability Score's usual
bands, unemployment of a year and two years), so that every indicator is categorical, as in
classic latent-class analysis (ADR 0037 tells why not k-prototypes).

For each k of the range the model is fitted ``starts`` times from random starts; the best
likelihood is kept. **k is chosen by the lowest BIC** (Bayesian information criterion).
Stability: the chosen k is refitted on ``resamples`` bootstrap resamples and each refit's
assignment of the whole data set is compared with the chosen solution's by the adjusted Rand
index. Each candidate segment gets its size, its profile (each feature's prevalence or mean in
the segment against the whole) and a warning when it has fewer than ``SMALL`` people.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import adjusted_rand_score

from tyollisyystalo.segments.features import Feature, Kind

SMALL = 20  # a segment smaller than this is flagged
MINIMUM_CLIENTS = 100  # an analysis over fewer clients is refused
# Score bands (upper bounds, inclusive) per feature code prefix or code.
BANDS: dict[str, tuple[float, ...]] = {
    "area": (3, 6),  # 0–3, 4–6, 7–10: the self-assessment suggests help below 7
    "work_ability": (5, 7),  # 0–5 poor, 6–7 moderate, 8–10 good or excellent
    "unemployment_months": (11, 23),  # under a year, 1–2 years, two years or more
}

Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class Fit:
    k: int
    bic: float
    log_likelihood: float
    smallest: int  # people in the smallest segment


@dataclass(frozen=True)
class ProfileRow:
    feature: Feature
    value: str  # "" for a binary (share of yes) or a score (mean); a category's code
    segment: float  # share (0–1) or mean
    whole: float
    known: int  # people in the segment for whom the feature is known


@dataclass(frozen=True)
class Candidate:
    label: int
    size: int
    share: float
    profile: tuple[ProfileRow, ...]

    @property
    def small(self) -> bool:
        return self.size < SMALL


@dataclass(frozen=True)
class Discovery:
    fits: tuple[Fit, ...]
    k: int
    labels: NDArray[np.int64]
    stability: tuple[float, ...]  # adjusted Rand index of each bootstrap refit
    candidates: tuple[Candidate, ...]

    @property
    def stability_mean(self) -> float:
        return float(np.mean(self.stability)) if self.stability else math.nan

    @property
    def stability_min(self) -> float:
        return float(np.min(self.stability)) if self.stability else math.nan


class TooFewClients(ValueError):
    pass


def _band(values: NDArray[np.float64], bounds: tuple[float, ...]) -> NDArray[np.float64]:
    banded = np.searchsorted(np.asarray(bounds), values, side="left").astype(np.float64)
    banded[np.isnan(values)] = np.nan
    return banded


def bands_of(feature: Feature) -> tuple[float, ...] | None:
    return BANDS.get(feature.code) or BANDS.get(feature.code.partition(".")[0])


def indicators(
    columns: Sequence[Feature], values: Matrix
) -> tuple[Matrix, dict[str, dict[str, object]]]:
    """The modelled features as latent-class indicators: binary first, then categorical."""
    binary = [i for i, f in enumerate(columns) if f.modelled and f.kind == Kind.BINARY]
    categorical = [i for i, f in enumerate(columns) if f.modelled and f.kind != Kind.BINARY]
    blocks = [values[:, binary]]
    for i in categorical:
        bounds = bands_of(columns[i])
        column = values[:, i]
        blocks.append((column if bounds is None else _band(column, bounds))[:, None])
    descriptor: dict[str, dict[str, object]] = {}
    if binary:
        descriptor["binary"] = {"model": "binary_nan", "n_columns": len(binary)}
    if categorical:
        descriptor["categorical"] = {"model": "categorical_nan", "n_columns": len(categorical)}
    return np.hstack(blocks), descriptor


def _model(k: int, descriptor: dict[str, dict[str, object]], seed: int, starts: int) -> object:
    from stepmix.stepmix import StepMix

    return StepMix(
        n_components=k,
        measurement=descriptor,
        n_init=starts,
        max_iter=500,
        abs_tol=1e-6,
        verbose=0,
        progress_bar=0,
        random_state=seed,
    )


def _fit(
    data: Matrix, k: int, descriptor: dict[str, dict[str, object]], seed: int, starts: int
) -> tuple[object, NDArray[np.int64]]:
    model = _model(k, descriptor, seed, starts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of single starts
        model.fit(data)  # type: ignore[attr-defined]
        labels = np.asarray(model.predict(data), dtype=np.int64)  # type: ignore[attr-defined]
    return model, labels


def _relabel(labels: NDArray[np.int64]) -> NDArray[np.int64]:
    """Segments numbered by size, largest first (a stable order to show and to compare)."""
    order = np.argsort(-np.bincount(labels), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[labels]


def profiles(
    columns: Sequence[Feature], values: Matrix, labels: NDArray[np.int64]
) -> tuple[Candidate, ...]:
    """Each segment against the whole: shares of yes and of each category, means of scores."""
    n = len(labels)
    found = []
    for label in range(int(labels.max()) + 1 if n else 0):
        inside = labels == label
        rows: list[ProfileRow] = []
        for i, feature in enumerate(columns):
            column, mine = values[:, i], values[inside, i]
            known_all, known = ~np.isnan(column), ~np.isnan(mine)
            if feature.kind == Kind.CATEGORY:
                for code_index, code in enumerate(feature.choices):
                    rows.append(
                        ProfileRow(
                            feature,
                            code,
                            _share(mine[known] == code_index),
                            _share(column[known_all] == code_index),
                            int(known.sum()),
                        )
                    )
                continue
            rows.append(
                ProfileRow(
                    feature,
                    "",
                    _mean(mine[known]),
                    _mean(column[known_all]),
                    int(known.sum()),
                )
            )
        size = int(inside.sum())
        found.append(Candidate(label, size, size / n, tuple(rows)))
    return tuple(found)


def _share(flags: NDArray[np.bool_]) -> float:
    return float(flags.mean()) if len(flags) else math.nan


def _mean(values: NDArray[np.float64]) -> float:
    return float(values.mean()) if len(values) else math.nan


def segments_discover(
    columns: Sequence[Feature],
    values: Matrix,
    *,
    ks: Sequence[int] = tuple(range(2, 9)),
    resamples: int = 20,
    starts: int = 3,
    seed: int = 0,
) -> Discovery:
    """Fit every k, choose by the lowest BIC, measure the chosen k's bootstrap stability."""
    n = len(values)
    if n < MINIMUM_CLIENTS:
        raise TooFewClients(n)
    data, descriptor = indicators(columns, values)
    fits: list[Fit] = []
    best: tuple[float, int, NDArray[np.int64]] | None = None
    for k in ks:
        if k < 2 or k >= n:
            continue
        model, labels = _fit(data, k, descriptor, seed, starts)
        bic = float(model.bic(data))  # type: ignore[attr-defined]
        loglik = float(model.score(data)) * n  # type: ignore[attr-defined]
        counts = np.bincount(labels, minlength=k)
        fits.append(Fit(k, bic, loglik, int(counts.min())))
        if math.isfinite(bic) and (best is None or bic < best[0]):
            best = (bic, k, labels)
    if best is None:
        raise ValueError("no k could be fitted")
    _bic, k, labels = best
    labels = _relabel(labels)
    rng = np.random.default_rng(seed)
    stability: list[float] = []
    for r in range(resamples):
        sample = rng.integers(0, n, n)
        model, _labels = _fit(data[sample], k, descriptor, seed + 1 + r, 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            refit = np.asarray(model.predict(data), dtype=np.int64)  # type: ignore[attr-defined]
        stability.append(float(adjusted_rand_score(labels, refit)))
    return Discovery(
        fits=tuple(fits),
        k=k,
        labels=labels,
        stability=tuple(stability),
        candidates=profiles(columns, values, labels),
    )
