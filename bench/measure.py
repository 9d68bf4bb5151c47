"""Shared measuring for the benchmark scripts: timings, SQL queries and peak Python memory."""

from __future__ import annotations

import cProfile
import pstats
import statistics
import tracemalloc
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def traced(call: Callable[[], Any]) -> tuple[int, float]:
    """Run once with query capture and memory tracing: (SQL queries, peak KiB)."""
    with CaptureQueriesContext(connection) as ctx:
        tracemalloc.start()
        call()
        peak = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
    return len(ctx.captured_queries), peak


def python_calls(call: Callable[[], Any]) -> int:
    """Python function calls made by one run: unlike a timing, the same on any machine and at
    any load, so it shows what a change saved even on a busy shared machine."""
    profile = cProfile.Profile()
    profile.enable()
    call()
    profile.disable()
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]


def summary(times_ms: list[float], traces: list[tuple[int, float]]) -> dict[str, float]:
    """p50/p95 and throughput of the timed runs (timed without instrumentation), with the most
    queries and the highest memory peak of the traced runs."""
    times = sorted(times_ms)
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "rps": 1000 / statistics.mean(times),
        "queries": max(q for q, _ in traces),
        "peak_kib": max(p for _, p in traces),
    }
