"""A coaching team (Askel ry and Klubi ry), a coach of each, a coach of another team, and
Klaus: a client of employment services referred to Askel's job coaching and accepted."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import OrganisationFactory, StaffFactory, make_client, make_consent, open_path
from tyollisyystalo.clients.models import ClientRelationship, TeamMembership
from tyollisyystalo.coaching import services
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.referrals.services import referral_answer, referral_send
from tyollisyystalo.staff.roles import Role


@pytest.fixture
def askel(db):
    return OrganisationFactory.create(code="org-askel", name_fi="Askel ry")


@pytest.fixture
def muu(db):
    return OrganisationFactory.create(code="org-muu", name_fi="Muu valmennus ry")


@pytest.fixture
def team(askel):
    team = CoachingTeam.objects.create(name="Yhteistiimi")
    team.organisations.set([askel])
    return team


@pytest.fixture
def other_team(muu):
    team = CoachingTeam.objects.create(name="Toinen tiimi")
    team.organisations.set([muu])
    return team


@pytest.fixture
def ville(askel, team):
    return StaffFactory.create(
        user__username="ville", user__first_name="Ville", organisation=askel, role=Role.JOB_COACH
    )


@pytest.fixture
def venla(askel, team):
    return StaffFactory.create(organisation=askel, role=Role.JOB_COACH)


@pytest.fixture
def other_coach(muu, other_team):
    return StaffFactory.create(organisation=muu, role=Role.JOB_COACH)


@pytest.fixture
def klaus(employment, aino):
    client = make_client(organisation=employment, name=("Klaus", "Esimerkki"))
    TeamMembership.objects.create(client=client, staff_member=aino, added_by=aino)
    return client


@pytest.fixture
def klaus_case(klaus, aino):
    return open_path(aino, klaus)


@pytest.fixture
def referral(klaus, klaus_case, aino, askel, ville):
    make_consent(
        klaus,
        disclosing=[klaus_case.owner_organisation, askel],
        receiving=[askel, klaus_case.owner_organisation],
        categories=["identity", "education_work"],
        recorder=aino,
    )
    sent = referral_send(
        actor=aino,
        case_id=klaus_case.pk,
        reason="Työhönvalmennus",
        categories=["identity"],
        receiving_organisation=askel,
    )
    return referral_answer(actor=ville, referral_id=sent.pk, accept=True)


@pytest.fixture
def coached(klaus, askel, ville):
    """Klaus as Askel's own client with Ville in his team, without a referral."""
    ClientRelationship.objects.create(
        client=klaus, organisation=askel, started_on=timezone.localdate() - dt.timedelta(days=5)
    )
    TeamMembership.objects.create(client=klaus, staff_member=ville, added_by=ville)
    return klaus


@pytest.fixture
def period(coached, ville):
    """An intensive IPS period of Klaus with Ville, started 60 days ago (modules may override)."""
    return services.period_start(
        actor=ville,
        client_id=coached.pk,
        kind="ips",
        intensity="intensive",
        started_on=timezone.localdate() - dt.timedelta(days=60),
    )
