"""Benchmark: client search and the client card at 200 and at 20,000 clients, side by side.

Runs the full request path (middleware, gatekeeper, access log) through Django's test client
against a throwaway test database (SQLite by default, PostgreSQL when DATABASE_URL says so).
Prints p50/p95 latency, throughput, SQL queries per request and peak Python memory per request.

    make bench                      # or: .venv/bin/python bench/client_access.py [--requests N]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from measure import bench_database, summary, traced, verified_client  # noqa: E402

from tyollisyystalo.demo.bulk import bulk_clients, bulk_hetu  # noqa: E402
from tyollisyystalo.organisations.models import Organisation, OrganisationType  # noqa: E402
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402

SIZES = (200, 20_000)


def measure(call: Callable[[], object], requests: int) -> dict[str, float]:
    """Time without instrumentation; count queries and trace memory in separate runs."""
    call()  # warm-up
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        assert getattr(response, "status_code", 200) == 200, response
    return summary(times, [traced(call) for _ in range(5)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with bench_database():
        organisation = Organisation.objects.create(
            code="bench-org", name_fi="Bench", type=OrganisationType.EMPLOYMENT_AUTHORITY
        )
        user = get_user_model().objects.create_user("bench", password="bench-password-123")
        staff = StaffMember.objects.create(
            user=user, organisation=organisation, role=Role.COORDINATOR
        )
        http = verified_client(user)

        results: dict[int, dict[str, dict[str, float]]] = {}
        # The same client is read at each size; the registry grows around it.
        target = bulk_clients(1, organisation=organisation, staff=staff, with_hetu=True)[0].pk
        built = 1
        card = f"/asiakkaat/{target}/"
        for size in SIZES:
            bulk_clients(
                size - built, organisation=organisation, staff=staff, start=built, with_hetu=True
            )
            built = size
            cases: dict[str, Callable[[], object]] = {
                "page: search by name": lambda: http.post("/asiakkaat/", {"name": "suku1"}),
                "page: search by hetu": lambda: http.post("/asiakkaat/", {"hetu": bulk_hetu(0)}),
                "page: client card": lambda: http.get(card),
                "api: search by name": lambda: http.post(
                    "/api/v1/clients/search/", {"name": "suku1"}, content_type="application/json"
                ),
                "api: client card": lambda: http.get(f"/api/v1/clients/{target}/"),
            }
            results[size] = {name: measure(call, args.requests) for name, call in cases.items()}

        vendor = connection.vendor
        print(f"Client access benchmark ({vendor}, {args.requests} requests per case)")
        print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
        header = f"{'case':<22}" + "".join(f" | {f'{s:,} clients':^40}" for s in SIZES)
        print(header)
        print(f"{'':<22}" + " | p50 ms  p95 ms   req/s  queries  peak KiB" * len(SIZES))
        for name in results[SIZES[0]]:
            row = f"{name:<22}"
            for size in SIZES:
                r = results[size][name]
                row += (
                    f" | {r['p50']:6.1f}  {r['p95']:6.1f}  {r['rps']:6.0f}  {r['queries']:7.0f}"
                    f"  {r['peak_kib']:8.0f}"
                )
            print(row)
        same = all(
            results[SIZES[0]][n]["queries"] == results[SIZES[1]][n]["queries"]
            for n in results[SIZES[0]]
        )
        print(f"queries per request constant in registry size: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
