"""Benchmark: the coach's worklist at 10 coaches, 5,000 employers, 200,000 logged contacts.

Builds one coaching team of two organisations and ten job coaches, the employer register as
``employer_register.py`` does (40 contacts per employer over the coaches and two years), and
for every coach a full IPS caseload of 20 active periods in every state (follow-along with
support contacts, job search with employer contacts about the client, modular with modules
waiting for assessments) plus ended periods that grow with the size. Measures the worklist
against the trivial staff page (login, second factor, page frame; ADR 0016) in the same run,
all cases taking turns. Run at a tenth and at the full size to show the queries per request do
not grow with the data.

    .venv/bin/python bench/coach_worklist.py [--sizes 500 5000] [--requests 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from employer_register import build as build_register  # noqa: E402
from employer_register import team_with_coaches  # noqa: E402
from measure import bench_database, verified_client  # noqa: E402
from paths import measure  # noqa: E402

from tyollisyystalo.clients.categories import DataCategory  # noqa: E402
from tyollisyystalo.coaching.models import (  # noqa: E402
    CoachingPeriod,
    Placement,
    SupportContact,
)
from tyollisyystalo.coaching_modules.models import CoachingModule  # noqa: E402
from tyollisyystalo.demo.bulk import bulk_clients  # noqa: E402
from tyollisyystalo.employers.models import Employer, EmployerContact  # noqa: E402
from tyollisyystalo.staff.models import StaffMember  # noqa: E402

COACHES = 10
ACTIVE_PER_COACH = 20  # a full-fidelity IPS caseload
STATES = ("follow_along", "employed", "job_search", "started")


def _period(
    client_id: uuid.UUID,
    coach: StaffMember,
    status: str,
    days_ago: int,
    kind: str = "ips",
    **extra: object,
) -> CoachingPeriod:
    today = timezone.localdate()
    return CoachingPeriod(
        client_id=client_id,
        owner_organisation_id=coach.organisation_id,
        category=DataCategory.EDUCATION_WORK,
        coach=coach,
        kind=kind,
        intensity="light",
        status=status,
        started_on=today - dt.timedelta(days=days_ago),
        created_by=coach,
        **extra,
    )


def build_caseloads(
    coaches: list[StaffMember], employers: list[Employer], ended_per_coach: int, start: int
) -> int:
    """Active caseloads (once) and ``ended_per_coach`` more ended periods per coach, each with
    support contacts and employer contacts about the client. Returns clients made."""
    today = timezone.localdate()
    made = 0
    for c, coach in enumerate(coaches):
        active = ACTIVE_PER_COACH if start == 0 else 0
        clients = bulk_clients(
            active + ended_per_coach,
            organisation=coach.organisation,
            staff=coach,
            start=start + c * 100_000,
        )
        made += len(clients)
        periods = []
        for i, client in enumerate(clients):
            if i < active:
                status = STATES[i % len(STATES)]
                kind = "modular" if i % 5 == 0 else "ips"
                periods.append(_period(client.pk, coach, status, 40 + i * 7, kind=kind))
            else:
                periods.append(
                    _period(
                        client.pk,
                        coach,
                        "ended",
                        400 + i,
                        ended_on=today - dt.timedelta(days=30 + i % 300),
                        ending_reason="competitive_job",
                    )
                )
        CoachingPeriod.objects.bulk_create(periods)
        support, placements, modules, about = [], [], [], []
        for i, period in enumerate(periods):
            for k in range(6):
                support.append(
                    SupportContact(
                        client_id=period.client_id,
                        owner_organisation_id=period.owner_organisation_id,
                        category=period.category,
                        period=period,
                        contacted_on=today - dt.timedelta(days=10 + (i * 13 + k * 29) % 300),
                        kind="follow_along",
                        author=coach,
                    )
                )
            if period.status in ("employed", "follow_along", "ended"):
                placements.append(
                    Placement(
                        client_id=period.client_id,
                        owner_organisation_id=period.owner_organisation_id,
                        category=period.category,
                        period=period,
                        employer_name="Yritys",
                        job_title="Työntekijä",
                        started_on=today - dt.timedelta(days=20 + i % 100),
                        hours_per_week=Decimal("20"),
                        contract_type="permanent",
                        competitive=True,
                    )
                )
            if period.kind == "modular":
                for order in (1, 2, 3):
                    modules.append(
                        CoachingModule(
                            client_id=period.client_id,
                            owner_organisation_id=period.owner_organisation_id,
                            category=period.category,
                            period=period,
                            order=order,
                            title=f"Moduuli {order}",
                            provider_id=coach.organisation_id,
                            planned_start=today - dt.timedelta(days=90 - order * 30),
                            planned_end=today - dt.timedelta(days=65 - order * 30),
                            created_by=coach,
                        )
                    )
            for k in range(3):
                employer = employers[(i * 3 + k + c * 7) % len(employers)]
                about.append(
                    EmployerContact(
                        employer=employer,
                        coach=coach,
                        contacted_on=today - dt.timedelta(days=(i * 11 + k * 23) % 120),
                        kind="meeting",
                        client_id=period.client_id,
                        owner_organisation_id=coach.organisation_id,
                        next_step_on=today - dt.timedelta(days=k) if k == 0 and i < 30 else None,
                    )
                )
        SupportContact.objects.bulk_create(support, batch_size=5_000)
        Placement.objects.bulk_create(placements, batch_size=5_000)
        CoachingModule.objects.bulk_create(modules, batch_size=5_000)
        EmployerContact.objects.bulk_create(about, batch_size=5_000)
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with bench_database(urlconf="paths"):  # the trivial staff page lives in bench/paths.py
        run(args.sizes, args.requests)


def run(sizes: list[int], requests: int) -> None:
    team, coaches = team_with_coaches()
    http = verified_client(coaches[0].user)
    built = 0
    results: dict[int, dict[str, dict[str, float]]] = {}
    for size in sizes:
        started = time.perf_counter()
        build_register(team, coaches, built, size)
        employers = list(Employer.objects.filter(team=team).order_by("pk")[:500])
        # Ended periods grow with the size: a tenth of the employers' count per coach.
        build_caseloads(coaches, employers, max(1, (size - built) // 10), built)
        built = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"built size {size:,} in {time.perf_counter() - started:.0f} s", flush=True)
        cases: dict[str, Callable[[], object]] = {
            "trivial staff page": lambda: http.get("/bench/trivial-page/"),
            "coach worklist": lambda: http.get("/valmennus/tyolista/"),
        }
        results[size] = measure(cases, requests)
        results[size]["_counts"] = {
            "employers": Employer.objects.count(),
            "contacts": EmployerContact.objects.count(),
            "periods": CoachingPeriod.objects.count(),
            "support": SupportContact.objects.count(),
        }

    print(f"Coach worklist benchmark ({connection.vendor}, {requests} requests per case)")
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    for size in sizes:
        n = results[size]["_counts"]
        print(
            f"size {size:,}: {n['employers']:,.0f} employers, {n['contacts']:,.0f} contacts, "
            f"{n['periods']:,.0f} periods, {n['support']:,.0f} support contacts"
        )
    print(f"{'case':<22}" + "".join(f" | {f'{s:,} employers':^50}" for s in sizes))
    print(f"{'':<22}" + " | p50 ms  p95 ms  ×page95  queries  py calls" * len(sizes))
    names = [n for n in results[sizes[0]] if not n.startswith("_")]
    for name in names:
        row = f"{name:<22}"
        for size in sizes:
            r = results[size][name]
            ratio = r["p95"] / results[size]["trivial staff page"]["p95"]
            row += (
                f" | {r['p50']:6.1f}  {r['p95']:6.1f}  {ratio:7.1f}  {r['queries']:7.0f}"
                f"  {r['calls']:8.0f}"
            )
        print(row)
    same = all(results[sizes[0]][n]["queries"] == results[sizes[-1]][n]["queries"] for n in names)
    print(f"queries per request constant in data size: {'yes' if same else 'NO'}")
    worst = max(
        results[s]["coach worklist"]["p95"] / results[s]["trivial staff page"]["p95"] for s in sizes
    )
    print(
        f"worklist p95 within 3x the trivial staff page: {'yes' if worst <= 3 else 'NO'} "
        f"(at most {worst:.1f}x)"
    )


if __name__ == "__main__":
    main()
