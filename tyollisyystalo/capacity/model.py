"""The service path as a queueing network, simulated with ciw (discrete events, days as time).

Two stages, each a ciw simulation:

1. **Caseload places.** Clients arrive per entry route as a Poisson process whose rate changes
   month by month (``PoissonIntervals``). Each coordinator has ``cap`` caseload places; a client
   waits for a free place, then holds it for the length of their path (drawn from the
   organisation's own path lengths). Clients already on a path at the start hold a place from
   time 0 for what remains of their path (drawn from the lengths longer than what they have
   had). The time to the first meeting is the wait for a place plus the intake lag (drawn from
   the organisation's own referral-to-first-meeting days).
2. **Review work.** Every path under way is reviewed every ``review_interval`` days. The work
   arrives ``REVIEW_WINDOW`` days before the due date and is done by the coordinators in the
   part of their working hours set for reviews, on weekdays (a ciw server schedule); a review
   is on time when its work is done by the due date.

A new service (what-if) is a node of its own: a share of new clients is referred to it and waits
for one of its places for its duration.

Each replication uses its own seed; results are medians and 90th percentiles over replications.
Pure: no database, no Django.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import ciw
import numpy as np

DAYS_PER_MONTH = 365.25 / 12
REVIEW_WINDOW = 14.0  # days before its due date that a review's work can be done
WEEK = 7.0
NEVER = 1e9  # an inter-arrival time past any horizon: a list of arrivals that ends


@dataclass(frozen=True)
class Fitted:
    """What the organisation's own history says (the simulation's inputs)."""

    arrivals: dict[str, tuple[float, ...]]  # entry route → new clients per month, by month
    lags: tuple[float, ...]  # referral → first meeting, days
    durations: tuple[float, ...]  # first meeting → end of path, days
    review_interval: float  # days between reviews of a path
    coordinators: int
    cap: int  # caseload places per coordinator
    review_hours: float = 1.5  # working hours one review takes
    hours_per_day: float = 7.5
    review_share: float = 0.2  # of working hours, for reviews
    elapsed: tuple[float, ...] = ()  # days on their path of the clients on a path at the start
    # Of reviews, the share done on time when the coordinators had time for them (history: late
    # for other reasons too, e.g. the client could not come).
    review_on_time: float = 1.0
    # Job coaching (IPS) of the organisation's clients: the share of new clients who start it,
    # its lengths, the coaches with clients and their largest number, those in coaching now.
    coaching_share: float = 0.0
    coaching_durations: tuple[float, ...] = ()
    coaches: int = 0
    coach_cap: int = 1
    coaching_elapsed: tuple[float, ...] = ()


@dataclass(frozen=True)
class WhatIf:
    coordinators: int
    cap: int
    growth: float = 0.0  # relative change of arrivals (0.3: +30 %)
    service_share: float = 0.0  # of new clients referred to a new service
    service_places: int = 0
    service_days: float = 0.0
    coaches: int | None = None  # None: as fitted
    coach_cap: int | None = None

    @classmethod
    def baseline(cls, fitted: Fitted) -> WhatIf:
        return cls(fitted.coordinators, fitted.cap)


@dataclass(frozen=True)
class Replication:
    first_meeting: tuple[float, ...]  # days from referral to first meeting, per new client met
    waiting: int  # new clients still waiting for a place at the end
    caseload: tuple[float, ...]  # clients on a path per coordinator at each month's end
    reviews_due: int
    reviews_on_time: int
    service_waits: tuple[float, ...] = ()
    coaching_waits: tuple[float, ...] = ()  # new clients' waits for a coach
    coaching_load: tuple[float, ...] = ()  # clients per coach at each month's end

    @property
    def first_meeting_median(self) -> float:
        return float(np.median(self.first_meeting)) if self.first_meeting else math.nan

    @property
    def on_time_share(self) -> float:
        return self.reviews_on_time / self.reviews_due if self.reviews_due else math.nan


@dataclass(frozen=True)
class Summary:
    """One figure over the replications: its median and 90th percentile."""

    median: float
    p90: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        known = [v for v in values if not math.isnan(v)]
        if not known:
            return cls(math.nan, math.nan)
        return cls(float(np.median(known)), float(np.percentile(known, 90)))


@dataclass(frozen=True)
class Outcome:
    replications: tuple[Replication, ...]
    months: int
    first_meeting: Summary = field(init=False)
    first_meeting_p90: Summary = field(init=False)
    caseload: tuple[Summary, ...] = field(init=False)
    on_time: Summary = field(init=False)
    waiting: Summary = field(init=False)
    service_wait: Summary = field(init=False)
    coaching_wait: Summary = field(init=False)
    coaching_load: Summary = field(init=False)  # clients per coach at the last month's end

    def __post_init__(self) -> None:
        reps = self.replications
        set_ = object.__setattr__
        set_(self, "first_meeting", Summary.of([r.first_meeting_median for r in reps]))
        set_(
            self,
            "first_meeting_p90",
            Summary.of(
                [
                    float(np.percentile(r.first_meeting, 90)) if r.first_meeting else math.nan
                    for r in reps
                ]
            ),
        )
        set_(
            self,
            "caseload",
            tuple(Summary.of([r.caseload[m] for r in reps]) for m in range(self.months)),
        )
        set_(self, "on_time", Summary.of([r.on_time_share for r in reps]))
        set_(self, "waiting", Summary.of([float(r.waiting) for r in reps]))
        set_(
            self,
            "service_wait",
            Summary.of(
                [float(np.median(r.service_waits)) if r.service_waits else math.nan for r in reps]
            ),
        )
        set_(self, "coaching_wait", Summary.of([_median(r.coaching_waits) for r in reps]))
        set_(
            self,
            "coaching_load",
            Summary.of([r.coaching_load[-1] if r.coaching_load else math.nan for r in reps]),
        )


def _median(values: Sequence[float]) -> float:
    return float(np.median(values)) if values else math.nan


def _p90(values: Sequence[float]) -> float:
    return float(np.percentile(values, 90)) if values else math.nan


def _monthly_rates(per_month: Sequence[float], months: int, growth: float) -> list[float]:
    """Arrivals per day for each simulated month: the fitted months' mean, or the fitted
    month-of-year when a whole year was fitted (seasonality), times the growth."""
    if not per_month:
        return [0.0] * months
    if len(per_month) >= 12:
        last_year = list(per_month[-12:])
        shape = [last_year[m % 12] for m in range(months)]
    else:
        shape = [sum(per_month) / len(per_month)] * months
    return [max(v * (1 + growth), 0.0) / DAYS_PER_MONTH for v in shape]


def _arrivals(rates: list[float], horizon: float) -> ciw.dists.Distribution:
    if not any(rates):
        return ciw.dists.Sequential([NEVER])
    endpoints = [DAYS_PER_MONTH * (m + 1) for m in range(len(rates))]
    return ciw.dists.PoissonIntervals(rates=rates, endpoints=endpoints, max_sample_date=horizon)


def _remaining(durations: np.ndarray, elapsed: float, rng: random.Random) -> float:
    longer = durations[durations > elapsed]
    if len(longer) == 0:
        return max(float(np.median(durations)) * 0.25, 1.0)
    return float(rng.choice(list(longer)) - elapsed)


def _weekday_schedule(servers: int, hours: float) -> ciw.Schedule:
    """``servers`` at work ``hours`` a day on weekdays from 8 o'clock (days as time, a week)."""
    start, end = 8 / 24, 8 / 24 + hours / 24
    numbers, ends = [], []
    for day in range(5):
        numbers += [0, servers]
        ends += [day + start, day + end]
    numbers.append(0)
    ends.append(WEEK)
    # A review not finished when the hours for reviews end goes on where it was the next day.
    return ciw.Schedule(numbers_of_servers=numbers, shift_end_dates=ends, preemption="resume")


@dataclass(frozen=True)
class Held:
    """One run of a node of places: who held a place when, and who waited how long."""

    spans: tuple[tuple[str, float, float], ...]  # (class, start, end: inf while held)
    waits: tuple[float, ...]  # new clients' waits for a place (those still waiting: so far)
    waiting: int  # new clients still waiting at the end


def _held_places(
    rates: list[float],
    durations: np.ndarray,
    elapsed: Sequence[float],
    places: int,
    horizon: float,
    rng: random.Random,
) -> Held:
    """New clients arriving at ``rates`` (per day, by month) wait for one of ``places`` and
    hold it for a drawn length; those already in hold one from the start for what remains."""
    initial = [_remaining(durations, e, rng) for e in elapsed]
    arrivals: dict[str, list[ciw.dists.Distribution]] = {
        "new": [_arrivals(rates, horizon)],
        "open": [ciw.dists.Sequential([1e-6] * len(initial) + [NEVER] if initial else [NEVER])],
    }
    services: dict[str, list[ciw.dists.Distribution]] = {
        "new": [ciw.dists.Empirical(list(durations))],
        "open": [ciw.dists.Sequential(initial or [1.0])],
    }
    network = ciw.create_network(
        arrival_distributions=arrivals,
        service_distributions=services,
        number_of_servers=[max(places, 1)],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon)
    spans: list[tuple[str, float, float]] = []
    waits: list[float] = []
    waiting = 0
    for record in sim.get_all_records():
        if record.record_type != "service":
            continue
        spans.append((record.customer_class, record.service_start_date, record.service_end_date))
        if record.customer_class == "new":
            waits.append(record.waiting_time)
    for individual in sim.nodes[1].all_individuals:
        start = getattr(individual, "service_start_date", False)
        if start is False or start is None or start < 0 or individual.server is False:
            if individual.customer_class == "new":
                waiting += 1
                waits.append(horizon - individual.arrival_date)  # a lower bound
            continue
        spans.append((individual.customer_class, float(start), math.inf))
        if individual.customer_class == "new":
            waits.append(float(start) - individual.arrival_date)
    return Held(tuple(spans), tuple(waits), waiting)


def _per_person(held: Held, people: int, months: int) -> tuple[float, ...]:
    """Places held per person at each month's end."""
    counts = []
    for m in range(months):
        t = DAYS_PER_MONTH * (m + 1) - 1e-6
        counts.append(sum(1 for _c, s, e in held.spans if s <= t < e) / max(people, 1))
    return tuple(counts)


def replicate(fitted: Fitted, what: WhatIf, *, months: int, seed: int) -> Replication:
    """One run of ``months`` months."""
    ciw.seed(seed)
    rng = random.Random(seed)  # noqa: S311 - a simulation's draws, not a secret
    horizon = months * DAYS_PER_MONTH
    durations = np.asarray(fitted.durations or (180.0,), dtype=float)
    lags = list(fitted.lags or (14.0,))
    rates = [0.0] * months
    for per_month in fitted.arrivals.values():
        route = _monthly_rates(per_month, months, what.growth)
        rates = [a + b for a, b in zip(rates, route, strict=True)]
    paths = _held_places(
        rates, durations, fitted.elapsed, what.coordinators * what.cap, horizon, rng
    )
    met = tuple(wait + rng.choice(lags) for wait in paths.waits)
    # A path under way at the start is reviewed on its own rhythm (its phase drawn), a new one
    # from its start.
    interval = max(fitted.review_interval, 1.0)
    spans = [
        (rng.uniform(0, interval) if kind == "open" else interval, start, end)
        for kind, start, end in paths.spans
    ]
    due, on_time = _reviews(spans, fitted, what, horizon, seed)
    service_waits = _new_service(rates, what, horizon, seed) if what.service_places else ()
    coaching_waits: tuple[float, ...] = ()
    coaching_load: tuple[float, ...] = ()
    coaches = what.coaches if what.coaches is not None else fitted.coaches
    if coaches and fitted.coaching_share > 0:
        ciw.seed(seed + 7)
        coaching = _held_places(
            [r * fitted.coaching_share for r in rates],
            np.asarray(fitted.coaching_durations or (120.0,), dtype=float),
            fitted.coaching_elapsed,
            coaches * (what.coach_cap if what.coach_cap is not None else fitted.coach_cap),
            horizon,
            rng,
        )
        coaching_waits = coaching.waits
        coaching_load = _per_person(coaching, coaches, months)
    return Replication(
        met,
        paths.waiting,
        _per_person(paths, what.coordinators, months),
        due,
        on_time,
        service_waits,
        coaching_waits,
        coaching_load,
    )


def _reviews(
    spans: list[tuple[float, float, float]],
    fitted: Fitted,
    what: WhatIf,
    horizon: float,
    seed: int,
) -> tuple[int, int]:
    """Reviews due within the horizon and how many were done by their due date."""
    interval = max(fitted.review_interval, 1.0)
    dues = sorted(
        start + first + interval * k
        for first, start, end in spans
        for k in range(int(max(min(end, horizon) - start - first, 0) // interval) + 1)
        if start + first + interval * k <= min(end, horizon)
    )
    if not dues or what.coordinators < 1:
        return len(dues), 0
    work = [max(d - REVIEW_WINDOW, 0.0) for d in dues]
    gaps = [work[0] or 1e-6] + [max(b - a, 0.0) for a, b in itertools.pairwise(work)]
    ciw.seed(seed + 7919)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Sequential([*gaps, NEVER])],
        service_distributions=[ciw.dists.Deterministic(fitted.review_hours / 24)],
        number_of_servers=[
            _weekday_schedule(what.coordinators, fitted.hours_per_day * fitted.review_share)
        ],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon + 60)
    done = sorted(r.service_end_date for r in sim.get_all_records() if r.record_type == "service")
    # Reviews are done in the order their work arrived (first in, first out); one that the
    # capacity allowed on time is on time as often as the history's were.
    draw = random.Random(seed + 31337)  # noqa: S311 - a simulation's draws
    on_time = sum(
        1
        for d, end in zip(dues, done, strict=False)
        if end <= d and draw.random() < fitted.review_on_time
    )
    return len(dues), on_time


def _new_service(rates: list[float], what: WhatIf, horizon: float, seed: int) -> tuple[float, ...]:
    ciw.seed(seed + 104729)
    share = min(max(what.service_share, 0.0), 1.0)
    network = ciw.create_network(
        arrival_distributions=[_arrivals([r * share for r in rates], horizon)],
        service_distributions=[ciw.dists.Deterministic(max(what.service_days, 0.01))],
        number_of_servers=[max(what.service_places, 1)],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon)
    return tuple(r.waiting_time for r in sim.get_all_records() if r.record_type == "service")


REPLICATIONS = 30


def simulate(
    fitted: Fitted,
    what: WhatIf,
    *,
    months: int,
    replications: int = REPLICATIONS,
    seed: int = 0,
) -> Outcome:
    return Outcome(
        tuple(replicate(fitted, what, months=months, seed=seed + r) for r in range(replications)),
        months,
    )
