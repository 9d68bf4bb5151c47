"""Leak 5: starting a relationship with another organisation's client needs a recorded basis,
which is logged, reviewed by a manager and shown to the client.

Personas: coordinator Aino and manager Mikko of Esimerkkilä employment services; Vesa, a
client of the wellbeing county only (nurse Bertta registered him), whose henkilötunnus Aino
is given.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import StaffFactory, login, make_client
from tyollisyystalo.audit.models import AccessLogEntry
from tyollisyystalo.clients.models import (
    ClientIdentity,
    ClientRelationship,
    RelationshipStart,
    TeamMembership,
)
from tyollisyystalo.clients.services import client_relationship_start
from tyollisyystalo.selfservice.models import ClientAccount
from tyollisyystalo.staff.roles import Role


@pytest.fixture
def vesa(county, bertta):
    client = make_client(organisation=county, name=("Vesa", "Virtanen"))
    TeamMembership.objects.create(client=client, staff_member=bertta, added_by=bertta)
    return client


def hetu_of(client) -> str:
    return ClientIdentity.objects.get(client=client).hetu


def nothing_saved(vesa, employment) -> bool:
    return (
        not ClientRelationship.objects.filter(client=vesa, organisation=employment).exists()
        and not RelationshipStart.objects.exists()
        and not TeamMembership.objects.filter(client=vesa, staff_member__organisation=employment)
        and not AccessLogEntry.objects.filter(client_id=vesa.id, outcome="allowed").exists()
    )


@pytest.mark.django_db
def test_starting_without_a_basis_is_refused_and_saves_nothing(vesa, aino, employment):
    with pytest.raises(ValidationError) as refused:
        client_relationship_start(actor=aino, hetu=hetu_of(vesa))
    assert "basis" in refused.value.message_dict
    assert nothing_saved(vesa, employment)


@pytest.mark.django_db
def test_the_page_refuses_a_missing_or_unknown_basis_with_a_400_in_finnish(
    client, vesa, aino, employment
):
    login(client, aino)
    url = reverse("clients:relationship_start")
    for data in [{}, {"basis": "curiosity"}, {"basis": "client_present", "reason": "x" * 301}]:
        response = client.post(url, {"hetu": hetu_of(vesa), **data})
        assert response.status_code == 400
        assert "Virhe:" in response.text
        assert nothing_saved(vesa, employment)
    assert "Valitse" in client.post(url, {"hetu": hetu_of(vesa)}).text


@pytest.mark.django_db
def test_a_nul_character_in_the_reason_is_refused(vesa, aino, employment):
    with pytest.raises(ValidationError) as refused:
        client_relationship_start(
            actor=aino, hetu=hetu_of(vesa), basis="client_present", reason="a\x00b"
        )
    assert "reason" in refused.value.message_dict
    assert nothing_saved(vesa, employment)


@pytest.mark.django_db
def test_the_basis_is_stored_and_logged_without_the_reason(client, vesa, aino, employment):
    login(client, aino)
    response = client.post(
        reverse("clients:relationship_start"),
        {"hetu": hetu_of(vesa), "basis": "written_referral", "reason": "Lähete TE-palveluista"},
    )
    assert response.status_code == 302
    start = RelationshipStart.objects.get()
    assert (start.client_id, start.organisation_id, start.started_by_id) == (
        vesa.id,
        employment.pk,
        aino.pk,
    )
    assert (start.basis, start.reason) == ("written_referral", "Lähete TE-palveluista")
    assert start.relationship.organisation_id == employment.pk
    row = AccessLogEntry.objects.get(client_id=vesa.id, object_type="relationship_start")
    assert row.purpose == "client relationship started: written_referral"
    assert "Lähete" not in row.purpose


@pytest.mark.django_db
def test_own_former_client_needs_no_basis(aino, employment):
    former = make_client(organisation=employment, name=("Kalle", "Entinen"))
    ClientRelationship.objects.filter(client=former).update(
        ended_on=timezone.localdate(), started_on=timezone.localdate()
    )
    client_relationship_start(actor=aino, hetu=hetu_of(former))
    assert not RelationshipStart.objects.exists()


@pytest.mark.django_db
def test_a_manager_of_the_organisation_reviews_the_start(client, vesa, aino, mikko, county):
    client_relationship_start(actor=aino, hetu=hetu_of(vesa), basis="client_present")
    start = RelationshipStart.objects.get()
    login(client, mikko)
    page = client.get(reverse("clients:relationship_reviews"))
    assert page.status_code == 200
    assert "asiakas oli paikalla" in page.text
    assert aino.display_name in page.text
    assert AccessLogEntry.objects.filter(
        client_id=vesa.id, object_type="relationship_start", actor_user_id=mikko.user_id
    ).exists()
    response = client.post(
        reverse("clients:relationship_reviews"), {"start_id": start.pk, "outcome": "justified"}
    )
    assert response.status_code == 302
    start.refresh_from_db()
    assert (start.review_outcome, start.reviewed_by_id) == ("justified", mikko.pk)
    # A manager of another organisation sees nothing of it and cannot review it.
    helena = StaffFactory.create(organisation=county, role=Role.MANAGER)
    client.logout()
    login(client, helena)
    assert aino.display_name not in client.get(reverse("clients:relationship_reviews")).text


@pytest.mark.django_db
def test_review_with_a_bad_outcome_changes_nothing(client, vesa, aino, mikko):
    client_relationship_start(actor=aino, hetu=hetu_of(vesa), basis="client_present")
    start = RelationshipStart.objects.get()
    login(client, mikko)
    client.post(reverse("clients:relationship_reviews"), {"start_id": start.pk, "outcome": "ok"})
    client.post(reverse("clients:relationship_reviews"), {"start_id": "²", "outcome": "justified"})
    start.refresh_from_db()
    assert start.reviewed_at is None


@pytest.mark.django_db
def test_a_coordinator_cannot_open_the_review_list(client, aino):
    login(client, aino)
    assert client.get(reverse("clients:relationship_reviews")).status_code == 403


@pytest.mark.django_db
def test_the_client_sees_who_started_a_relationship_and_why(client, vesa, aino, employment):
    client_relationship_start(
        actor=aino, hetu=hetu_of(vesa), basis="client_present", at=timezone.now()
    )
    user = User.objects.create_user(username="vesa-asiakas")
    ClientAccount.objects.create(user=user, client=vesa)
    client.force_login(user)
    text = client.get(reverse("selfservice:home")).text
    day = timezone.localdate().strftime("%-d.%-m.%Y")
    assert (
        f"Esimerkkilän työllisyyspalvelut aloitti asiakkuuden {day}: asiakas oli paikalla" in text
    )
    export = client.get(reverse("selfservice:export")).json()
    assert export["relationship_starts"][0]["basis"] == "client_present"


@pytest.mark.django_db
def test_the_api_needs_the_basis_too(client, vesa, aino, employment):
    # A verified session, not a token: the token endpoint's rate limit is shared by the suite.
    login(client, aino)
    api = client
    headers: dict[str, str] = {}
    url = reverse("v1:client-relationship-start")
    refused = api.post(
        url,
        {"hetu": hetu_of(vesa)},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fi",
        **headers,
    )
    assert refused.status_code == 400
    assert "basis" in refused.json()
    bad = api.post(
        url,
        {"hetu": hetu_of(vesa), "basis": "nosy"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fi",
        **headers,
    )
    assert bad.status_code == 400
    assert nothing_saved(vesa, employment)
    started = api.post(
        url,
        {"hetu": hetu_of(vesa), "basis": "statutory_task"},
        content_type="application/json",
        **headers,
    )
    assert started.status_code == 201
    assert started.json()["id"] == str(vesa.id)
    assert RelationshipStart.objects.get().basis == "statutory_task"
