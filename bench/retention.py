"""Benchmark: the retention run (ADR 0022) over clients whose time has passed, and beside them
clients whose records must stay.

Builds, in a throwaway test database (SQLite by default, PostgreSQL when DATABASE_URL says so),
N former clients of a multi-sector joint service (TYP) whose relationship ended in 2015, each
with an entry, a path with two events and a deadline, and a plan with a version; and N current
clients of employment services with the same records (kept). Then times the dry-run report,
the erasing run and a second run (which must find nothing).

    .venv/bin/python bench/retention.py [--clients N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from tyollisyystalo.cases.models import Case, CaseDeadline, CaseEvent  # noqa: E402
from tyollisyystalo.clients.models import (  # noqa: E402
    Client,
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
)
from tyollisyystalo.organisations.models import Organisation, OrganisationType  # noqa: E402
from tyollisyystalo.plans.models import Plan, PlanVersion  # noqa: E402
from tyollisyystalo.retention.services import retention_erase, retention_report  # noqa: E402
from tyollisyystalo.staff.models import StaffMember  # noqa: E402
from tyollisyystalo.staff.roles import Role  # noqa: E402

ENDED = dt.date(2015, 6, 30)


def build(organisation: Organisation, staff: StaffMember, n: int, *, ended: dt.date | None) -> None:
    clients = [Client(id=uuid.uuid4(), registered_by=organisation) for _ in range(n)]
    Client.objects.bulk_create(clients)
    ClientIdentity.objects.bulk_create(
        ClientIdentity(
            client=c,
            first_names="Etu",
            last_name=f"Suku{i}",
            search_name=f"suku{i} etu",
            birth_date=dt.date(1980, 1, 1),
        )
        for i, c in enumerate(clients)
    )
    ClientRelationship.objects.bulk_create(
        ClientRelationship(
            client=c, organisation=organisation, started_on=dt.date(2014, 1, 1), ended_on=ended
        )
        for c in clients
    )
    common = {"owner_organisation": organisation}
    ClientEntry.objects.bulk_create(
        ClientEntry(
            client=c,
            category="employment_services",
            author=staff,
            entry_date=dt.date(2014, 2, 1),
            title="Kartoitus",
            body="Synteettinen teksti.",
            **common,
        )
        for c in clients
    )
    cases = [
        Case(
            client=c,
            category="plan",
            entry_route="employment_services",
            coordinator=staff,
            referred_on=dt.date(2014, 1, 1),
            status="closed" if ended else "referred",
            closed_on=ended,
            outcome="job_or_study" if ended else "",
            outcome_on=ended,
            **common,
        )
        for c in clients
    ]
    Case.objects.bulk_create(cases)
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=kind, effective_on=case.referred_on, actor=staff)
        for case in cases
        for kind in ("opened", "status")
    )
    CaseDeadline.objects.bulk_create(
        CaseDeadline(case=case, kind="interim_review", due_on=dt.date(2014, 2, 1)) for case in cases
    )
    plans = [
        Plan(
            client=case.client,
            category="plan",
            case=case,
            plan_type="client",
            started_on=case.referred_on,
            **common,
        )
        for case in cases
    ]
    Plan.objects.bulk_create(plans)
    PlanVersion.objects.bulk_create(
        PlanVersion(plan=p, number=1, content_json="{}", created_by=staff) for p in plans
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=2000)
    args = parser.parse_args()
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        typ = Organisation.objects.create(code="b-typ", name_fi="TYP", type=OrganisationType.TYP)
        employment = Organisation.objects.create(
            code="b-emp", name_fi="Työllisyys", type=OrganisationType.EMPLOYMENT_AUTHORITY
        )
        users = get_user_model().objects
        tuuli = StaffMember.objects.create(
            user=users.create_user("b-tuuli"), organisation=typ, role=Role.COORDINATOR
        )
        aino = StaffMember.objects.create(
            user=users.create_user("b-aino"), organisation=employment, role=Role.COORDINATOR
        )
        build(typ, tuuli, args.clients, ended=ENDED)
        build(employment, aino, args.clients, ended=None)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        at = timezone.now()

        started = time.perf_counter()
        report = {r.record_class.id: r for r in retention_report(at=at)}
        report_s = time.perf_counter() - started
        due = report["multisector_joint_service"].total

        started = time.perf_counter()
        erased = retention_erase(at=at)
        erase_s = time.perf_counter() - started

        started = time.perf_counter()
        again = retention_erase(at=at)
        again_s = time.perf_counter() - started

        kept = ClientEntry.objects.filter(owner_organisation=employment).count()
        print(f"Retention benchmark ({connection.vendor}), {args.clients:,} former TYP clients")
        print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
        print(f"dry-run report: {report_s:6.2f} s, {due:,} TYP records due")
        print(
            f"erasing run:    {erase_s:6.2f} s, {erased:,} records erased or anonymised "
            f"({erased / erase_s:,.0f} records/s, {args.clients / erase_s:,.0f} clients/s)"
        )
        print(f"second run:     {again_s:6.2f} s, {again} records")
        print(f"employment services entries kept: {kept:,} of {args.clients:,}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
