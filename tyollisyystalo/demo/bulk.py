"""Large synthetic registries for query-count tests and benchmarks (bulk inserts, no services)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.hetu import format_hetu
from tyollisyystalo.clients.models import (
    Client,
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    TeamMembership,
)
from tyollisyystalo.clients.selectors import hetu_lookup_hash
from tyollisyystalo.organisations.models import Organisation
from tyollisyystalo.staff.models import StaffMember

BATCH = 2000


def bulk_hetu(index: int) -> str:
    """A unique temporary henkilötunnus (individual number 900–999) for each index."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=index // 100)
    return format_hetu(birth, 900 + index % 100)


def bulk_clients(
    count: int,
    *,
    organisation: Organisation,
    staff: StaffMember,
    start: int = 0,
    with_hetu: bool = False,
) -> list[Client]:
    """Clients ``Suku<i> Etu<i>`` of ``organisation``, each in ``staff``'s team with one note."""
    clients = [Client(registered_by=organisation) for _ in range(count)]
    Client.objects.bulk_create(clients, batch_size=BATCH)
    identities = []
    for offset, client in enumerate(clients):
        n = start + offset
        code = bulk_hetu(n) if with_hetu else ""
        identities.append(
            ClientIdentity(
                client=client,
                first_names=f"Etu{n}",
                last_name=f"Suku{n}",
                search_name=f"suku{n} etu{n}",
                hetu=code,
                hetu_hash=hetu_lookup_hash(code) if code else None,
                hetu_is_temporary=bool(code),
            )
        )
    ClientIdentity.objects.bulk_create(identities, batch_size=BATCH)
    day = timezone.localdate() - dt.timedelta(days=3)
    ClientRelationship.objects.bulk_create(
        [ClientRelationship(client=c, organisation=organisation, started_on=day) for c in clients],
        batch_size=BATCH,
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(client=c, staff_member=staff, added_by=staff) for c in clients],
        batch_size=BATCH,
    )
    ClientEntry.objects.bulk_create(
        [
            ClientEntry(
                client=c,
                owner_organisation=organisation,
                category=DataCategory.NOTES,
                author=staff,
                entry_date=day,
                title="Muistiinpano",
                body="Synteettinen teksti.",
            )
            for c in clients
        ],
        batch_size=BATCH,
    )
    return clients


def bulk_paths(
    clients: list[Client],
    *,
    organisation: Organisation,
    coordinators: list[StaffMember],
    events_per_case: int = 20,
    plans_every: int = 5,
) -> int:
    """An open path for each client, round-robin over ``coordinators``, with events, the five
    review deadlines and (every ``plans_every``-th) a plan. Returns the number of events.

    Bulk inserts that skip the services: for benchmarks and query-count tests only.
    """
    from tyollisyystalo.cases.models import Case, CaseDeadline, CaseEvent
    from tyollisyystalo.plans.models import Plan, PlanVersion

    today = timezone.localdate()
    now = timezone.now()
    cases = []
    for n, client in enumerate(clients):
        started = today - dt.timedelta(days=20 + n % 300)
        cases.append(
            Case(
                client=client,
                owner_organisation=organisation,
                category=DataCategory.PLAN,
                entry_route="employment_services",
                coordinator=coordinators[n % len(coordinators)],
                status="active",
                referred_on=started - dt.timedelta(days=7),
                started_on=started,
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    events = 0
    batch: list[CaseEvent] = []
    for case in cases:
        actor = case.coordinator
        assert case.started_on is not None
        steps = [
            ("opened", "", "referred"),
            ("status", "referred", "intake"),
            ("status", "intake", "active"),
        ]
        for i in range(events_per_case):
            kind, source, target = steps[i] if i < len(steps) else ("review", "", "")
            batch.append(
                CaseEvent(
                    case=case,
                    kind=kind,
                    at=now,
                    effective_on=case.started_on,
                    actor=actor,
                    from_status=source,
                    to_status=target,
                )
            )
        if len(batch) >= 10 * BATCH:
            CaseEvent.objects.bulk_create(batch, batch_size=BATCH)
            events += len(batch)
            batch = []
    CaseEvent.objects.bulk_create(batch, batch_size=BATCH)
    events += len(batch)
    deadlines = []
    for case in cases:
        start: dt.date = case.started_on or today
        for months in (1, 3, 6, 9, 12):
            deadlines.append(
                CaseDeadline(
                    case=case,
                    kind="final_review" if months == 12 else "interim_review",
                    months=months,
                    due_on=start + dt.timedelta(days=30 * months),
                )
            )
    CaseDeadline.objects.bulk_create(deadlines, batch_size=BATCH)
    plans = [
        Plan(
            client_id=case.client_id,
            owner_organisation=organisation,
            category=DataCategory.PLAN,
            case=case,
            plan_type="client",
            started_on=case.started_on or today,
        )
        for n, case in enumerate(cases)
        if n % plans_every == 0
    ]
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    content = (
        '{"summary": "", "goals": [{"id": "g1", "text": "Tyokokeilu", "measure": "paivia",'
        ' "follow_up_on": "2027-01-01"}], "actions": [{"id": "a1", "goal": "g1", "what":'
        ' "Haku", "responsible_kind": "client", "status": "planned"}]}'
    )
    PlanVersion.objects.bulk_create(
        [
            PlanVersion(plan=p, number=1, content_json=content, created_by=coordinators[0])
            for p in plans
        ],
        batch_size=BATCH,
    )
    return events
