"""Client segments (issue 19): the analysis at 50,000 clients and how well it finds the truth.

    .venv/bin/python bench/segments.py                      # 50,000 clients, k 2–12, 20 resamples
    .venv/bin/python bench/segments.py --clients 5000 --resamples 5   # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_seg .venv/bin/python bench/segments.py

Builds the clients in a fresh test database with the demo history's builder, every client drawn
from the stated latent structure (``demo.latent``: five kinds), and remembers each one's kind.
Then, timed step by step with peak memory (the process's resident set, numpy included):
reading the analysis data set from the records (SQL queries), the latent-class analysis over the
k range with the bootstrap resamples, and the depth-3 criteria. Prints the BIC per k, the
chosen k, the stability (adjusted Rand index of the resamples), the recovery of the truth
(adjusted Rand index of the found segments against the drawn kinds; goal ≥ 0.8) and the
criteria's agreement with the segments. With ``--reference`` and ``kmodes`` installed, k-means
for mixed data (k-prototypes, the issue's other candidate) runs at the same k on the same data
set, side by side.
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from measure import bench_database  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from tyollisyystalo.demo.history import Coaching, Keeper, history_build  # noqa: E402
from tyollisyystalo.organisations.models import (  # noqa: E402
    Municipality,
    Organisation,
    OrganisationType,
)
from tyollisyystalo.segments.criteria import rules_fit  # noqa: E402
from tyollisyystalo.segments.discovery import indicators, segments_discover  # noqa: E402
from tyollisyystalo.segments.features import Kind, features  # noqa: E402
from tyollisyystalo.segments.selectors import analysis_source  # noqa: E402
from tyollisyystalo.segments.services import dataset_from  # noqa: E402
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(clients: int) -> tuple[Organisation, dict[Any, str]]:
    place = Municipality.objects.create(code="S01", name_fi="Segmenttilä")
    county = Organisation.objects.create(
        code="org-seg", name_fi="Hyvinvointialue", type=OrganisationType.WELLBEING_COUNTY
    )
    county.municipalities.add(place)
    coordinators = []
    for n in range(30):
        user = get_user_model().objects.create_user(f"seg-k{n}")
        coordinators.append(
            StaffMember.objects.create(user=user, organisation=county, role=Role.COORDINATOR)
        )
    kinds: dict[Any, str] = {}
    history_build(
        [(Keeper(county, coordinators, [place], (15, 60, 15, 10)), clients)],
        coaching=Coaching(coaches=[]),
        today=timezone.localdate(),
        latent=lambda client, kind: kinds.__setitem__(client.pk, kind),
    )
    return county, kinds


def reference(columns: Any, values: Any, k: int, truth: Any) -> None:
    try:
        kprototypes = importlib.import_module("kmodes.kprototypes")
    except ImportError:
        print("k-prototypes: kmodes is not installed (.venv/bin/pip install kmodes==0.12.2)")
        return
    data, _descriptor = indicators(columns, values)
    # k-prototypes takes no missing values: a missing answer becomes its own category.
    data = np.where(np.isnan(data), -1, data)
    started = time.perf_counter()
    model = kprototypes.KPrototypes(n_clusters=k, init="Cao", n_init=1, random_state=0)
    binary = sum(1 for c in columns if c.modelled and c.kind == Kind.BINARY)
    labels = model.fit_predict(data, categorical=list(range(binary, data.shape[1])))
    seconds = time.perf_counter() - started
    ari = adjusted_rand_score(truth, labels)
    print(f"k-prototypes (k={k}, one start): {seconds:.1f} s, recovery ARI {ari:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--k-max", type=int, default=12)
    parser.add_argument("--resamples", type=int, default=20)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()
    with bench_database():
        started = time.perf_counter()
        county, kinds = build(args.clients)
        print(
            f"Built {args.clients:,} clients with their history in "
            f"{time.perf_counter() - started:.0f} s ({connection.vendor})"
        )
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            source = analysis_source(county)
        ids = list(source.facts)
        columns, values = features(), dataset_from(source, timezone.localdate())
        read = time.perf_counter() - started
        print(
            f"Analysis data set: {len(values):,} rows x {values.shape[1]} features, read in "
            f"{read:.1f} s, {len(queries.captured_queries)} SQL queries; "
            f"peak RSS {peak_mib():.0f} MiB"
        )
        codes = sorted(set(kinds.values()))
        truth = np.asarray([codes.index(kinds[i]) for i in ids])
        started = time.perf_counter()
        found = segments_discover(
            columns,
            values,
            ks=range(2, args.k_max + 1),
            resamples=args.resamples,
            starts=args.starts,
        )
        seconds = time.perf_counter() - started
        print(
            f"\nLatent-class analysis, k 2–{args.k_max}, {args.starts} starts each, "
            f"{args.resamples} bootstrap resamples: {seconds:.0f} s; peak RSS {peak_mib():.0f} MiB"
        )
        print(f"{'k':>3} {'BIC':>12} {'smallest':>9}")
        for fit in found.fits:
            mark = "  <- lowest BIC" if fit.k == found.k else ""
            print(f"{fit.k:>3} {fit.bic:>12,.0f} {fit.smallest:>9,}{mark}")
        print(
            f"Stability (ARI of {len(found.stability)} resamples against the chosen solution): "
            f"mean {found.stability_mean:.3f}, lowest {found.stability_min:.3f}"
        )
        recovery = adjusted_rand_score(truth, found.labels)
        print(f"Recovery of the drawn kinds: ARI {recovery:.3f} (goal >= 0.8)")
        started = time.perf_counter()
        _rules, agreed = rules_fit(columns, values, found.labels)
        print(
            f"Criteria (depth <= 3): {time.perf_counter() - started:.1f} s, agreement with the "
            f"segments {agreed.overall:.3f}, per segment "
            f"{', '.join(f'{a:.2f}' for a in agreed.per_segment)}, no rule holds for "
            f"{agreed.unmatched:,}"
        )
        if args.reference:
            reference(columns, values, found.k, truth)


if __name__ == "__main__":
    main()
