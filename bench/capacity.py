"""The capacity simulator (issue 19 part 7): its cost at a large organisation, a check against
queueing theory, and the backtest error on the demo history.

    .venv/bin/python bench/capacity.py            # all three parts
    .venv/bin/python bench/capacity.py --skip-demo
    .venv/bin/python bench/capacity.py --skip-size    # the check and the backtest (minutes)

1. **Size.** 30 replications of 12 months for an organisation with 30 coordinators (40
   caseload places each) and 3,000 arrivals a month over four entry routes, path lengths and
   intake lags drawn like the demo county's: seconds and peak memory (resident set).
2. **Reference.** The same simulation against the Erlang C formula (M/M/c): exponential path
   lengths, a load of 0.9 on 50 places of 20 days on average, the mean wait for a place simulated (30
   replications of 30 years started in equilibrium, the first 90 days left out) beside the
   formula's.
3. **Backtest.** The demo county's history (``seed_demo`` and ``seed_history`` in a fresh test
   database): the last six months simulated from the state six months ago beside what happened.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import ciw  # noqa: E402
import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from measure import bench_database  # noqa: E402

from tyollisyystalo.capacity.history import history_read  # noqa: E402
from tyollisyystalo.capacity.model import Fitted, WhatIf, simulate  # noqa: E402
from tyollisyystalo.capacity.services import backtest  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def size(replications: int) -> None:
    rng = np.random.default_rng(19)
    routes = {"employment_services": 0.5, "social_health": 0.3, "self": 0.1, "portal": 0.1}
    fitted = Fitted(
        arrivals={route: (3000.0 * share,) * 12 for route, share in routes.items()},
        lags=tuple(float(x) for x in rng.gamma(2.0, 9.0, 2000)),
        durations=tuple(float(x) + 1 for x in rng.gamma(2.2, 100.0, 5000)),
        review_interval=91.0,
        coordinators=30,
        cap=40,
        elapsed=tuple(float(x) for x in rng.uniform(0, 300, 1200)),
    )
    started = time.perf_counter()
    outcome = simulate(fitted, WhatIf.baseline(fitted), months=12, replications=replications)
    seconds = time.perf_counter() - started
    arrivals = sum(len(r.first_meeting) for r in outcome.replications) / replications
    print(
        f"size: 30 coordinators x 40 places, 3,000 arrivals/month, 12 months, "
        f"{replications} replications: {seconds:.1f} s ({seconds / replications:.2f} s each), "
        f"peak RSS {peak_mib():.0f} MiB; {arrivals:,.0f} new clients per replication; "
        f"median wait to first meeting {outcome.first_meeting.median:.0f} days "
        f"(90th pct {outcome.first_meeting.p90:.0f}); waiting at the end "
        f"{outcome.waiting.median:,.0f}; reviews on time {outcome.on_time.median:.0%}"
    )


YEARS = 30


def erlang_c_wait(arrival_rate: float, mean_service: float, servers: int) -> float:
    """Mean wait in the queue of an M/M/c queue (Erlang C), in the service's time unit."""
    load = arrival_rate * mean_service
    rho = load / servers
    # log-space sum for large c
    terms = [k * math.log(load) - math.lgamma(k + 1) for k in range(servers)]
    top = servers * math.log(load) - math.lgamma(servers + 1) - math.log(1 - rho)
    largest = max([*terms, top])
    total = sum(math.exp(t - largest) for t in terms) + math.exp(top - largest)
    waiting_probability = math.exp(top - largest) / total
    return waiting_probability / (servers / mean_service - arrival_rate)


def reference(replications: int) -> None:
    servers, mean_service, rho = 50, 20.0, 0.9
    rate = rho * servers / mean_service
    waits = []
    started = time.perf_counter()
    # Started in equilibrium: as many clients on a path as the load (their remaining lengths are
    # exponential too), so no warm-up is left to bias the waits.
    on_path = round(rate * mean_service)
    for r in range(replications):
        ciw.seed(r)
        network = ciw.create_network(
            arrival_distributions={
                "new": [ciw.dists.Exponential(rate)],
                "open": [ciw.dists.Sequential([1e-6] * on_path + [1e9])],
            },
            service_distributions={
                "new": [ciw.dists.Exponential(1 / mean_service)],
                "open": [ciw.dists.Exponential(1 / mean_service)],
            },
            number_of_servers=[servers],
        )
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(YEARS * 365)
        records = [
            x.waiting_time
            for x in sim.get_all_records()
            if x.record_type == "service" and x.customer_class == "new" and x.arrival_date > 90
        ]
        waits.append(float(np.mean(records)))
    seconds = time.perf_counter() - started
    theory = erlang_c_wait(rate, mean_service, servers)
    print(
        f"reference (M/M/c, c={servers}, load {rho}): simulated mean wait "
        f"{np.mean(waits):.2f} days (standard error {np.std(waits) / len(waits) ** 0.5:.2f}; "
        f"replications' 5–95 %: {np.percentile(waits, 5):.2f}–{np.percentile(waits, 95):.2f}), "
        f"Erlang C {theory:.2f} days; {seconds:.1f} s"
    )


def demo_backtest() -> None:
    settings.DEMO = True
    with bench_database():
        from tyollisyystalo.demo.history import seed_history
        from tyollisyystalo.organisations.models import Organisation

        started = time.perf_counter()
        call_command("seed_demo", clients=5, verbosity=0)
        seed_history()
        print(f"demo history built in {time.perf_counter() - started:.0f} s")
        county = Organisation.objects.get(code="org-hva")
        started = time.perf_counter()
        tested = backtest(history_read(county), timezone.localdate())
        seconds = time.perf_counter() - started
        sim, truth = tested.simulated, tested.actual
        load = [s.median for s in sim.caseload]
        error = np.mean([abs(s - a) for s, a in zip(load, truth.caseload, strict=True)])
        print(
            f"backtest on the demo county from {tested.start} ({seconds:.1f} s, 30 replications):\n"
            f"  first meeting, median days: simulated {sim.first_meeting.median:.1f} "
            f"(90th pct of replications {sim.first_meeting.p90:.1f}), actual "
            f"{truth.first_meeting:.1f} ({truth.met} paths)\n"
            f"  clients per coordinator at month ends: simulated "
            f"{', '.join(f'{v:.1f}' for v in load)}; actual "
            f"{', '.join(f'{v:.1f}' for v in truth.caseload)}; mean absolute error {error:.1f}\n"
            f"  reviews on time: simulated {sim.on_time.median:.1%}, actual {truth.on_time:.1%} "
            f"({truth.reviews_due} reviews)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-size", action="store_true")
    args = parser.parse_args()
    if not args.skip_size:
        size(args.replications)
    reference(args.replications)
    if not args.skip_demo:
        demo_backtest()


if __name__ == "__main__":
    main()
