import pytest

from conftest import StaffFactory
from tyollisyystalo.employers.models import Employer
from tyollisyystalo.employers.tests.team_fixtures import (  # noqa: F401 - fixtures
    askel,
    coach,
    coach2,
    klubi,
    muu,
    other_team,
    team,
)
from tyollisyystalo.organisations.models import Municipality
from tyollisyystalo.staff.roles import Role


@pytest.fixture
def other_coach(muu):
    return StaffFactory.create(organisation=muu, role=Role.JOB_COACH)


@pytest.fixture
def town(db):
    return Municipality.objects.get_or_create(code="X01", defaults={"name_fi": "Esimerkkilä"})[0]


@pytest.fixture
def employer(team, coach, town):
    return Employer.objects.create(
        team=team,
        name="Leipomo Esimerkki Oy",
        business_id="1234567-1",
        sector="C",
        municipality=town,
        owner=coach,
        created_by=coach,
    )
