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
