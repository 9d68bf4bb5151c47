import pytest
from stdnum.fi import ytunnus

from conftest import OrganisationFactory, StaffFactory
from tyollisyystalo.employers.demo import TEAM_NAME, seed_employer_register
from tyollisyystalo.employers.models import CoachingTeam, Employer, EmployerContact
from tyollisyystalo.staff.roles import Role


@pytest.mark.django_db
def test_demo_register_has_40_valid_employers_and_is_idempotent():
    askelma = OrganisationFactory.create(code="org-askelma")
    klubitalo = OrganisationFactory.create(code="org-klubitalo")
    StaffFactory.create(user__username="ville", organisation=askelma, role=Role.JOB_COACH)
    StaffFactory.create(user__username="kalle", organisation=klubitalo, role=Role.JOB_COACH)

    assert seed_employer_register() == 40
    assert seed_employer_register() == 0

    team = CoachingTeam.objects.get(name=TEAM_NAME)
    assert set(team.organisations.values_list("code", flat=True)) == {
        "org-askelma",
        "org-klubitalo",
    }
    assert list(team.leaders.values_list("user__username", flat=True)) == ["ville"]
    ids = list(Employer.objects.values_list("business_id", flat=True))
    assert len(ids) == 40
    assert len(set(ids)) == 40
    assert all(ytunnus.is_valid(i) for i in ids)
    assert EmployerContact.objects.exists()
