"""The record-level gatekeeper: may_read / may_write on any client record."""

import pytest

from conftest import StaffFactory, add_to_team, make_consent
from tyollisyystalo.access.gatekeeper import may_read, may_write
from tyollisyystalo.clients.categories import DataCategory
from tyollisyystalo.clients.models import ClientEntry
from tyollisyystalo.staff.roles import Role


@pytest.fixture
def health_entry(sari, county):
    return ClientEntry.objects.get(
        client=sari, owner_organisation=county, category=DataCategory.HEALTH
    )


@pytest.mark.django_db
def test_nurse_in_the_team_reads_and_writes_her_organisations_health_entry(bertta, health_entry):
    assert may_read(bertta, health_entry).allowed
    assert may_write(bertta, health_entry).allowed


@pytest.mark.django_db
def test_consent_lets_the_coordinator_read_but_never_write_the_countys_entry(
    aino, bertta, sari, county, employment, health_entry
):
    assert not may_read(aino, health_entry).allowed
    consent = make_consent(
        sari, disclosing=[county], receiving=[employment], categories=["health"], recorder=bertta
    )
    decision = may_read(aino, health_entry)
    assert (decision.allowed, decision.basis, decision.consent_id) == (True, "consent", consent.pk)
    assert not may_write(aino, health_entry).allowed


@pytest.mark.django_db
def test_inactive_staff_member_may_do_nothing(bertta, health_entry):
    bertta.is_active = False
    assert not may_read(bertta, health_entry).allowed
    assert not may_write(bertta, health_entry).allowed


@pytest.mark.django_db
def test_role_without_the_category_is_refused_even_in_the_team(sari, county, health_entry):
    supervisor = StaffFactory.create(organisation=county, role=Role.WORK_GROUP_SUPERVISOR)
    add_to_team(sari, supervisor)
    assert not may_read(supervisor, health_entry).allowed
    assert not may_write(supervisor, health_entry).allowed
