"""Benchmark: the employer register's search page at 10 coaches, 5,000 employers, 200,000 contacts.

Builds one coaching team of two organisations and ten job coaches, employers with logged
contacts (40 each, spread over the coaches and the last two years), and measures the register
search (a name search and a sector filter, 25 rows a page with the last contact date of every
row) against the trivial staff page (login, second factor, page frame; ADR 0016) in the same
run, all cases taking turns. Run at a tenth and at the full size to show the queries per
request do not grow with the register.

    .venv/bin/python bench/employer_register.py [--sizes 500 5000] [--requests 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from measure import bench_database, verified_client  # noqa: E402
from paths import measure  # noqa: E402

from tyollisyystalo.employers.models import (  # noqa: E402
    CoachingTeam,
    ContactKind,
    Employer,
    EmployerContact,
    Sector,
)
from tyollisyystalo.organisations.models import (  # noqa: E402
    Municipality,
    Organisation,
    OrganisationType,
)
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402

COACHES = 10
REGION_MUNICIPALITIES = 12
CONTACTS_PER_EMPLOYER = 40
SECTORS = [s for s in Sector.values if s != "X"]
KINDS = list(ContactKind.values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with bench_database(urlconf="paths"):  # the trivial staff page lives in bench/paths.py
        run(args.sizes, args.requests)


def build(team: CoachingTeam, coaches: list[StaffMember], start: int, stop: int) -> None:
    today = dt.date(2026, 12, 1)
    # A region's employers: spread over a dozen municipalities, as a team's register would be.
    municipalities = list(Municipality.objects.order_by("code")[:REGION_MUNICIPALITIES])
    employers = Employer.objects.bulk_create(
        [
            Employer(
                team=team,
                name=f"Yritys {n:05d} Oy",
                sector=SECTORS[n % len(SECTORS)],
                municipality=municipalities[n % len(municipalities)] if municipalities else None,
                owner=coaches[n % COACHES],
                created_by=coaches[n % COACHES],
            )
            for n in range(start, stop)
        ]
    )
    contacts = []
    for employer in employers:
        for k in range(CONTACTS_PER_EMPLOYER):
            coach = coaches[(employer.pk + k) % COACHES]
            contacts.append(
                EmployerContact(
                    employer=employer,
                    coach=coach,
                    contacted_on=today - dt.timedelta(days=(employer.pk * 7 + k * 17) % 730),
                    kind=KINDS[k % len(KINDS)],
                    face_to_face=k % 2 == 0,
                    owner_organisation_id=coach.organisation_id,
                )
            )
        if len(contacts) >= 20_000:
            EmployerContact.objects.bulk_create(contacts)
            contacts = []
    EmployerContact.objects.bulk_create(contacts)


def team_with_coaches() -> tuple[CoachingTeam, list[StaffMember]]:
    """One coaching team of two organisations and its ten job coaches, alternating."""
    organisations = [
        Organisation.objects.create(
            code=f"bench-coach-{n}", name_fi=f"Valmennus {n}", type=OrganisationType.NGO
        )
        for n in range(2)
    ]
    team = CoachingTeam.objects.create(name="Bench team")
    team.organisations.set(organisations)
    users = get_user_model().objects
    coaches = [
        StaffMember.objects.create(
            user=users.create_user(f"coach{n}", password="bench-password-123"),
            organisation=organisations[n % 2],
            role=Role.JOB_COACH,
        )
        for n in range(COACHES)
    ]
    return team, coaches


def run(sizes: list[int], requests: int) -> None:
    team, coaches = team_with_coaches()
    http = verified_client(coaches[0].user)
    base = f"/tyonantajat/tiimi/{team.pk}/"
    built = 0
    results: dict[int, dict[str, dict[str, float]]] = {}
    for size in sizes:
        started = time.perf_counter()
        build(team, coaches, built, size)
        built = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"built {size:,} employers in {time.perf_counter() - started:.0f} s", flush=True)
        cases: dict[str, Callable[[], object]] = {
            "trivial staff page": lambda: http.get("/bench/trivial-page/"),
            "register, first page": lambda: http.get(base),
            "register search (name)": lambda: http.get(base, {"q": "Yritys 00"}),
            "register filter (sector)": lambda: http.get(base, {"sector": "C"}),
        }
        results[size] = measure(cases, requests)
        results[size]["_counts"] = {
            "employers": Employer.objects.count(),
            "contacts": EmployerContact.objects.count(),
        }

    print(f"Employer register benchmark ({connection.vendor}, {requests} requests per case)")
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    for size in sizes:
        counts = results[size]["_counts"]
        print(
            f"size {size:,}: {counts['employers']:,.0f} employers, {counts['contacts']:,.0f} contacts"
        )
    print(f"{'case':<26}" + "".join(f" | {f'{s:,} employers':^50}" for s in sizes))
    print(f"{'':<26}" + " | p50 ms  p95 ms  ×page95  queries  py calls" * len(sizes))
    names = [n for n in results[sizes[0]] if not n.startswith("_")]
    for name in names:
        row = f"{name:<26}"
        for size in sizes:
            r = results[size][name]
            ratio = r["p95"] / results[size]["trivial staff page"]["p95"]
            row += (
                f" | {r['p50']:6.1f}  {r['p95']:6.1f}  {ratio:7.1f}  {r['queries']:7.0f}"
                f"  {r['calls']:8.0f}"
            )
        print(row)
    same = all(results[sizes[0]][n]["queries"] == results[sizes[-1]][n]["queries"] for n in names)
    print(f"queries per request constant in register size: {'yes' if same else 'NO'}")
    worst = max(
        results[s][n]["p95"] / results[s]["trivial staff page"]["p95"]
        for s in sizes
        for n in names
        if n.startswith("register")
    )
    print(
        f"register p95 within 3x the trivial staff page: {'yes' if worst <= 3 else 'NO'} (at most {worst:.1f}x)"
    )


if __name__ == "__main__":
    main()
