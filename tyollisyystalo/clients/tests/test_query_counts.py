"""Client search and the client card make the same number of queries at 200 and 20,000 clients."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import add_entry, add_to_team, make_client, make_consent
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import (
    Client,
    ClientEntry,
    ClientIdentity,
    ClientRelationship,
    TeamMembership,
)
from tyollisyystalo.clients.selectors import client_card_get, client_search


def bulk_clients(n, organisation, staff, start):
    clients = [Client(registered_by=organisation) for _ in range(n)]
    Client.objects.bulk_create(clients, batch_size=2000)
    ClientIdentity.objects.bulk_create(
        [
            ClientIdentity(
                client=c,
                first_names=f"Etu{start + i}",
                last_name=f"Suku{start + i}",
                search_name=f"suku{start + i} etu{start + i}",
            )
            for i, c in enumerate(clients)
        ],
        batch_size=2000,
    )
    day = timezone.localdate() - dt.timedelta(days=3)
    ClientRelationship.objects.bulk_create(
        [ClientRelationship(client=c, organisation=organisation, started_on=day) for c in clients],
        batch_size=2000,
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(client=c, staff_member=staff, added_by=staff) for c in clients],
        batch_size=2000,
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
                body="Teksti",
            )
            for c in clients
        ],
        batch_size=2000,
    )


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.slow
@pytest.mark.django_db
def test_search_and_card_queries_do_not_grow_with_the_registry(aino, bertta, employment, county):
    sari = make_client(organisation=employment)
    add_to_team(sari, aino)
    add_entry(sari, employment, aino, DataCategory.PLAN)
    add_entry(sari, county, bertta, DataCategory.HEALTH)
    make_consent(
        sari, disclosing=[county], receiving=[employment], categories=["health"], recorder=bertta
    )
    bulk_clients(199, employment, aino, 0)

    def search():
        result = client_search(staff=aino, name="suku1")
        assert result.identities

    def card():
        card = client_card_get(staff=aino, client_id=sari.id, purpose="test")
        assert {e.category for e in card.entries} == {"plan", "health"}

    search(), card()  # the first call also creates the access log's head row
    small = (count_queries(search), count_queries(card))
    bulk_clients(19_800, employment, aino, 200)
    assert Client.objects.count() == 20_000
    large = (count_queries(search), count_queries(card))

    assert small == large
    print(f"queries at 200 and at 20,000 clients: search={small[0]}, card={small[1]}")
