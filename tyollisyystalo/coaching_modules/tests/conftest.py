import datetime as dt

import pytest
from django.utils import timezone

from conftest import OrganisationFactory, StaffFactory, add_to_team, make_client
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.coaching.models import CoachingPeriod
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.staff.roles import Role


def make_period(client, coach, *, kind="modular", status="job_search", days_ago=60, **extra):
    return CoachingPeriod.objects.create(
        client=client,
        owner_organisation=coach.organisation,
        category=DataCategory.EDUCATION_WORK,
        coach=coach,
        kind=kind,
        intensity="light",
        status=status,
        started_on=timezone.localdate() - dt.timedelta(days=days_ago),
        created_by=coach,
        **extra,
    )


@pytest.fixture
def askel(db):
    return OrganisationFactory.create(code="org-askel", name_fi="Askel ry")


@pytest.fixture
def muu(db):
    return OrganisationFactory.create(code="org-muu", name_fi="Muu valmennus ry")


@pytest.fixture
def provider(db):
    return OrganisationFactory.create(code="org-paja", name_fi="Työpaja Oy")


@pytest.fixture
def team(askel):
    team = CoachingTeam.objects.create(name="Askeleen tiimi")
    team.organisations.set([askel])
    return team


@pytest.fixture
def other_team(muu):
    team = CoachingTeam.objects.create(name="Toinen tiimi")
    team.organisations.set([muu])
    return team


@pytest.fixture
def coach(askel):
    return StaffFactory.create(organisation=askel, role=Role.JOB_COACH)


@pytest.fixture
def other_coach(muu, other_team):
    return StaffFactory.create(organisation=muu, role=Role.JOB_COACH)


@pytest.fixture
def klaus(askel, coach):
    client = make_client(organisation=askel, name=("Klaus", "Esimerkki"))
    add_to_team(client, coach)
    return client


@pytest.fixture
def period(klaus, coach):
    return make_period(klaus, coach)
