"""Benchmark: the evaluation data package (issue 15 part 5) at growing numbers of clients.

Each client of the exporting organisation has an open path with 20 events and five review
deadlines (``tyollisyystalo.demo.bulk``), one work-ability score and one referral. Measured
per size: the export service end to end (reads from ``reporting_db()``, pseudonymising,
CSV, zip, the access-log append) as p50/p95 of the timed runs, the SQL queries and the peak
Python memory of one traced run, and the size of the zip.

    .venv/bin/python bench/evaluation_export.py [--sizes 1000 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from measure import bench_database, summary, traced  # noqa: E402

from tyollisyystalo.cases.models import Case  # noqa: E402
from tyollisyystalo.demo.bulk import BATCH, bulk_clients, bulk_paths  # noqa: E402
from tyollisyystalo.evaluation.services import evaluation_package_export  # noqa: E402
from tyollisyystalo.instruments.models import InstrumentResponse  # noqa: E402
from tyollisyystalo.organisations.models import Organisation, OrganisationType  # noqa: E402
from tyollisyystalo.referrals.models import Referral  # noqa: E402
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402

PURPOSE = "Suorituskykymittaus, arviointiaineisto"


def grow(
    organisation: Organisation,
    receiver: Organisation,
    coordinator: StaffMember,
    start: int,
    count: int,
) -> None:
    clients = bulk_clients(count, organisation=organisation, staff=coordinator, start=start)
    bulk_paths(clients, organisation=organisation, coordinators=[coordinator], plans_every=10**9)
    result = json.dumps({"total": "6", "domains": {"was": "6"}, "band": "moderate"})
    InstrumentResponse.objects.bulk_create(
        [
            InstrumentResponse(
                client=client,
                owner_organisation=organisation,
                category="assessments",
                instrument_key="work_ability_score",
                instrument_version="1",
                answered_on=dt.date(2026, 1, 15),
                respondent="client",
                answers_json='{"was": "6"}',
                result_json=result,
            )
            for client in clients
        ],
        batch_size=BATCH,
    )
    cases = {
        case.client_id: case
        for case in Case.objects.filter(owner_organisation=organisation, client__in=clients)
    }
    Referral.objects.bulk_create(
        [
            Referral(
                client=client,
                owner_organisation=organisation,
                category="plan",
                case=cases[client.id],
                receiving_organisation=receiver,
                reason="Synteettinen",
                shared_categories="plan",
                sent_by=coordinator,
                answer_due_on=dt.date(2026, 2, 1),
            )
            for client in clients
        ],
        batch_size=BATCH,
    )


def staff_member(username: str, organisation: Organisation, role: Role) -> StaffMember:
    user = get_user_model().objects.create(username=username)
    return StaffMember.objects.create(user=user, organisation=organisation, role=role)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{connection.vendor}, Python {platform.python_version()}, {os.cpu_count()} cores")
    with bench_database():
        employment = Organisation.objects.create(
            code="bench-employment",
            name_fi="Työllisyyspalvelut",
            type=OrganisationType.EMPLOYMENT_AUTHORITY,
        )
        county = Organisation.objects.create(
            code="bench-county", name_fi="Hyvinvointialue", type=OrganisationType.WELLBEING_COUNTY
        )
        coordinator = staff_member("bench-coordinator", employment, Role.COORDINATOR)
        manager = staff_member("bench-manager", employment, Role.MANAGER)
        have = 0
        print("| clients | path events | p50 ms | p95 ms | queries | peak MiB | zip KiB |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for size in sorted(args.sizes):
            grow(employment, county, coordinator, have, size - have)
            have = size
            times = []
            content = b""
            for _ in range(args.runs):
                began = time.perf_counter()
                content = evaluation_package_export(actor=manager, purpose=PURPOSE).content
                times.append((time.perf_counter() - began) * 1000)
            trace = traced(lambda: evaluation_package_export(actor=manager, purpose=PURPOSE))
            stats = summary(times, [trace])
            print(
                f"| {size:,} | {size * 20:,} | {stats['p50']:.0f} | {stats['p95']:.0f} | "
                f"{stats['queries']} | {stats['peak_kib'] / 1024:.1f} | {len(content) // 1024} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
