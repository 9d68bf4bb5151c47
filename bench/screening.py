"""Population screening: our rules vs the OpenFisca model on the same 1,000,000 records.

    .venv/bin/python -m bench.screening [--records 1000000] [--repeat 3]

All read the same JSON Lines file and write one JSON line per record, streaming. Ours runs twice:
``--detail decision`` (decision, missing facts, values) and ``--detail full`` (with every
reason and source, about 2 KB a record); the OpenFisca model writes the decision only. Each run
is its own process, so peak memory (max RSS, children included) is its own; the runs are
interleaved ``--repeat`` times (with the page cache written back before each) and the median
and best are printed, as the machine is shared.
Afterwards every decision (and our missing facts) is compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CHUNK = 50_000


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def generate(path: Path, count: int, on: dt.date) -> None:
    from openfisca_model.population import records

    with path.open("wb") as out:
        for record in records(count, seed=20261123, on=on):
            out.write(orjson.dumps(record) + b"\n")


def run_ours(
    rule: str, on: dt.date, source: Path, target: Path, workers: int, detail: str, queue: Any
) -> None:
    from tyollisyystalo.rules.screening import screen

    start = time.perf_counter()
    with source.open("rb") as inp, target.open("wb") as out:
        result = screen(
            rule_id=rule,
            on=on,
            source=inp,
            target=out,
            kind="jsonl",
            workers=workers,
            detail=detail,
        )
    queue.put((time.perf_counter() - start, result.rows, _peak_mb()))


def run_openfisca(rule: str, on: dt.date, source: Path, target: Path, queue: Any) -> None:
    from openfisca_model.model import ScreeningSystem, decide
    from openfisca_model.population import columns

    start = time.perf_counter()
    system = ScreeningSystem()
    rows = 0
    with source.open("rb") as inp, target.open("wb") as out:
        while True:
            lines = [line for _, line in zip(range(CHUNK), inp, strict=False)]
            if not lines:
                break
            records = [orjson.loads(line) for line in lines]
            decisions = decide(system, rule, columns([r["facts"] for r in records]), on)
            out.write(
                b"".join(
                    orjson.dumps({"id": r["id"], "decision": d}) + b"\n"
                    for r, d in zip(records, decisions.tolist(), strict=True)
                )
            )
            rows += len(records)
    queue.put((time.perf_counter() - start, rows, _peak_mb()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--rule", default="activation_plan_target_group")
    parser.add_argument("--on", default="2025-06-01")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    django.setup()
    on = dt.date.fromisoformat(args.on)
    ctx = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "population.jsonl"
        generate(source, args.records, on)
        size = source.stat().st_size / 1e6
        results: dict[str, list[tuple[float, int, float]]] = {}
        runs: tuple[tuple[str, Path, Any, tuple[Any, ...]], ...] = (
            (
                "ours, decisions",
                Path(tmp) / "decisions.jsonl",
                run_ours,
                (args.workers, "decision"),
            ),
            ("ours, explained", Path(tmp) / "ours.jsonl", run_ours, (args.workers, "full")),
            ("OpenFisca, decisions", Path(tmp) / "theirs.jsonl", run_openfisca, ()),
        )
        for _ in range(args.repeat):
            for name, target, func, extra in runs:
                os.sync()  # the previous run's output is written back now, not during this run
                queue = ctx.Queue()
                process = ctx.Process(
                    target=func, args=(args.rule, on, source, target, *extra, queue)
                )
                process.start()
                results.setdefault(name, []).append(queue.get())
                process.join()
        mismatches = 0
        with (
            (Path(tmp) / "decisions.jsonl").open("rb") as a,
            (Path(tmp) / "ours.jsonl").open("rb") as b,
            (Path(tmp) / "theirs.jsonl").open("rb") as c,
        ):
            for x, y, z in zip(a, b, c, strict=True):
                quick, full, theirs = orjson.loads(x), orjson.loads(y), orjson.loads(z)
                mismatches += not (
                    quick["id"] == full["id"] == theirs["id"]
                    and quick["decision"] == full["decision"] == theirs["decision"]
                    and quick["missing_facts"] == full["missing_facts"]
                )
    print(
        f"# Population screening, rule {args.rule}, on {on}, {args.records:,} records ({size:.0f} MB)"
    )
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'implementation':22} {'median s':>9} {'best s':>7} {'records/s (median)':>19} "
        f"{'peak MB':>8}"
    )
    for name, runs_of in results.items():
        seconds = sorted(r[0] for r in runs_of)
        median = statistics.median(seconds)
        rows, peak = runs_of[0][1], max(r[2] for r in runs_of)
        print(f"{name:22} {median:9.2f} {seconds[0]:7.2f} {rows / median:19,.0f} {peak:8.0f}")
    print(f"decisions compared: {args.records:,}, mismatches: {mismatches}")


if __name__ == "__main__":
    main()
