"""A coaching team (Askel ry and Klubi ry) with coaches and a leader, and another team (Muu
valmennus ry) with its coach: shared by the register's, the fidelity review's and the IPS
measures' tests (imported into their conftest modules)."""

import pytest

from conftest import OrganisationFactory, StaffFactory
from tyollisyystalo.employers.models import CoachingTeam
from tyollisyystalo.staff.roles import Role


@pytest.fixture
def askel(db):
    return OrganisationFactory.create(code="org-askel", name_fi="Askel ry")


@pytest.fixture
def klubi(db):
    return OrganisationFactory.create(code="org-klubi", name_fi="Klubi ry")


@pytest.fixture
def muu(db):
    return OrganisationFactory.create(code="org-muu", name_fi="Muu valmennus ry")


@pytest.fixture
def team(askel, klubi):
    team = CoachingTeam.objects.create(name="Yhteistiimi")
    team.organisations.set([askel, klubi])
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
def coach2(klubi):
    return StaffFactory.create(organisation=klubi, role=Role.JOB_COACH)


@pytest.fixture
def leader(team, askel):
    staff = StaffFactory.create(organisation=askel, role=Role.JOB_COACH)
    team.leaders.add(staff)
    return staff


@pytest.fixture
def other_coach(muu, other_team):
    return StaffFactory.create(organisation=muu, role=Role.JOB_COACH)
