"""Benchmark: worklist, My clients, path page, plan page and client search at 1,000 and 100,000
paths.

Builds open paths with 20 events each (100,000 paths = 2,000,000 events), five review deadlines
and a plan for every fifth, with ``tyollisyystalo.demo.bulk``. The benchmark coordinator always
holds the same 200 paths (``--mine 500`` for issue 16's My clients); the other paths belong to 499 other coordinators, so what grows is
the registry around the reads. Every request goes through the whole HTTP stack (middleware,
session, second factor, gatekeeper, access log) with Django's test client. Two references
behind the same middleware are measured in the same run, all cases taking turns: a bare view
and a trivial staff page (login, second factor, page frame; ADR 0016).

    .venv/bin/python bench/paths.py [--sizes 1000 100000] [--requests 100] [--mine 200]
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
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import include, path  # noqa: E402
from measure import bench_database, python_calls, summary, traced, verified_client  # noqa: E402

from tyollisyystalo.cases.models import Case, CaseEvent  # noqa: E402
from tyollisyystalo.demo.bulk import bulk_clients, bulk_paths  # noqa: E402
from tyollisyystalo.organisations.models import Organisation, OrganisationType  # noqa: E402
from tyollisyystalo.plans.models import Plan  # noqa: E402
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.permissions import staff_view  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402

MINE = 200  # the benchmark coordinator's own paths, the same at every size
OTHERS = 499


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@staff_view()
def trivial_page(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    """The frame every staff page shares (login, second factor, navigation), with no data."""
    return render(request, "base.html", {})


# The project's URLs plus the trivial reference views, behind the same middleware.
urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/trivial-page/", trivial_page),
    path("", include("config.urls")),
]


def measure(cases: dict[str, Callable[[], object]], requests: int) -> dict[str, dict[str, float]]:
    """Time every case ``requests`` times, taking turns, so that a slower moment of a shared
    machine falls on all of them alike and the ratios stay comparable."""
    for call in cases.values():
        call()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(requests):
        for name, call in cases.items():
            started = time.perf_counter()
            response = call()
            times[name].append((time.perf_counter() - started) * 1000)
            assert getattr(response, "status_code", 200) == 200, response
    return {
        name: {
            **summary(times[name], [traced(call) for _ in range(5)]),
            "calls": python_calls(call),
        }
        for name, call in cases.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--mine",
        type=int,
        default=MINE,
        help="The benchmark coordinator's own open paths (issue 16 asks My clients at 500).",
    )
    args = parser.parse_args()
    with bench_database(urlconf=__name__):
        run(args.sizes, args.requests, args.mine)


def run(sizes: list[int], requests: int, own: int = MINE) -> None:
    organisation = Organisation.objects.create(
        code="bench-org", name_fi="Bench", type=OrganisationType.EMPLOYMENT_AUTHORITY
    )
    users = get_user_model().objects
    user = users.create_user("bench", password="bench-password-123")
    me = StaffMember.objects.create(user=user, organisation=organisation, role=Role.COORDINATOR)
    others = [
        StaffMember.objects.create(
            user=users.create_user(f"bench{n}"), organisation=organisation, role=Role.COORDINATOR
        )
        for n in range(OTHERS)
    ]
    http = verified_client(user)

    mine = bulk_clients(own, organisation=organisation, staff=me)
    bulk_paths(mine, organisation=organisation, coordinators=[me])
    built = own
    case = Case.objects.filter(coordinator=me).order_by("referred_on").first()
    plan = Plan.objects.filter(case__coordinator=me).first()
    assert case is not None
    assert plan is not None
    results: dict[int, dict[str, dict[str, float]]] = {}
    build_seconds: dict[int, float] = {}
    for size in sizes:
        started = time.perf_counter()
        while built < size:
            step = min(10_000, size - built)
            # The registry grows around the benchmark coordinator: others' teams, others' paths.
            clients = bulk_clients(
                step, organisation=organisation, staff=others[built % OTHERS], start=built
            )
            bulk_paths(clients, organisation=organisation, coordinators=others)
            built += step
        if connection.vendor == "postgresql":
            # Autovacuum would analyse the new rows soon; a benchmark cannot wait for it.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        build_seconds[size] = time.perf_counter() - started
        cases: dict[str, Callable[[], object]] = {
            "trivial view (reference)": lambda: http.get("/bench/trivial/"),
            "trivial staff page": lambda: http.get("/bench/trivial-page/"),
            "worklist": lambda: http.get("/polut/"),
            "my clients": lambda: http.get("/polut/asiakkaani/"),
            "path page": lambda: http.get(f"/polut/{case.pk}/"),
            "plan page": lambda: http.get(f"/suunnitelmat/{plan.pk}/"),
            "client search (name)": lambda: http.post("/asiakkaat/", {"name": "suku1"}),
        }
        results[size] = measure(cases, requests)
        results[size]["_counts"] = {
            "cases": Case.objects.count(),
            "events": CaseEvent.objects.count(),
        }

    print(f"Service path benchmark ({connection.vendor}, {requests} requests per case)")
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    for size in sizes:
        counts = results[size]["_counts"]
        print(
            f"size {size:,}: {counts['cases']:,.0f} paths, {counts['events']:,.0f} events"
            f" (built in {build_seconds[size]:.0f} s)"
        )
    header = f"{'case':<26}" + "".join(f" | {f'{s:,} paths':^57}" for s in sizes)
    print(header)
    columns = " | p50 ms  p95 ms  ×triv95   req/s  queries  py calls  peak KiB"
    print(f"{'':<26}" + columns * len(sizes))
    names = [n for n in results[sizes[0]] if not n.startswith("_")]
    for name in names:
        row = f"{name:<26}"
        for size in sizes:
            r = results[size][name]
            ratio = r["p95"] / results[size]["trivial view (reference)"]["p95"]
            row += (
                f" | {r['p50']:6.1f}  {r['p95']:6.1f}  {ratio:7.1f}  {r['rps']:6.0f}"
                f"  {r['queries']:7.0f}  {r['calls']:8.0f}  {r['peak_kib']:8.0f}"
            )
        print(row)
    same = all(results[sizes[0]][n]["queries"] == results[sizes[-1]][n]["queries"] for n in names)
    print(f"queries per request constant in registry size: {'yes' if same else 'NO'}")
    for reference in ("trivial staff page", "trivial view (reference)"):
        worst = max(results[s]["worklist"]["p95"] / results[s][reference]["p95"] for s in sizes)
        verdict = "yes" if worst <= 5 else "NO"
        print(f"worklist p95 within 5x the {reference}: {verdict} (at most {worst:.1f}x)")
    calls = max(
        results[s]["worklist"]["calls"] / results[s]["trivial staff page"]["calls"] for s in sizes
    )
    print(f"worklist Python calls per request: at most {calls:.1f}x the trivial staff page")


if __name__ == "__main__":
    main()
