"""Client search and the client card make the same number of queries at 200 and 20,000 clients."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import add_entry, add_to_team, login, make_client, make_consent
from tyollisyystalo.casefile.selectors import client_card_get
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import Client, ClientIdentity
from tyollisyystalo.clients.selectors import client_search
from tyollisyystalo.demo.bulk import bulk_clients


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.slow
@pytest.mark.django_db
def test_search_and_card_queries_do_not_grow_with_the_registry(
    client, aino, bertta, employment, county
):
    sari = make_client(organisation=employment)
    add_to_team(sari, aino)
    add_entry(sari, employment, aino, DataCategory.PLAN)
    add_entry(sari, county, bertta, DataCategory.HEALTH)
    make_consent(
        sari, disclosing=[county], receiving=[employment], categories=["health"], recorder=bertta
    )
    bulk_clients(199, organisation=employment, staff=aino)

    def search():
        result = client_search(staff=aino, name="suku1")
        assert result.identities

    def card():
        card = client_card_get(staff=aino, client_id=sari.id, purpose="test")
        assert {e.category for e in card.entries} == {"plan", "health"}

    login(client, aino)
    hetu = ClientIdentity.objects.get(client=sari).hetu

    def page_search():
        assert client.post("/asiakkaat/", {"name": "suku1"}).status_code == 200

    def page_hetu_search():
        assert "Esimerkki, Sari" in client.post("/asiakkaat/", {"hetu": hetu}).text

    def page_card():
        assert client.get(f"/asiakkaat/{sari.id}/").status_code == 200

    def api_card():
        assert client.get(f"/api/v1/clients/{sari.id}/").status_code == 200

    calls = (search, card, page_search, page_hetu_search, page_card, api_card)
    for call in calls:
        call()  # warm caches (content types, sessions) before counting
    small = tuple(count_queries(call) for call in calls)
    bulk_clients(19_800, organisation=employment, staff=aino, start=200)
    assert Client.objects.count() == 20_000
    large = tuple(count_queries(call) for call in calls)

    assert small == large
    print(f"queries at 200 and at 20,000 clients (selector search, card; pages; api card): {small}")
