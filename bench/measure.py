"""Shared measuring for the benchmark scripts: timings, SQL queries and peak Python memory."""

from __future__ import annotations

import cProfile
import pstats
import statistics
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
from django_otp.plugins.otp_totp.models import TOTPDevice


@contextmanager
def bench_database(urlconf: str | None = None) -> Iterator[None]:
    """A fresh test database with production-like request handling (no SQL capture, no template
    debug) and fast password hashing; destroyed afterwards."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if urlconf is None:
            yield
        else:
            with override_settings(ROOT_URLCONF=urlconf):
                yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def verified_client(user: User, device: TOTPDevice | None = None) -> HttpClient:
    """A test client logged in as ``user`` with the second factor verified, as after the login
    form; creates a confirmed TOTP device when none is given."""
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    http = HttpClient()
    http.force_login(user)
    session = http.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return http


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
